"""The autonomy score of a product: 100 minus explained deductions, never a bare number.

Each deduction is a :class:`Reason` carrying its figures and its points, so a reader can check
every point (docs/decisions/0061-autonomy-score.md). Caps keep one kind of weakness from hiding
the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from econsec.exposure.results import Reason, listed, pct

COUNTRY_SHARE_FLOOR = 0.25
COUNTRY_POINTS = 30.0
SPOF_POINTS_EACH, SPOF_CAP = 10.0, 30.0
SINGLE_POINTS_EACH, SINGLE_CAP = 5.0, 15.0
SOLE_POINTS_EACH, SOLE_CAP = 5.0, 10.0
CRITICAL_POINTS_EACH, CRITICAL_CAP = 5.0, 10.0
MINERAL_POINTS_EACH, MINERAL_CAP = 5.0, 10.0
CONCERN_POINTS = 20.0
# Input value of unknown origin (econsec.exposure.unknown): charged like a country group of
# concern, since nothing says it is not one; below the floor it is noise of partial data.
UNKNOWN_FLOOR = 0.05
UNKNOWN_POINTS = 20.0


@dataclass
class ScoreInputs:
    """The figures a product's score is made of."""

    country: str = ""
    country_share: float = 0.0
    via_suppliers: int = 0
    """Supplier organisations through which the country's value enters the chain."""
    via_tiers: str = ""
    """The tiers those suppliers sit at: "2", or a range "1–3"."""
    spof_sites: list[str] = field(default_factory=list)
    single_source_items: list[str] = field(default_factory=list)
    sole_source_items: list[str] = field(default_factory=list)
    critical: Mapping[str, float] = field(default_factory=dict)
    minerals: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """mineral → (share of input value, world production HHI or NaN)."""
    mineral_threshold: float = 0.25
    concern_group: str | None = None
    concern_share: float = 0.0
    unknown_by_tier: Mapping[int, float] = field(default_factory=dict)
    """tier (4: four or more) → share of input value entering through opaque suppliers there."""


_names, _pct = listed, pct


def score_product(x: ScoreInputs) -> tuple[float, list[Reason]]:
    """The score (0–100, higher is more autonomous) and the reasons for every point deducted."""
    reasons: list[Reason] = []
    if x.country and x.country_share >= COUNTRY_SHARE_FLOOR:
        reasons.append(
            Reason(
                "exposure.reason.country_share",
                {
                    "share": _pct(x.country_share),
                    "country": x.country,
                    "suppliers": x.via_suppliers,
                    "tiers": x.via_tiers,
                },
                round(COUNTRY_POINTS * x.country_share, 1),
            )
        )
    counted = (
        ("exposure.reason.single_point_of_failure", "sites", x.spof_sites, SPOF_CAP, SPOF_POINTS_EACH),
        ("exposure.reason.sole_source", "items", x.sole_source_items, SOLE_CAP, SOLE_POINTS_EACH),
        ("exposure.reason.single_source", "items", x.single_source_items, SINGLE_CAP,
         SINGLE_POINTS_EACH),
    )  # fmt: skip
    for key, noun, found, cap, each in counted:
        if found:
            reasons.append(
                Reason(key, {"count": len(found), noun: _names(found)}, min(cap, each * len(found)))
            )
    if x.critical:
        ranked = sorted(x.critical.items(), key=lambda kv: -kv[1])
        reasons.append(
            Reason(
                "exposure.reason.critical_product",
                {
                    "count": len(ranked),
                    "categories": [[k, v] for k, v in ranked],
                },
                min(CRITICAL_CAP, CRITICAL_POINTS_EACH * len(ranked)),
            )
        )
    concentrated = sorted(
        (m, s, h)
        for m, (s, h) in x.minerals.items()
        if not math.isnan(h) and h >= x.mineral_threshold
    )
    if concentrated:
        reasons.append(
            Reason(
                "exposure.reason.concentrated_mineral",
                {
                    "count": len(concentrated),
                    "minerals": [[m, h, s] for m, s, h in concentrated],
                    "threshold": f"{x.mineral_threshold:.2f}",
                },
                min(MINERAL_CAP, MINERAL_POINTS_EACH * len(concentrated)),
            )
        )
    if x.concern_group and x.concern_share > 0:
        reasons.append(
            Reason(
                "exposure.reason.concern_group",
                {"share": _pct(x.concern_share), "group": x.concern_group},
                round(CONCERN_POINTS * x.concern_share, 1),
            )
        )
    unknown = sum(x.unknown_by_tier.values())
    if unknown >= UNKNOWN_FLOOR:
        reasons.append(
            Reason(
                "exposure.reason.unknown_origin",
                {
                    "share": _pct(unknown),
                    "by_tier": [[k, v] for k, v in sorted(x.unknown_by_tier.items()) if v > 0],
                },
                round(UNKNOWN_POINTS * unknown, 1),
            )
        )
    reasons.sort(key=lambda r: -r.points)
    score = max(0.0, 100.0 - sum(r.points for r in reasons))
    return round(score, 1), reasons
