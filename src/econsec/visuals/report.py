"""The visuals section of the board report: the supplier map as a static SVG, with its text
alternative, in both languages."""

from __future__ import annotations

from econsec.i18n import t
from econsec.reports.model import Chart, Section
from econsec.visuals.sitemap import SPOF, SiteMapData
from econsec.visuals.svgmap import map_svg

LANGUAGES = ("ja", "en")


def section_for(data: SiteMapData) -> Section:
    counts = {
        "countries": len(data.supplier_countries),
        "sites": len(data.sites),
        "spof": sum(s.exposure == SPOF for s in data.sites),
    }
    title = {lang: t("visuals.report.title", lang) for lang in LANGUAGES}
    return Section(
        id="visuals.map",
        title=title,
        paragraphs=[{lang: t("visuals.map.lead", lang) for lang in LANGUAGES}],
        charts=[
            Chart(
                id="visuals.site_map",
                kind="svg",
                title=title,
                data={"svg": map_svg(data, title["en"])},
                alt={lang: t("visuals.report.alt", lang, **counts) for lang in LANGUAGES},
            )
        ],
    )


def map_section(data_version: str) -> Section | None:
    """The report's map of ``data_version``, or None when nothing is analysed for it."""
    from econsec.visuals import gather

    data = gather.map_data()
    if data is None or data.data_version != data_version:
        return None
    return section_for(data)
