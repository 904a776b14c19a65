"""Assemble the board report from stored results (pure: no database, no Django).

Inputs are the exposure report of one data version, the stored stress results (scenario and
sweep payloads) when there are any, the latest self-assessment score when there is one, and
two facts about the value chain the exposure report does not carry: each item's critical and
mineral tags, and our own countries.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from econsec.exposure.ranking import RankedLoss, rank_losses
from econsec.exposure.results import ExposureReport, ProductResult, Reason
from econsec.i18n import LANGUAGES, t
from econsec.reference.labels import category_label, country_label, mineral_label, tag_label
from econsec.reports import charts as charting
from econsec.reports import findings as rules
from econsec.reports.actions import recommend, with_owners
from econsec.reports.changes import compare, report_index
from econsec.reports.decisions import PendingAcceptance, decisions
from econsec.reports.model import (
    BI,
    MONEY,
    NUM,
    PCT,
    SCORE,
    TEXT,
    Action,
    ActionOwner,
    BoardReport,
    Column,
    Figure,
    ScenarioLine,
    Table,
)
from econsec.reports.naming import named_params
from econsec.reports.text import Bilingual, Money, Num, Pct, both, joined, same

# A product is "at risk" when one outside site alone can stop it (decision 0080).
TOP_ROWS = 25


@dataclass(frozen=True)
class Assessment:
    """The latest self-assessment (guideline package), as the report shows it."""

    name: str
    date: str
    implementation: float | None  # 0..1
    maturity: float | None  # 0..4
    status: str
    areas: tuple[tuple[Bilingual, float | None], ...] = ()


@dataclass(frozen=True)
class StoredScenario:
    """A stored stress result with its scenario's names in both languages."""

    name: Bilingual
    payload: dict[str, Any]


def col(key: str, kind: str = TEXT) -> Column:
    return Column(both(f"reports.col.{key}"), kind)


def country_exposure(products: Sequence[ProductResult]) -> dict[str, float]:
    """Revenue-weighted share of input value by country of origin, over all products.

    Products without revenue weigh equally among themselves when no product has revenue.
    """
    weights = [p.revenue_per_week if math.isfinite(p.revenue_per_week) else 0.0 for p in products]
    total = sum(weights)
    if total <= 0:
        weights = [1.0] * len(products)
        total = float(len(products)) or 1.0
    out: dict[str, float] = {}
    for p, w in zip(products, weights, strict=True):
        for country, share in p.country_shares.items():
            out[country] = out.get(country, 0.0) + w * share / total
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def products_at_risk(products: Sequence[ProductResult]) -> list[ProductResult]:
    """Products that one outside site alone can stop, by revenue at stake."""
    risky = [p for p in products if p.single_points_of_failure]
    return sorted(risky, key=lambda p: (-_finite(p.revenue_per_week), p.site_id, p.item_id))


def single_source_critical(
    report: ExposureReport, item_tags: Mapping[str, Sequence[str]]
) -> list[tuple[str, str, list[str], str, str, bool]]:
    """Tagged items with a single qualified source: (item, name, tags, supplier, country, sole)."""
    rows = []
    for r in report.items:
        tags = list(item_tags.get(r.item_id, ()))
        if r.single_source and tags:
            rows.append(
                (r.item_id, r.item_name, tags, r.top_supplier, r.top_country, r.sole_source)
            )
    rows.sort(key=lambda x: (not x[5], x[0]))
    return rows


def _country(code: str) -> Bilingual:
    return {lang: country_label(code, lang) for lang in LANGUAGES}


def _country_named(name: str, country: str) -> Bilingual:
    return {lang: f"{name} ({country_label(country, lang)})" for lang in LANGUAGES}


def _finite(x: float) -> float:
    return x if math.isfinite(x) else 0.0


def _tags_label(tags: Sequence[str]) -> Bilingual:
    def name(tag: str, lang: str) -> str:
        return category_label(tag, lang) if tag.startswith("urn:") else tag_label(tag, lang)

    return {lang: ", ".join(dict.fromkeys(name(x, lang) for x in tags)) for lang in LANGUAGES}


def _category_label(key: str, mineral: bool) -> Bilingual:
    """A critical-product category (by id) or a mineral (by tag) in both languages."""
    name = mineral_label if mineral else category_label
    return {lang: name(key, lang) for lang in LANGUAGES}


def _sweep_rows(sweep: Mapping[str, Any] | None, by: str) -> list[Mapping[str, Any]]:
    if not sweep or sweep.get("by", by) != by:
        return []
    return list(sweep.get("rows") or [])


