"""The first page's findings: at most five, each one sentence with one number and its meaning.

The rules, in the order they claim a place (a rule with nothing to say gives way to the next):

1. **A product stops before it can recover** — for each material scenario (time to survive
   shorter than time to recover), largest lost margin first, the product whose cover runs out
   first: the weeks until it stops shipping against the weeks to recover.
2. **The most urgent single point of failure** — the top of the time-ranked site list when its
   cover runs out before recovery: weeks of cover, weeks to recover, margin lost meanwhile.
3. **A country's stop halts much of the business** — the foreign country whose stop halts the
   most revenue, when it halts at least a quarter of the products.
4. **Critical parts with one qualified source** — how many, when there is any.
5. **The weakest area of the guideline self-assessment** — when its maturity is below the
   "defined" level (3 of 4).

Time-based findings come first because they say how soon the board's business stops; the
structural and governance ones follow. Nothing refers to the demo company.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from econsec.exposure.ranking import RankedLoss
from econsec.exposure.results import ElementLoss
from econsec.i18n import LANGUAGES
from econsec.reference.labels import country_label
from econsec.reports.model import Finding, ScenarioLine
from econsec.reports.text import Bilingual, Money, Num, Pct, both

MAX_FINDINGS = 5
COUNTRY_SHARE_OF_PRODUCTS = 0.25
MATURITY_DEFINED = 3.0


@dataclass(frozen=True)
class ScenarioProducts:
    """A scenario's line and its per-product results (``name``, ``tts_weeks``, ``lost_margin``)."""

    line: ScenarioLine
    products: Sequence[Mapping[str, Any]]


def _country(code: str) -> Bilingual:
    return {lang: country_label(code, lang) for lang in LANGUAGES}


def scenario_findings(scenarios: Sequence[ScenarioProducts], currency: str) -> list[Finding]:
    """Rule 1: per material scenario, the product that stops first."""
    out = []
    for s in sorted(scenarios, key=lambda s: -s.line.lost_margin):
        line = s.line
        if not line.material or line.ttr_weeks is None:
            continue
        stopping = [
            p for p in s.products
            if p.get("tts_applies", True) and p.get("tts_weeks") is not None
            and float(p["tts_weeks"]) < line.ttr_weeks
        ]  # fmt: skip
        if not stopping:
            continue
        first = min(
            stopping, key=lambda p: (float(p["tts_weeks"]), -float(p.get("lost_margin") or 0))
        )
        out.append(
            Finding(
                rule="scenario_product",
                text=both(
                    "reports.finding.scenario_product",
                    product=str(first["name"]),
                    scenario=line.name,
                    tts=Num(float(first["tts_weeks"]), 1),
                    ttr=Num(line.ttr_weeks, 0),
                ),
                meaning=both(
                    "reports.finding.scenario_product_meaning",
                    count=len(stopping),
                    margin=Money(line.lost_margin, currency),
                ),
                value=float(first["tts_weeks"]),
                section="scenarios",
            )
        )
    return out


def site_finding(ranked: Sequence[RankedLoss], currency: str) -> Finding | None:
    """Rule 2: the most urgent single point of failure, when its cover ends before recovery."""
    top = ranked[0] if ranked else None
    if top is None or not top.exposed or top.tts_weeks is None or top.ttr_weeks is None:
        return None
    return Finding(
        rule="site_cover",
        text=both(
            "reports.finding.site_cover",
            site=top.loss.name,
            country=_country(top.loss.country),
            tts=Num(top.tts_weeks, 1),
            ttr=Num(top.ttr_weeks, 0),
        ),
        meaning=both(
            "reports.finding.site_cover_meaning",
            products=len(top.loss.products),
            margin=Money(top.value_at_risk or 0.0, currency),
        ),
        value=float(top.value_at_risk or 0.0),
        section="spof",
    )


def country_finding(
    countries: Sequence[ElementLoss], home: Collection[str], products: int, currency: str
) -> Finding | None:
    """Rule 3: the foreign country whose stop halts the most revenue, if it halts enough."""
    foreign = [c for c in countries if c.element_id not in home and c.revenue_per_week > 0]
    if not foreign or products <= 0:
        return None
    # The analysis's own order (most revenue first), so the finding and the action agree.
    top = foreign[0]
    if len(top.products) < COUNTRY_SHARE_OF_PRODUCTS * products:
        return None
    return Finding(
        rule="country",
        text=both(
            "reports.finding.country",
            country=_country(top.element_id),
            stopped=len(top.products),
            total=products,
        ),
        meaning=both(
            "reports.finding.country_meaning",
            revenue=Money(top.revenue_per_week, currency),
            share=Pct(len(top.products) / products),
        ),
        value=float(len(top.products)),
        section="countries",
    )


def critical_finding(single_source: int, sole: int) -> Finding | None:
    """Rule 4: critical-product and mineral parts with one qualified source."""
    if single_source <= 0:
        return None
    return Finding(
        rule="single_source_critical",
        text=both("reports.finding.critical", count=single_source),
        meaning=both("reports.finding.critical_meaning", sole=sole),
        value=float(single_source),
        section="critical",
    )


def maturity_finding(areas: Sequence[tuple[Bilingual, float | None]]) -> Finding | None:
    """Rule 5: the self-assessment area with the lowest maturity, when below "defined"."""
    scored = [(name, value) for name, value in areas if value is not None]
    if not scored:
        return None
    name, value = min(scored, key=lambda x: x[1])
    if value >= MATURITY_DEFINED:
        return None
    return Finding(
        rule="maturity",
        text=both("reports.finding.maturity", area=name, level=Num(value, 1)),
        meaning=both("reports.finding.maturity_meaning"),
        value=value,
        section="maturity",
    )


def select(candidates: Sequence[Finding | None], limit: int = MAX_FINDINGS) -> list[Finding]:
    """The first ``limit`` findings in rule order (``None``: the rule had nothing to say)."""
    return [f for f in candidates if f is not None][:limit]
