"""Importance tiers and indispensability, hand-worked."""

from __future__ import annotations

import pytest

from econsec.technology.importance import (
    CustomerTie,
    importance,
    indispensability,
    substitutability,
)


def test_substitutability_bands() -> None:
    assert [substitutability(y) for y in (0.5, 1, 3, 7, 12, None)] == [1, 2, 3, 4, 5, 3]


def test_tiers_and_critical_floor() -> None:
    # 4, 4, subst(6 y)=4, 5 → mean 4.25 → tier 1.
    assert importance(4, 4, 6, 5).tier == 1
    # 3, 2→4 (critical product), subst(2 y)=3, 3 → mean 3.25 → tier 2 (3.0 → tier 2 without).
    raised = importance(3, 2, 2, 3, ["permanent_magnets"])
    assert raised.strategic == 4 and raised.mean == pytest.approx(3.25) and raised.tier == 2
    assert raised.reasons[1].key == "technology.why.strategic_raised"
    assert importance(2, 2, 0.5, 2).tier == 3
    assert importance(1, 1, 0.5, 5).tier == 1  # damage 5 alone


def test_indispensability_score_and_erosion() -> None:
    ties = [CustomerTie("A", "JP", 30, 0.7, False), CustomerTie("B", "CN", 12, 0.4, True)]
    result = indispensability(0.15, 0.18, ties)
    # 40·0.15 = 6; switch: min(30,24)=24 and 12 → 18/24·40 = 30; supply 0.55·20 = 11.
    assert result.score == pytest.approx(47.0)
    assert result.eroding
    assert [r.key for r in result.reasons][-2:] == [
        "technology.why.share_falling",
        "technology.why.second_source",
    ]
