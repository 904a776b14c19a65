"""A technology's importance and tier, and an item's indispensability, each with its reasons.

Pure functions (no Django). Importance follows the issue's four questions, each rated 1–5:
market importance, strategic relevance (raised to 4 at least when the technology serves a
designated critical product, 特定重要物資), substitutability (from the years a competitor would
need to catch up) and the damage if it leaked. Tier 1 (crown jewels) where the mean is 4 or more
or the damage is 5; tier 2 from a mean of 3; tier 3 below.

Indispensability of an item we sell: how much others would struggle without it, from our global
market share, how long customers would need to switch and the share of their supply we provide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from econsec.technology.exposure import Reason

# Years a competitor would need → substitutability 1–5 (upper bounds, exclusive).
CATCH_UP_YEARS = (1.0, 2.0, 5.0, 10.0)
CRITICAL_FLOOR = 4


@dataclass(frozen=True)
class Importance:
    market: int
    strategic: int
    substitutability: int
    damage: int
    mean: float
    tier: int
    reasons: list[Reason]


def substitutability(years: float | None) -> int:
    """1 (a competitor catches up within a year) … 5 (ten years or more); unknown → 3."""
    if years is None:
        return 3
    return 1 + sum(years >= bound for bound in CATCH_UP_YEARS)


def importance(
    market: int, strategic: int, catch_up_years: float | None, damage: int,
    critical_tags: Sequence[str] = (),
) -> Importance:  # fmt: skip
    """Rate one technology; ``critical_tags`` are the critical-product tags of its items."""
    reasons = [Reason("technology.why.market", {"value": market})]
    if critical_tags and strategic < CRITICAL_FLOOR:
        reasons.append(Reason("technology.why.strategic_raised",
                              {"value": strategic, "floor": CRITICAL_FLOOR,
                               "tags": ", ".join(sorted(set(critical_tags)))}))  # fmt: skip
        strategic = CRITICAL_FLOOR
    else:
        reasons.append(Reason("technology.why.strategic", {"value": strategic}))
    subst = substitutability(catch_up_years)
    reasons.append(
        Reason("technology.why.substitutability", {"value": subst, "years": catch_up_years})
        if catch_up_years is not None
        else Reason("technology.why.substitutability_unknown", {"value": subst})
    )
    reasons.append(Reason("technology.why.damage", {"value": damage}))
    mean = (market + strategic + subst + damage) / 4
    tier = 1 if mean >= 4 or damage == 5 else 2 if mean >= 3 else 3
    reasons.append(Reason(f"technology.why.tier{tier}", {"mean": round(mean, 2)}))
    return Importance(market, strategic, subst, damage, mean, tier, reasons)


@dataclass(frozen=True)
class CustomerTie:
    """One customer of an item: months to qualify another source, the share of their supply
    we provide (0–1), and whether they are qualifying a second source now."""

    customer: str
    country: str
    switch_months: float | None
    share_of_supply: float | None
    second_source: bool


@dataclass(frozen=True)
class Indispensability:
    score: float  # 0–100
    share_part: float
    switch_part: float
    supply_part: float
    eroding: bool
    reasons: list[Reason]


SWITCH_FULL_MONTHS = 24.0  # a customer needing two years to switch counts in full
# Score bands for the board's counts: 60 needs e.g. a 30% share and customers needing two
# years to switch; below 30 a customer could replace us within a year even at a fair share.
INDISPENSABILITY_LEVELS = ("low", "medium", "high")
INDISPENSABILITY_FLOORS = (30.0, 60.0)


def indispensability_level(score: float) -> str:
    """``low`` below 30, ``medium`` from 30, ``high`` from 60 (of 100)."""
    return INDISPENSABILITY_LEVELS[sum(score >= f for f in INDISPENSABILITY_FLOORS)]


def indispensability(
    share: float | None, previous_share: float | None, customers: Sequence[CustomerTie]
) -> Indispensability:
    """Score = 40·market share + 40·mean switching time (capped at 24 months) + 20·mean share
    of the customers' supply; eroding where the share fell or a customer qualifies a second
    source."""
    reasons: list[Reason] = []
    share_part = 40.0 * (share or 0.0)
    reasons.append(
        Reason("technology.why.share", {"share": share, "points": round(share_part, 1)})
        if share is not None
        else Reason("technology.why.share_unknown", {})
    )
    switches = [c.switch_months for c in customers if c.switch_months is not None]
    mean_switch = (
        sum(min(m, SWITCH_FULL_MONTHS) for m in switches) / len(switches) if switches else 0.0
    )
    switch_part = 40.0 * mean_switch / SWITCH_FULL_MONTHS
    if switches:
        reasons.append(Reason("technology.why.switch", {"months": round(mean_switch, 1),
                              "customers": len(switches), "points": round(switch_part, 1)}))  # fmt: skip
    supplies = [c.share_of_supply for c in customers if c.share_of_supply is not None]
    mean_supply = sum(supplies) / len(supplies) if supplies else 0.0
    supply_part = 20.0 * mean_supply
    if supplies:
        reasons.append(Reason("technology.why.supply", {"share": mean_supply,
                              "points": round(supply_part, 1)}))  # fmt: skip
    eroding = False
    if share is not None and previous_share is not None and share < previous_share:
        eroding = True
        reasons.append(Reason("technology.why.share_falling",
                              {"before": previous_share, "now": share}))  # fmt: skip
    second = [c.customer for c in customers if c.second_source]
    if second:
        eroding = True
        reasons.append(Reason("technology.why.second_source", {"customers": ", ".join(second)}))
    score = round(share_part + switch_part + supply_part, 1)
    return Indispensability(score, share_part, switch_part, supply_part, eroding, reasons)
