"""Scoring rules against hand-worked examples on the mini framework (tests/.../mini.yaml).

mini: area X = X-1 (high, 3; q1 q2; P1), X-2 (low, 1; q3; P1 P2); area Y = Y-1 (medium, 2;
q4 q5 q6; P2).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.guideline.frameworks import Framework
from econsec.guideline.scoring import (
    Result,
    compare,
    gap_list,
    score_assessment,
)

R = Result
ANSWERS = {"q1": R.DONE, "q2": R.PARTIAL, "q3": R.NA, "q4": R.NOT_DONE, "q5": R.DONE}
MATURITY = {"X-1": 2, "X-2": 3, "Y-1": 1}


def test_hand_worked_example(mini: Framework) -> None:
    card = score_assessment(mini, ANSWERS, MATURITY)
    x1, x2, y1 = card.items["X-1"], card.items["X-2"], card.items["Y-1"]
    assert (x1.implementation, x1.maturity, x1.answered) == (0.75, 2, 2)
    # its only question is N/A → the item is N/A and its maturity is ignored.
    assert x2.is_na and x2.maturity is None and x2.implementation is None
    # Y-1: q6 unanswered → not counted; (0 + 1) / 2.
    assert (y1.implementation, y1.answered, y1.applicable) == (0.5, 2, 3)

    x, y = card.areas["X"], card.areas["Y"]
    assert (x.implementation, x.maturity, x.items_na, x.coverage) == (0.75, 2.0, 1, 1.0)
    assert (y.implementation, y.maturity, y.coverage) == (0.5, 1.0, pytest.approx(2 / 3))
    assert card.principles["P1"].implementation == 0.75
    assert card.principles["P2"].maturity == 1.0
    # Overall, weights X-1 = 3, Y-1 = 2: (0.75*3 + 0.5*2)/5 and (2*3 + 1*2)/5.
    assert card.overall.implementation == pytest.approx(0.65)
    assert card.overall.maturity == pytest.approx(1.6)
    assert card.overall.coverage == pytest.approx(4 / 5)


def test_gap_list_orders_by_importance_times_missing_maturity(mini: Framework) -> None:
    gaps = gap_list(mini, score_assessment(mini, ANSWERS, MATURITY))
    # 3*(4-2) = 6; Y-1: 2*(4-1) = 6; tie broken by lower implementation (Y-1 0.5 < 0.75).
    assert [(g.item_id, g.priority) for g in gaps] == [("Y-1", 6), ("X-1", 6)]


def test_empty_campaign(mini: Framework) -> None:
    card = score_assessment(mini, {}, {})
    assert card.overall.implementation is None and card.overall.maturity is None
    assert card.overall.coverage == 0.0
    gaps = gap_list(mini, card)
    # Unassessed items count as maturity 0 and are flagged: 3*4, 2*4, 1*4.
    assert [(g.item_id, g.priority, g.assessed) for g in gaps] == [
        ("X-1", 12, False),
        ("Y-1", 8, False),
        ("X-2", 4, False),
    ]


def test_all_na_area_has_no_score(mini: Framework) -> None:
    card = score_assessment(mini, {"q4": R.NA, "q5": R.NA, "q6": R.NA}, {"Y-1": 4})
    area = card.areas["Y"]
    assert area.items_na == 1 and area.implementation is None and area.maturity is None
    assert area.coverage is None  # nothing applicable


def test_maturity_four_is_not_a_gap(mini: Framework) -> None:
    card = score_assessment(mini, {}, {"X-1": 4, "X-2": 4, "Y-1": 3})
    assert [(g.item_id, g.priority) for g in gap_list(mini, card)] == [("Y-1", 2)]


def test_out_of_range_maturity_is_refused(mini: Framework) -> None:
    with pytest.raises(ValueError, match="X-1"):
        score_assessment(mini, {}, {"X-1": 5})


def test_compare_reports_what_moved(mini: Framework) -> None:
    before_answers = dict(ANSWERS)
    after_answers = {**ANSWERS, "q2": R.DONE, "q6": R.PARTIAL}
    before = score_assessment(mini, before_answers, MATURITY)
    after = score_assessment(mini, after_answers, {"X-1": 3, "Y-1": 1})
    diff = compare(mini, (before, before_answers), (after, after_answers))
    moved = {c.item_id: (c.direction, c.maturity_delta) for c in diff.moved()}
    # X-1 maturity 2→3; Y-1 same maturity but implementation 0.5 → 0.5 ((0+1+0.5)/3) = same.
    assert moved == {"X-1": ("up", 1)}
    assert [(q.question_id, q.before, q.after) for q in diff.questions] == [
        ("q2", R.PARTIAL, R.DONE),
        ("q6", None, R.PARTIAL),
    ]
    assert diff.overall[1].maturity == pytest.approx((3 * 3 + 1 * 2) / 5)


results = st.sampled_from([None, *Result])


@settings(max_examples=60, deadline=None)
@given(
    answers=st.fixed_dictionaries({q: results for q in ("q1", "q2", "q3", "q4", "q5", "q6")}),
    levels=st.fixed_dictionaries(
        {k: st.one_of(st.none(), st.integers(0, 4)) for k in ("X-1", "X-2", "Y-1")}
    ),
)
def test_overall_matches_brute_force(mini: Framework, answers: dict, levels: dict) -> None:
    given_answers = {k: v for k, v in answers.items() if v is not None}
    card = score_assessment(mini, given_answers, levels)
    value = {R.DONE: 1.0, R.PARTIAL: 0.5, R.NOT_DONE: 0.0}
    weights = {"X-1": 3, "X-2": 1, "Y-1": 2}
    questions = {"X-1": ["q1", "q2"], "X-2": ["q3"], "Y-1": ["q4", "q5", "q6"]}
    num = den = mnum = mden = 0.0
    for item, qs in questions.items():
        rs = [given_answers.get(q) for q in qs]
        if all(r is R.NA for r in rs):
            continue
        counted = [value[r] for r in rs if r is not None and r is not R.NA]
        if counted:
            num += weights[item] * sum(counted) / len(counted)
            den += weights[item]
        if levels[item] is not None:
            mnum += weights[item] * levels[item]
            mden += weights[item]
    expected = num / den if den else None
    assert card.overall.implementation == (
        pytest.approx(expected) if expected is not None else None
    )
    expected_m = mnum / mden if mden else None
    assert card.overall.maturity == (pytest.approx(expected_m) if expected_m is not None else None)
