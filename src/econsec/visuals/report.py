"""The visuals section of the board report: the supplier map and the tier flows as static SVG
drawn on the server, each with its text alternative, and the largest flows as a table."""

from __future__ import annotations

from econsec.i18n import t
from econsec.reference.labels import country_label
from econsec.reports.model import BI, MONEY, NUM, Chart, Column, Section, Table
from econsec.visuals.flows import UNKNOWN_COUNTRY, FlowData
from econsec.visuals.sitemap import SPOF, SiteMapData
from econsec.visuals.svgflows import flows_svg
from econsec.visuals.svgmap import map_svg

LANGUAGES = ("ja", "en")
FLOW_ROWS = 15


def _both(key: str, **params: object) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def _country(code: str) -> dict[str, str]:
    if code == UNKNOWN_COUNTRY:
        return _both("visuals.flows.unknown_country")
    return {lang: country_label(code, lang) for lang in LANGUAGES}


def map_chart(data: SiteMapData) -> Chart:
    counts = {
        "countries": len(data.supplier_countries),
        "sites": len(data.sites),
        "spof": sum(s.exposure == SPOF for s in data.sites),
    }
    title = _both("visuals.report.title")
    return Chart(
        id="visuals.site_map",
        kind="svg",
        title=title,
        data={"svg": map_svg(data, title["en"])},
        alt=_both("visuals.report.alt", **counts),
    )


def flows_chart(data: FlowData) -> Chart:
    bought = data.into_step(0)
    total = sum(bought.values())
    top = max(bought, key=lambda c: bought[c], default="")
    share = f"{100 * bought[top] / total:.0f}%" if total > 0 else "—"
    title = _both("visuals.flows.title")
    alt = {
        lang: t(
            "visuals.report.flows_alt",
            lang,
            depth=data.depth,
            countries=len({f.source_country for f in data.flows}),
            top=_country(top)[lang] if top else "—",
            share=share,
            unknown=data.links_without_value,
        )
        for lang in LANGUAGES
    }
    return Chart(
        id="visuals.tier_flows",
        kind="svg",
        title=title,
        data={"svg": flows_svg(data, title["en"])},
        alt=alt,
    )


def flows_table(data: FlowData) -> Table:
    largest = sorted(data.flows, key=lambda f: -f.value)[:FLOW_ROWS]
    return Table(
        id="visuals.tier_flows",
        title=_both("visuals.report.flows_table"),
        columns=[
            Column(_both("visuals.col.tier"), NUM),
            Column(_both("visuals.col.from"), BI),
            Column(_both("visuals.col.to"), BI),
            Column(_both("visuals.col.value"), MONEY),
        ],
        rows=[
            [f.step + 1, _country(f.source_country), _country(f.target_country), f.value]
            for f in largest
        ],
    )


def section_for(data: SiteMapData, flows: FlowData | None = None) -> Section:
    charts = [map_chart(data)]
    tables = []
    if flows is not None and flows.flows:
        charts.append(flows_chart(flows))
        tables.append(flows_table(flows))
    return Section(
        id="visuals.map",
        title=_both("visuals.report.section"),
        paragraphs=[_both("visuals.map.lead")]
        + ([_both("visuals.flows.lead")] if len(charts) > 1 else []),
        tables=tables,
        charts=charts,
    )


def map_section(data_version: str) -> Section | None:
    """The report's map and tier flows of ``data_version``, or None when nothing is analysed
    for it."""
    from econsec.visuals import gather

    data = gather.map_data()
    if data is None or data.data_version != data_version:
        return None
    return section_for(data, gather.flow_data())
