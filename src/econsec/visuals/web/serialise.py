"""The pictures' data as JSON: what the endpoints return and the pages' scripts draw."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from econsec.i18n import t
from econsec.reference.gazetteer import chokepoints
from econsec.reference.labels import country_label
from econsec.visuals.flows import FlowData, sankey
from econsec.visuals.network import NetNode, NetworkData
from econsec.visuals.sitemap import SiteMapData, clusters

EXPOSURES = ("spof", "at_risk", "none", "own")


def map_json(data: SiteMapData, lang: str) -> dict[str, Any]:
    grouped = clusters(data.sites)
    countries = sorted({s.country for s in data.sites} | set(data.countries))
    return {
        "data_version": data.data_version,
        "currency": data.currency,
        "classes": {c: t(f"visuals.exposure.{c}", lang) for c in EXPOSURES},
        "country_names": {c: country_label(c, lang) for c in countries},
        "countries": data.countries,
        "country_revenue_at_risk": data.country_revenue_at_risk,
        "supplier_countries": data.supplier_countries,
        "sites": None if grouped else [asdict(s) for s in data.sites],
        "clusters": [asdict(c) for c in grouped] if grouped else None,
        "site_count": len(data.sites),
        "spof_count": sum(s.exposure == "spof" for s in data.sites),
        "unplaced": data.unplaced,
        "chokepoints": [
            {"id": c.id, "name": c.name(lang), "lat": c.lat, "lon": c.lon} for c in chokepoints()
        ],
    }


def flows_json(data: FlowData, lang: str) -> dict[str, Any]:
    nodes, links = sankey(data)

    def label(node: str) -> str:
        step, country = node.split(":", 1)
        name = t("visuals.flows.other", lang) if country == "*" else country_label(country, lang)
        return f"{t('visuals.flows.step', lang, step=step)} · {name}"

    return {
        "data_version": data.data_version,
        "currency": data.currency,
        "depth": data.depth,
        "flows": [asdict(f) for f in data.flows],
        "step_totals": {str(k): v for k, v in data.step_totals.items()},
        "into_own": data.into_step(0),
        "links_without_value": data.links_without_value,
        "links_without_tier": data.links_without_tier,
        "sankey": {
            "nodes": [{"name": n, "label": label(n), "depth": int(n.split(":")[0])} for n in nodes],
            "links": [{"source": s, "target": d, "value": v} for s, d, v in links],
        },
    }


def _cover_text(node: NetNode, lang: str) -> str:
    if node.ttr_weeks is None:
        return ""
    tts = (
        t("visuals.network.unlimited", lang) if node.tts_weeks is None else f"{node.tts_weeks:.1f}"
    )
    return t("visuals.network.tooltip_cover", lang, tts=tts, ttr=f"{node.ttr_weeks:.1f}")


def network_json(data: NetworkData, lang: str) -> dict[str, Any]:
    return {
        "product": data.product,
        "data_version": data.data_version,
        "currency": data.currency,
        "spof": list(data.spof),
        "short": list(data.short),
        "swept": data.swept,
        "pooled": data.pooled,
        "nodes": [
            {
                **asdict(n),
                "country_name": country_label(n.country, lang),
                "cover": _cover_text(n, lang),
            }
            for n in data.nodes
        ],
        "short_label": t("visuals.network.short_mark", lang),
        "edges": [asdict(e) for e in data.edges],
    }
