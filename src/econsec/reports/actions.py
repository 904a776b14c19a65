"""Recommended actions, each derived from a figure of the analysis (never canned text).

Every action names what to do, the money per week it protects, and the figures it rests on, so
a board member can check it against the tables. Actions are ranked by that money.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

from econsec.exposure.results import ExposureReport
from econsec.reports.model import Action, ScenarioLine
from econsec.reports.text import Money, Num, both

MAX_ACTIONS = 8
SPOF_ACTIONS = 3


def _f(x: float) -> float:
    return x if math.isfinite(x) else 0.0


def recommend(
    report: ExposureReport,
    *,
    item_tags: Mapping[str, Sequence[str]],
    home: Collection[str],
    scenarios: Sequence[ScenarioLine],
    currency: str,
    own: Collection[str] = (),
) -> list[Action]:
    """Actions for the weakest points of ``report`` and the material scenarios, best first.

    ``own``: our own site and organisation ids (their loss is a continuity matter, not sourcing).
    """
    cur = currency
    out: list[Action] = []
    org_loss = {e.element_id: e for e in report.losses.get("org", [])}

    # 1. Outside sites whose loss alone stops products: qualify an alternative source.
    outside = [e for e in report.losses.get("site", []) if e.element_id not in own]
    for e in outside[:SPOF_ACTIONS]:
        if _f(e.revenue_per_week) <= 0:
            continue
        out.append(
            Action(
                text=both(
                    "reports.action.spof_site",
                    site=f"{e.name} ({e.element_id}, {e.country})",
                    revenue=Money(e.revenue_per_week, cur),
                ),
                figure=_f(e.revenue_per_week),
                basis=both(
                    "reports.basis.spof_site",
                    products=len(e.products),
                    revenue=Money(e.revenue_per_week, cur),
                    margin=Money(e.margin_per_week, cur),
                ),
            )
        )

    # 2. Critical items with one qualified source: second-source them. The money is what the
    # sole supplier organisation's loss stops (the loss table of organisations).
    by_supplier: dict[str, list[tuple[str, str, Sequence[str], str]]] = {}
    for r in report.items:
        tags = item_tags.get(r.item_id, ())
        if r.single_source and tags:
            by_supplier.setdefault(r.top_supplier, []).append(
                (r.item_id, r.item_name, tags, r.top_country)
            )
    for supplier, items in by_supplier.items():
        loss = org_loss.get(supplier) if supplier not in own else None
        revenue = _f(loss.revenue_per_week) if loss else 0.0
        if loss is None or revenue <= 0:
            continue
        names = ", ".join(f"{name} ({item})" for item, name, _, _ in items[:3])
        if len(items) > 3:
            names += f" (+{len(items) - 3})"
        tags = sorted({t.rsplit(":", 1)[-1] for _, _, ts, _ in items for t in ts})
        out.append(
            Action(
                text=both("reports.action.second_source", item=names, revenue=Money(revenue, cur)),
                figure=revenue,
                basis=both(
                    "reports.basis.second_source",
                    tags=", ".join(tags),
                    supplier=f"{loss.name} ({supplier})",
                    country=items[0][3],
                    products=len(loss.products),
                ),
            )
        )

    # 3. The foreign country whose stop halts the most revenue: diversify.
    for e in report.losses.get("country", []):
        if e.element_id in home or _f(e.revenue_per_week) <= 0:
            continue
        out.append(
            Action(
                text=both(
                    "reports.action.country",
                    country=e.element_id,
                    revenue=Money(e.revenue_per_week, cur),
                ),
                figure=_f(e.revenue_per_week),
                basis=both(
                    "reports.basis.country",
                    country=e.element_id,
                    products=len(e.products),
                    nodes=e.nodes_lost,
                ),
            )
        )
        break

    # 4. Material scenarios (time to survive shorter than time to recover): cover the gap.
    for s in scenarios:
        if not s.material or s.tts_weeks is None or s.ttr_weeks is None:
            continue
        gap = max(0.0, s.ttr_weeks - s.tts_weeks)
        weekly = s.lost_margin / gap if gap > 0 else s.lost_margin
        out.append(
            Action(
                text=both(
                    "reports.action.scenario",
                    name=s.name,
                    gap=Num(gap, 1),
                    margin=Money(s.lost_margin, cur),
                ),
                figure=weekly,
                basis=both(
                    "reports.basis.scenario",
                    tts=Num(s.tts_weeks, 1),
                    ttr=Num(s.ttr_weeks, 1),
                    revenue=Money(s.lost_revenue, cur),
                    weekly=Money(weekly, cur),
                ),
            )
        )
    out.sort(key=lambda a: -a.figure)
    return out[:MAX_ACTIONS]
