"""Ranking single points of failure by time as well as structure.

Structurally, many sites "stop 12 products" with the same margin per week: the structural
figure cannot tell them apart. What separates them is time: a site whose loss is covered for
20 weeks by stock and whose recovery takes 11 is a smaller risk than one covered for 1 week that
takes 26 to recover. The site sweep (``econsec stress sweep --by site``) gives each site its
time-to-survive (TTS, the cover) against its time-to-recover (TTR) and the margin lost over the
recovery (the value at risk). The ranking, most urgent first:

1. sites whose cover runs out before recovery (TTS < TTR) before those whose cover outlasts it;
2. larger value at risk (lost margin over the recovery, from the sweep);
3. shorter cover (the tie-break when the value at risk is equal);
4. the structural figure (margin per week), then the id, so the order is stable.

Without a sweep the structural order stands and each row says so. Every row carries a reason;
where a row ties structurally with the row below it (same products stopped, same margin per
week), a second reason says which of the keys above put it first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from econsec.exposure.results import ElementLoss, Reason


@dataclass(frozen=True)
class RankedLoss:
    """One single point of failure with its time figures and why it ranks where it does."""

    loss: ElementLoss
    ttr_weeks: float | None
    tts_weeks: float | None
    """None with a sweep row: the cover outlasts any horizon (survives indefinitely)."""
    value_at_risk: float | None
    """Margin lost over the recovery (from the sweep); None without a sweep row."""
    swept: bool
    reasons: tuple[Reason, ...]

    @property
    def exposed(self) -> bool:
        """True when the cover runs out before recovery (a loss is expected)."""
        if not self.swept or self.ttr_weeks is None:
            return False
        return self.tts_weeks is not None and self.tts_weeks < self.ttr_weeks

    @property
    def uncovered_weeks(self) -> float:
        if not self.exposed or self.ttr_weeks is None or self.tts_weeks is None:
            return 0.0
        return self.ttr_weeks - self.tts_weeks


def _weeks(x: float | None) -> str:
    return "∞" if x is None else f"{x:.1f}"


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _key(r: RankedLoss) -> tuple[Any, ...]:
    tts = math.inf if r.tts_weeks is None else r.tts_weeks
    var = r.value_at_risk or 0.0
    return (not r.swept, not r.exposed, -var, tts, -r.loss.margin_per_week, r.loss.element_id)


def _structure(loss: ElementLoss) -> tuple[int, float]:
    """What the structural analysis can tell sites apart by (margin rounded to a unit)."""
    return len(loss.products), round(loss.margin_per_week)


def _why_above(a: RankedLoss, b: RankedLoss, currency: str) -> Reason:
    """Why ``a`` ranks above ``b`` when they are structurally the same."""
    params: dict[str, Any] = {
        "other": b.loss.element_id,
        "products": len(a.loss.products),
        "tts": _weeks(a.tts_weeks),
        "other_tts": _weeks(b.tts_weeks),
        "ttr": _weeks(a.ttr_weeks),
        "other_ttr": _weeks(b.ttr_weeks),
    }
    if not a.swept or not b.swept:
        return Reason("exposure.rank.tie_unswept", params, 0.0)
    if a.exposed and not b.exposed:
        return Reason("exposure.rank.tie_exposed", params, 0.0)
    if not math.isclose(a.value_at_risk or 0.0, b.value_at_risk or 0.0, rel_tol=1e-9):
        params |= {
            "var": _money(a.value_at_risk or 0.0),
            "other_var": _money(b.value_at_risk or 0.0),
            "currency": currency,
        }
        return Reason("exposure.rank.tie_value", params, 0.0)
    return Reason("exposure.rank.tie_cover", params, 0.0)


def rank_losses(
    losses: Sequence[ElementLoss], sweep_rows: Sequence[Mapping[str, Any]], currency: str
) -> list[RankedLoss]:
    """``losses`` (one kind, e.g. sites) ranked by time against recovery and value at risk.

    ``sweep_rows`` are the rows of a stored sweep of the same kind and data version
    (``id``, ``ttr_weeks``, ``tts_weeks`` — None for "survives indefinitely" — and
    ``lost_margin``); a loss without a row keeps its structural place below the swept ones.
    """
    by_id = {str(row["id"]): row for row in sweep_rows}
    unranked: list[RankedLoss] = []
    for loss in losses:
        row = by_id.get(loss.element_id)
        params: dict[str, Any] = {
            "products": len(loss.products),
            "margin": _money(loss.margin_per_week),
            "currency": currency,
        }
        if row is None or row.get("status", "ok") != "ok":
            reason = Reason("exposure.rank.unswept", params, 0.0)
            unranked.append(RankedLoss(loss, None, None, None, False, (reason,)))
            continue
        ttr = float(row["ttr_weeks"]) if row.get("ttr_weeks") is not None else None
        tts = float(row["tts_weeks"]) if row.get("tts_weeks") is not None else None
        var = float(row.get("lost_margin") or 0.0)
        ranked = RankedLoss(loss, ttr, tts, var, True, ())
        params |= {"tts": _weeks(tts), "ttr": _weeks(ttr)}
        if ranked.exposed:
            params |= {"gap": f"{ranked.uncovered_weeks:.1f}", "var": _money(var)}
            reason = Reason("exposure.rank.exposed", params, 0.0)
        else:
            reason = Reason("exposure.rank.covered", params, 0.0)
        unranked.append(RankedLoss(loss, ttr, tts, var, True, (reason,)))
    ordered = sorted(unranked, key=_key)
    # The next structurally tied row below each row (same products stopped, same margin/week).
    groups: dict[tuple[int, float], list[int]] = {}
    for i, r in enumerate(ordered):
        groups.setdefault(_structure(r.loss), []).append(i)
    next_tied: dict[int, int] = {}
    for members in groups.values():
        next_tied.update(pairwise(members))
    out: list[RankedLoss] = []
    for i, r in enumerate(ordered):
        if i in next_tied:
            below = ordered[next_tied[i]]
            r = RankedLoss(
                r.loss, r.ttr_weeks, r.tts_weeks, r.value_at_risk, r.swept,
                (*r.reasons, _why_above(r, below, currency)),
            )  # fmt: skip
        out.append(r)
    return out
