"""The board report's pictures as data (pure): each chart holds exactly the analyses' numbers,
so a test can hold a chart against the analysis it came from, and every output draws the same.

- time to survive against time to recover per product, for the scenarios that matter (the
  material ones, largest lost margin first);
- each single point of failure's cover against its recovery (the site sweep, ranked);
- input value by country of origin;
- self-assessment maturity by guideline area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from econsec.exposure.ranking import RankedLoss
from econsec.i18n import LANGUAGES
from econsec.reference.labels import country_label
from econsec.reports.model import Chart, ScenarioLine
from econsec.reports.text import Bilingual, both, same

SCENARIO_CHARTS = 2
MAX_BARS = 12


def scenarios_that_matter(lines: Sequence[ScenarioLine]) -> list[ScenarioLine]:
    """Material scenarios by lost margin, or the worst one when none is material."""
    ranked = sorted(lines, key=lambda x: (not x.material, -x.lost_margin))
    material = [x for x in ranked if x.material]
    return (material or ranked[:1])[:SCENARIO_CHARTS]


def product_tts_chart(
    index: int, line: ScenarioLine, products: Sequence[Mapping[str, Any]]
) -> Chart:
    """Per product: its time to survive (None: unlimited) against the scenario's recovery."""
    rows = [p for p in products if p.get("tts_applies", True)]
    # Shortest cover first: the products that stop first are what the board must see.
    rows.sort(key=lambda p: (p.get("tts_weeks") is None, p.get("tts_weeks") or 0.0, str(p["name"])))
    rows = rows[:MAX_BARS]
    ttr = line.ttr_weeks or 0.0
    return Chart(
        id=f"tts_ttr_{index}",
        kind="tts_ttr",
        title=both("reports.chart.tts_ttr", name=line.name),
        data={
            "labels": [same(str(p["name"])) for p in rows],
            "tts": [None if p.get("tts_weeks") is None else float(p["tts_weeks"]) for p in rows],
            "ttr": [ttr for _ in rows],
            "unit": both("reports.chart.unit_weeks"),
        },
        alt=both(
            "reports.chart.tts_ttr_alt",
            name=line.name,
            count=len(rows),
            short=sum(1 for p in rows if p.get("tts_weeks") is not None and p["tts_weeks"] < ttr),
            ttr=f"{ttr:g}",
        ),
    )


def site_cover_chart(ranked: Sequence[RankedLoss]) -> Chart | None:
    """Each swept single point of failure's cover against its recovery, most urgent first."""
    rows = [r for r in ranked if r.swept and r.ttr_weeks is not None][:MAX_BARS]
    if not rows:
        return None
    return Chart(
        id="site_cover",
        kind="tts_ttr",
        title=both("reports.chart.site_cover"),
        data={
            "labels": [_site_label(r) for r in rows],
            "tts": [r.tts_weeks for r in rows],
            "ttr": [float(r.ttr_weeks or 0.0) for r in rows],
            "unit": both("reports.chart.unit_weeks"),
        },
        alt=both(
            "reports.chart.site_cover_alt",
            count=len(rows),
            exposed=sum(1 for r in rows if r.exposed),
        ),
    )


def _site_label(r: RankedLoss) -> Bilingual:
    return {lang: f"{r.loss.name} ({country_label(r.loss.country, lang)})" for lang in LANGUAGES}


def country_chart(shares: Mapping[str, float]) -> Chart | None:
    """Input value by country of origin (all tiers, revenue-weighted), largest first."""
    rows = list(shares.items())[:MAX_BARS]
    if not rows:
        return None
    return Chart(
        id="countries",
        kind="bar",
        title=both("reports.chart.countries"),
        data={
            "labels": [{lang: country_label(c, lang) for lang in LANGUAGES} for c, _ in rows],
            "values": [float(s) for _, s in rows],
            "unit": both("reports.chart.unit_share"),
            "percent": True,
        },
        alt=both(
            "reports.chart.countries_alt",
            country={lang: country_label(rows[0][0], lang) for lang in LANGUAGES},
            share=f"{rows[0][1] * 100:.0f}%",
        ),
    )


def maturity_chart(areas: Sequence[tuple[Bilingual, float | None]]) -> Chart | None:
    """Average maturity (0–4) of each guideline area that has answers."""
    rows = [(name, value) for name, value in areas if value is not None]
    if not rows:
        return None
    weakest = min(rows, key=lambda x: x[1])
    return Chart(
        id="maturity",
        kind="bar",
        title=both("reports.chart.maturity"),
        data={
            "labels": [name for name, _ in rows],
            "values": [float(v) for _, v in rows],
            "unit": both("reports.chart.unit_maturity"),
            "max": 4.0,
        },
        alt=both("reports.chart.maturity_alt", area=weakest[0], level=f"{weakest[1]:.1f}"),
    )
