"""Recommended actions, each derived from a figure of the analysis (never canned text).

Actions are ranked by time-based risk, not by the structural figure (which is the same
all-or-nothing amount for every site that stops the whole range): the margin lost before
recovery where a stress result gives the time — the site sweep for a site, its organisation and
its country, the scenario for a scenario — and only then, below every timed action, by the
margin per week at stake. Every action names what to do, its risk and the figures it rests on,
by name, so a board member can check it against the appendix.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from econsec.exposure.ranking import RankedLoss
from econsec.exposure.results import ElementLoss, ExposureReport
from econsec.i18n import LANGUAGES
from econsec.reference.labels import category_label, country_label, tag_label
from econsec.reports.model import Action, ActionOwner, ScenarioLine
from econsec.reports.text import Bilingual, Money, Num, both

MAX_ACTIONS = 8
SPOF_ACTIONS = 3


def _f(x: float) -> float:
    return x if math.isfinite(x) else 0.0


def _country(code: str) -> Bilingual:
    return {lang: country_label(code, lang) for lang in LANGUAGES}


def _tag(tag: str, lang: str) -> str:
    return category_label(tag, lang) if tag.startswith("urn:") else tag_label(tag, lang)


def _worst(ranked: Sequence[RankedLoss]) -> RankedLoss | None:
    """The swept site with the largest margin lost before recovery."""
    timed = [r for r in ranked if r.swept and r.value_at_risk is not None]
    return max(timed, key=lambda r: r.value_at_risk or 0.0, default=None)


def _site_action(r: RankedLoss, cur: str) -> Action:
    e = r.loss
    site = {lang: f"{e.name} ({country_label(e.country, lang)})" for lang in LANGUAGES}
    if r.swept and r.value_at_risk is not None:
        return Action(
            text=both("reports.action.spof_site", site=site),
            figure=r.value_at_risk,
            basis=both(
                "reports.basis.spof_site_timed",
                tts=both("reports.weeks.unlimited") if r.tts_weeks is None else Num(r.tts_weeks, 1),
                ttr=Num(r.ttr_weeks or 0.0, 0),
                products=len(e.products),
                var=Money(r.value_at_risk, cur),
            ),
            key=f"site:{e.element_id}",
            timed=True,
        )
    return Action(
        text=both("reports.action.spof_site", site=site),
        figure=_f(e.margin_per_week),
        basis=both(
            "reports.basis.spof_site",
            products=len(e.products),
            margin=Money(e.margin_per_week, cur),
        ),
        key=f"site:{e.element_id}",
    )


def _timed_or_weekly(
    sites: Sequence[RankedLoss], loss: ElementLoss, cur: str, key: str
) -> tuple[float, bool, Bilingual]:
    """An organisation's or country's risk: at least its worst swept site's margin lost before
    recovery, else its margin per week (the basis says which)."""
    worst = _worst(sites)
    if worst is not None:
        return (
            float(worst.value_at_risk or 0.0),
            True,
            both(f"reports.basis.{key}_timed", site=worst.loss.name,
                 var=Money(worst.value_at_risk or 0.0, cur), products=len(loss.products)),
        )  # fmt: skip
    return (
        _f(loss.margin_per_week),
        False,
        both(f"reports.basis.{key}", products=len(loss.products),
             margin=Money(loss.margin_per_week, cur)),
    )  # fmt: skip


def recommend(
    report: ExposureReport,
    *,
    item_tags: Mapping[str, Sequence[str]],
    home: Collection[str],
    scenarios: Sequence[ScenarioLine],
    currency: str,
    own: Collection[str] = (),
    ranked: Sequence[RankedLoss] = (),
    site_org: Mapping[str, str] | None = None,
) -> list[Action]:
    """Actions for the weakest points of ``report`` and the material scenarios, most urgent
    first.

    ``own``: our own site and organisation ids (their loss is a continuity matter, not
    sourcing). ``ranked``: the sites ranked by time (``exposure.ranking.rank_losses``).
    ``site_org``: site id → organisation id, to give an organisation its sites' times.
    """
    cur = currency
    out: list[Action] = []
    site_org = site_org or {}
    org_loss = {e.element_id: e for e in report.losses.get("org", [])}
    if not ranked:
        from econsec.exposure.ranking import rank_losses

        ranked = rank_losses(report.losses.get("site", []), [], cur)

    # 1. Outside sites whose loss alone stops products: qualify an alternative source.
    outside = [
        r for r in ranked if r.loss.element_id not in own and _f(r.loss.revenue_per_week) > 0
    ]
    out.extend(_site_action(r, cur) for r in outside[:SPOF_ACTIONS])

    # 2. Critical items with one qualified source: second-source them, grouped by the sole
    # supplier organisation.
    by_supplier: dict[str, list[tuple[str, str, Sequence[str]]]] = {}
    for row in report.items:
        tags = item_tags.get(row.item_id, ())
        if row.single_source and tags:
            by_supplier.setdefault(row.top_supplier, []).append((row.item_id, row.item_name, tags))
    for supplier, items in by_supplier.items():
        loss = org_loss.get(supplier) if supplier not in own else None
        if loss is None or _f(loss.revenue_per_week) <= 0:
            continue
        names = ", ".join(name for _, name, _ in items[:3])
        if len(items) > 3:
            names += f" (+{len(items) - 3})"
        labels = sorted({tag for _, _, ts in items for tag in ts})
        figure, timed, basis = _timed_or_weekly(
            [r for r in ranked if site_org.get(r.loss.element_id) == supplier], loss, cur,
            "second_source",
        )  # fmt: skip
        out.append(
            Action(
                text=both(
                    "reports.action.second_source",
                    item=names,
                    supplier=loss.name,
                    categories={
                        lang: ", ".join(dict.fromkeys(_tag(x, lang) for x in labels))
                        for lang in LANGUAGES
                    },
                ),
                figure=figure,
                basis=basis,
                key=f"supplier:{supplier}",
                timed=timed,
            )
        )

    # 3. The foreign country whose stop halts the most revenue: diversify.
    for e in report.losses.get("country", []):
        if e.element_id in home or _f(e.revenue_per_week) <= 0:
            continue
        figure, timed, basis = _timed_or_weekly(
            [r for r in ranked if r.loss.country == e.element_id], e, cur, "country"
        )
        out.append(
            Action(
                text=both("reports.action.country", country=_country(e.element_id)),
                figure=figure,
                basis=basis,
                key=f"country:{e.element_id}",
                timed=timed,
            )
        )
        break

    # 4. Material scenarios (time to survive shorter than time to recover): cover the gap.
    for s in scenarios:
        if not s.material or s.tts_weeks is None or s.ttr_weeks is None:
            continue
        gap = max(0.0, s.ttr_weeks - s.tts_weeks)
        out.append(
            Action(
                text=both("reports.action.scenario", name=s.name, gap=Num(gap, 1)),
                figure=s.lost_margin,
                basis=both(
                    "reports.basis.scenario",
                    tts=Num(s.tts_weeks, 1),
                    ttr=Num(s.ttr_weeks, 1),
                    revenue=Money(s.lost_revenue, cur),
                    margin=Money(s.lost_margin, cur),
                ),
                key=f"scenario:{s.name.get('en', '')}",
                timed=True,
            )
        )
    out.sort(key=lambda a: (not a.timed, -a.figure))
    return out[:MAX_ACTIONS]


def owner_key(kind: str, ref: str) -> str | None:
    """The recommended action's key a governance risk link stands for (None: no such action).

    ``element`` links name sweep elements (``site:ID``, ``org:ID``, ``country:CC``), ``spof``
    links a product's single point of failure (``SITE/ITEM``), and a risk linked to a scenario
    carries its content hash (``scenario-hash:H``).
    """
    if kind == "element" and ":" in ref:
        what, ident = ref.split(":", 1)
        return {"site": f"site:{ident}", "org": f"supplier:{ident}",
                "country": f"country:{ident}"}.get(what)  # fmt: skip
    if kind == "spof" and "/" in ref:
        return f"site:{ref.split('/', 1)[0]}"
    if kind == "scenario":
        return f"scenario-hash:{ref}"
    return None


def with_owners(
    actions: Sequence[Action],
    owners: Mapping[str, ActionOwner],
    scenario_hashes: Mapping[str, str] | None = None,
) -> list[Action]:
    """``actions`` with the owner, due date and status of the register action covering each.

    ``scenario_hashes``: scenario name (en) → content hash, for scenario actions.
    """
    out = []
    for a in actions:
        found = owners.get(a.key)
        if found is None and a.key.startswith("scenario:"):
            digest = (scenario_hashes or {}).get(a.key.split(":", 1)[1])
            found = owners.get(f"scenario-hash:{digest}") if digest else None
        out.append(a if found is None else replace(a, owner=found.owner, due=found.due,
                                                   status=found.status))  # fmt: skip
    return out