def _named(reason: Reason, names: Mapping[str, str]) -> Reason:
    """``reason`` with the site it compares against named, not coded."""
    other = reason.params.get("other")
    if isinstance(other, str) and other in names:
        return Reason(reason.code, {**reason.params, "other": names[other]}, reason.points)
    return reason


def _ranked_row(
    r: RankedLoss, kind_label: Bilingual, names: Mapping[str, str] | None = None
) -> list[Any]:
    e = r.loss
    cover: Bilingual | None = None
    if r.swept:
        cover = both(
            "reports.cell.cover_recovery",
            tts="∞" if r.tts_weeks is None else f"{r.tts_weeks:.1f}",
            ttr="—" if r.ttr_weeks is None else f"{r.ttr_weeks:g}",
        )
    why = {lang: " ".join(_named(x, names or {}).text(lang) for x in r.reasons)
           for lang in LANGUAGES}  # fmt: skip
    return [kind_label, e.name, _country(e.country), len(e.products), e.margin_per_week,
            cover, r.value_at_risk, why]  # fmt: skip


def _worst_rei(report: ExposureReport, sweep: Mapping[str, Any] | None, cur: str) -> Figure | None:
    site_name = {e.element_id: e.name for e in report.losses.get("site", [])}
    if sweep and sweep.get("rows"):
        row = sweep["rows"][0]
        # The headline and the top of the single-point-of-failure table agree: both rank by
        # time against recovery and value at risk, and the card says why.
        ranked = rank_losses(report.losses.get("site", []), _sweep_rows(sweep, "site"), cur)
        if ranked and ranked[0].swept:
            row = next((r for r in sweep["rows"] if r["id"] == ranked[0].loss.element_id), row)
        why = [
            {lang: _named(x, site_name).text(lang) for lang in LANGUAGES}
            for x in (ranked[0].reasons if ranked and ranked[0].swept else ())
        ]
        return Figure(
            id="worst_rei",
            label=both("reports.fig.worst_rei"),
            value=float(row.get("rei") or 0.0),
            display=same(
                f"{site_name.get(row['id'], row['id'])} · REI {float(row.get('rei') or 0):.2f}"
            ),
            reasons=[
                both(
                    "reports.reason.rei_sweep",
                    site=site_name.get(row["id"], row["id"]),
                    margin=Money(float(row.get("lost_margin") or 0), cur),
                    ttr=Num(float(row.get("ttr_weeks") or 0), 0),
                    entities=int(sweep.get("entities", len(sweep["rows"]))),
                ),
                *why,
            ],
            section="spof",
        )
    sites = report.losses.get("site", [])
    if not sites:
        return None
    worst = max(_finite(s.margin_per_week) for s in sites) or 1.0
    top = sites[0]
    return Figure(
        id="worst_rei",
        label=both("reports.fig.worst_rei_structural"),
        value=_finite(top.margin_per_week) / worst,
        display=same(f"{top.name} · {_finite(top.margin_per_week) / worst:.2f}"),
        reasons=[
            both(
                "reports.reason.rei_structural",
                site=_country_named(top.name, top.country),
                products=len(top.products),
                margin=Money(top.margin_per_week, cur),
            )
        ],
        section="spof",
    )


def assemble(
    report: ExposureReport,
    *,
    item_tags: Mapping[str, Sequence[str]],
    home: Collection[str],
    scenarios: Sequence[StoredScenario] = (),
    sweep: Mapping[str, Any] | None = None,
    assessment: Assessment | None = None,
    created_at: str = "",
    top: int = TOP_ROWS,
    own: Collection[str] = (),
    site_names: Mapping[str, str] | None = None,
    site_org: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
    owners: Mapping[str, ActionOwner] | None = None,
    pending: Sequence[PendingAcceptance] = (),
    previous: Mapping[str, Any] | None = None,
) -> BoardReport:
    """The board report of ``report``'s data version (see decisions 0080 and 0140).

    ``site_names``, ``site_org`` and ``item_names`` (site id → name / organisation id, item id
    → name) let the report speak of places and parts by name; ``pending`` are register entries awaiting acceptance; ``previous`` is the
    last stored report (JSON) to compare with; ``owners`` are the governance register's
    actions by the recommended action's key (``actions.owner_key``).
    """
    cur = report.currency
    names: dict[str, str] = {e.element_id: e.name for e in report.losses.get("site", [])}
    names.update(site_names or {})
    items: dict[str, str] = {p.item_id: p.item_name for p in report.products}
    items.update({r.item_id: r.item_name for r in report.items})
    items.update(item_names or {})
    org_names: dict[str, str] = {e.element_id: e.name for e in report.losses.get("org", [])}
    org_names.update({s.org_id: s.name for s in report.suppliers})
    figures: list[Figure] = []
    tables: list[Table] = []

    # -- products ---------------------------------------------------------------------------
    at_risk = products_at_risk(report.products)
    risk_revenue = sum(_finite(p.revenue_per_week) for p in at_risk)
    reasons = [
        both(
            "reports.reason.products_at_risk",
            count=len(at_risk),
            total=len(report.products),
            revenue=Money(risk_revenue, cur),
        )
    ]
    if report.products:
        worst = report.products[0]  # sorted by score, lowest first
        reasons.append(
            both(
                "reports.reason.lowest_score",
                product=f"{worst.item_name} ({names.get(worst.site_id, worst.site_id)})",
                score=Num(worst.score, 0),
                why=_reason_text(worst),
            )
        )
    figures.append(
        Figure(
            id="products_at_risk",
            label=both("reports.fig.products_at_risk"),
            value=float(len(at_risk)),
            display=both("reports.fig.n_of_m", n=len(at_risk), m=len(report.products)),
            reasons=reasons,
            section="products",
        )
    )
    tables.append(
        Table(
            id="products",
            title=both("reports.table.products"),
            columns=[
                col("site"),
                col("name"),
                col("score", SCORE),
                col("revenue", MONEY),
                col("margin", MONEY),
                col("spof", NUM),
                col("top_country", BI),
                col("reasons", BI),
            ],
            rows=[
                [
                    names.get(p.site_id, p.site_id),
                    p.item_name,
                    p.score,
                    p.revenue_per_week,
                    p.margin_per_week,
                    len(p.single_points_of_failure),
                    _top_foreign(p, home),
                    joined(
                        [
                            {lang: f"−{r.points:g}: {r.text(lang)}" for lang in LANGUAGES}
                            for r in p.reasons[:2]
                        ]
                    ),
                ]
                for p in report.products[:top]
            ],
            note=both("reports.note.products"),
        )
    )

    # -- single points of failure -------------------------------------------------------------
    # Sites ranked by time against recovery and value at risk (exposure/ranking.py); the
    # organisations keep their structural order (the sweep disrupts sites).
    ranked = rank_losses(report.losses.get("site", []), _sweep_rows(sweep, "site"), cur)
    spof_rows = [_ranked_row(r, both("exposure.kind.site"), names) for r in ranked[:top]]
    spof_rows += [
        _ranked_row(r, both("exposure.kind.org"))
        for r in rank_losses(report.losses.get("org", [])[: max(5, top // 3)], [], cur)
    ]
    tables.append(
        Table(
            id="spof",
            title=both("reports.table.spof"),
            columns=[
                col("kind", BI),
                col("name"),
                col("country", BI),
                col("products_stopped", NUM),
                col("margin", MONEY),
                col("cover_recovery", BI),
                col("value_at_risk", MONEY),
                col("why_rank", BI),
            ],
            rows=spof_rows,
            note=both("reports.note.spof_time"),
        )
    )
    rei = _worst_rei(report, sweep, cur)
    if rei is not None:
        figures.append(rei)

    # -- countries ---------------------------------------------------------------------------
    exposure = country_exposure(report.products)
    by_country = {e.element_id: e for e in report.losses.get("country", [])}
    foreign = [(c, s) for c, s in exposure.items() if c not in home]
    if foreign:
        c, s = foreign[0]
        loss = by_country.get(c)
        named = {lang: country_label(c, lang) for lang in LANGUAGES}
        figures.append(
            Figure(
                id="top_country",
                label=both("reports.fig.top_country"),
                value=s,
                display={lang: f"{named[lang]} {s * 100:.0f}%" for lang in LANGUAGES},
                reasons=[
                    both("reports.reason.top_country", country=named, share=Pct(s)),
                    both(
                        "reports.reason.country_stop",
                        country=named,
                        products=len(loss.products) if loss else 0,
                        revenue=Money(loss.revenue_per_week if loss else 0.0, cur),
                    ),
                ],
                section="countries",
            )
        )
    tables.append(
        Table(
            id="countries",
            title=both("reports.table.countries"),
            columns=[
                col("country", BI),
                col("input_share", PCT),
                col("home", BI),
                col("products_stopped", NUM),
                col("revenue", MONEY),
            ],
            rows=[
                [
                    _country(c),
                    s,
                    both("reports.yes" if c in home else "reports.no"),
                    len(by_country[c].products) if c in by_country else 0,
                    by_country[c].revenue_per_week if c in by_country else 0.0,
                ]
                for c, s in list(exposure.items())[:top]
            ],
            note=both("reports.note.countries"),
        )
    )

    # -- critical products and minerals ------------------------------------------------------
    critical = single_source_critical(report, item_tags)
    figures.append(
        Figure(
            id="single_source_critical",
            label=both("reports.fig.single_source_critical"),
            value=float(len(critical)),
            display=same(str(len(critical))),
            reasons=[
                both(
                    "reports.reason.single_source_critical",
                    count=len(critical),
                    sole=sum(1 for x in critical if x[5]),
                    items=", ".join(x[1] for x in critical[:4]) or "—",
                )
            ],
            section="critical",
        )
    )
    tables.append(
        Table(
            id="critical",
            title=both("reports.table.critical"),
            columns=[
                col("name"),
                col("tags", BI),
                col("supplier"),
                col("country", BI),
                col("sole", BI),
            ],
            rows=[
                [
                    n,
                    _tags_label(tags),
                    org_names.get(sup, sup),
                    _country(cty),
                    both("reports.yes" if sole else "reports.no"),
                ]
                for _, n, tags, sup, cty, sole in critical[:top]
            ],
            note=both("reports.note.critical"),
        )
    )
    tables.append(
        Table(
            id="critical_exposure",
            title=both("reports.table.critical_exposure"),
            columns=[
                col("site"),
                col("name"),
                col("category", BI),
                col("input_share", PCT),
            ],
            rows=[
                [
                    names.get(p.site_id, p.site_id),
                    p.item_name,
                    _category_label(tag, mineral),
                    share,
                ]
                for p in report.products[:top]
                for tag, share, mineral in sorted(
                    [
                        *((k, v, False) for k, v in p.critical_products.items()),
                        *((k, v, True) for k, v in p.minerals.items()),
                    ],
                    key=lambda kv: -kv[1],
                )
            ],
            note=both("reports.note.critical_exposure"),
        )
    )
    tables.append(
        Table(
            id="suppliers",
            title=both("reports.table.suppliers"),
            columns=[
                col("name"),
                col("country", BI),
                col("single_slots", NUM),
                col("products_stopped", NUM),
                col("revenue", MONEY),
            ],
            rows=[
                [
                    s.name,
                    _country(s.country),
                    s.single_source_slots,
                    s.products_stopped,
                    s.revenue_at_risk_per_week,
                ]
                for s in report.suppliers[:top]
            ],
        )
    )

    # -- scenarios ---------------------------------------------------------------------------
    lines = [_scenario_line(s, names, items) for s in scenarios]
    missing = None if lines else both("reports.scenarios.missing")
    if lines:
        material = [x for x in lines if x.material]
        figures.append(
            Figure(
                id="scenarios",
                label=both("reports.fig.scenarios"),
                value=float(len(material)),
                display=both("reports.fig.n_of_m", n=len(material), m=len(lines)),
                reasons=[
                    both(
                        "reports.reason.scenario",
                        name=x.name,
                        tts=_weeks(x.tts_weeks),
                        ttr=_weeks(x.ttr_weeks),
                        margin=Money(x.lost_margin, cur),
                    )
                    for x in sorted(lines, key=lambda x: -x.lost_margin)[:3]
                ],
                section="scenarios",
            )
        )
    tables.append(
        Table(
            id="scenarios",
            title=both("reports.table.scenarios"),
            columns=[
                col("scenario", BI),
                col("ttr", NUM),
                col("tts", NUM),
                col("material", BI),
                col("lost_revenue", MONEY),
                col("lost_margin", MONEY),
            ],
            rows=[
                [
                    x.name,
                    x.ttr_weeks,
                    x.tts_weeks,
                    both("reports.yes" if x.material else "reports.no"),
                    x.lost_revenue,
                    x.lost_margin,
                ]
                for x in lines
            ],
            note=missing or both("reports.note.scenarios"),
        )
    )

    # -- self-assessment ---------------------------------------------------------------------
    if assessment is not None and assessment.implementation is not None:
        figures.append(
            Figure(
                id="assessment",
                label=both("reports.fig.assessment"),
                value=assessment.implementation,
                display=same(f"{assessment.implementation * 100:.0f}%"),
                reasons=[
                    both(
                        "reports.reason.assessment",
                        name=assessment.name,
                        date=assessment.date,
                        maturity=Num(assessment.maturity or 0.0, 1),
                        status={
                            lang: t(f"guideline.web.status.{assessment.status}", lang)
                            for lang in LANGUAGES
                        },
                    )
                ],
                section="summary",
            )
        )

    actions = recommend(
        report, item_tags=item_tags, home=home, scenarios=lines, currency=cur, own=own,
        ranked=ranked, site_org=site_org,
    )  # fmt: skip
    hashes = {x.name.get("en", ""): str(x.payload.get("scenario_hash", "")) for x in scenarios}
    actions = with_owners(actions, owners or {}, hashes)
    tables.append(
        Table(
            id="actions",
            title=both("reports.table.actions"),
            columns=[
                col("priority", NUM),
                col("action", BI),
                col("risk", MONEY),
                col("basis", BI),
                col("owner"),
                col("due", BI),
            ],
            rows=[
                [i + 1, a.text, a.figure, a.basis, a.owner or None, _due(a)]
                for i, a in enumerate(actions)
            ],
        )
    )
    notes = [
        {lang: t(w.code, lang, **named_params(w.params, names, items)) for lang in LANGUAGES}
        for w in report.warnings
    ]

    # -- page 1 and the pictures ---------------------------------------------------------------
    areas = list(assessment.areas) if assessment is not None else []
    with_products = [
        rules.ScenarioProducts(line, s.payload.get("products") or [])
        for line, s in zip(lines, scenarios, strict=True)
    ]
    found = rules.select(
        [
            *rules.scenario_findings(with_products, cur),
            rules.site_finding(ranked, cur),
            rules.country_finding(
                report.losses.get("country", []), home, len(report.products), cur
            ),
            rules.critical_finding(len(critical), sum(1 for x in critical if x[5])),
            rules.maturity_finding(areas),
        ]
    )
    pictures = [
        *(
            charting.product_tts_chart(i, x.line, x.products)
            for i, x in enumerate(with_products)
            if x.line in charting.scenarios_that_matter(lines) and x.products
        ),
        charting.site_cover_chart(ranked),
        charting.country_chart(exposure),
        charting.maturity_chart(areas),
    ]
    board = BoardReport(
        data_version=report.data_version,
        currency=cur,
        created_at=created_at,
        summary=figures,
        tables=tables,
        scenarios=lines,
        scenarios_missing=missing,
        actions=actions,
        notes=notes,
        findings=found,
        decisions=decisions(actions, found, pending, cur),
        charts=[c for c in pictures if c is not None],
        index={
            "spof": {
                e.element_id: e.name
                for e in report.losses.get("site", [])
                if e.element_id not in own
            }
        },
    )
    board.changes = compare(previous, board)
    board.index = report_index(board)
    return board


def _due(a: Action) -> Bilingual | None:
    if not a.due:
        return None
    if a.status in ("open", "in_progress", ""):
        return same(a.due)
    return both(f"reports.action.status.{a.status}", due=a.due)


def _reason_text(p: ProductResult) -> Bilingual:
    if not p.reasons:
        return same("—")
    return {lang: p.reasons[0].text(lang) for lang in LANGUAGES}


def _top_foreign(p: ProductResult, home: Collection[str]) -> Bilingual:
    for c, s in p.country_shares.items():
        if c not in home:
            return {lang: f"{country_label(c, lang)} {s * 100:.0f}%" for lang in LANGUAGES}
    return same("")


def _weeks(w: float | None) -> Bilingual:
    return both("reports.weeks.unlimited") if w is None else both("reports.weeks", n=Num(w, 1))


def _scenario_line(
    s: StoredScenario, sites: Mapping[str, str], items: Mapping[str, str]
) -> ScenarioLine:
    p = s.payload
    explanations: list[Bilingual] = []
    for e in p.get("explanations", []):
        try:
            params = named_params(e.get("params", {}), sites, items)
            explanations.append({lang: t(e["key"], lang, **params) for lang in LANGUAGES})
        except (KeyError, IndexError, ValueError):
            continue  # a message from another econsec version: show the figures only
    tts = p.get("tts_weeks")
    return ScenarioLine(
        name=s.name,
        ttr_weeks=None if p.get("ttr_weeks") is None else float(p["ttr_weeks"]),
        tts_weeks=None if tts is None else float(tts),
        material=bool(p.get("material")),
        lost_revenue=float(p.get("lost_revenue") or 0.0),
        lost_margin=float(p.get("lost_margin") or 0.0),
        explanations=explanations,
        data_version=str(p.get("data_version", "")),
    )
