"""Names a person reads for what a footprint holds: countries, regions, chokepoints, minerals
in ja or en (the footprint itself keeps codes and the value chain's spellings)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from econsec import safe_yaml
from econsec.i18n import t


@cache
def _gazetteer() -> dict[str, Any]:
    text = resources.files("econsec.monitoring").joinpath("data/gazetteer.yaml").read_text("utf-8")
    data: dict[str, Any] = safe_yaml.load(text, source="gazetteer.yaml")[0]
    return data


def country_label(code: str, lang: str) -> str:
    from econsec.reference.countries import country_name, is_country

    return country_name(code, lang) if is_country(code) else code


def region_label(name: str, lang: str) -> str:
    """A region in ``lang``: Japan's prefectures from the reference gazetteer, others from the
    monitoring gazetteer's labels; a region neither knows is shown as written."""
    from econsec.reference.gazetteer import region

    data = _gazetteer()
    country = (data["regions"].get(name) or [""])[0]
    place = region(country or "JP", name)
    if place is not None:
        return place.name(lang)
    labels = data.get("region_labels", {}).get(name)
    return str(labels.get(lang, name)) if labels else name


def chokepoint_label(key: str, lang: str) -> str:
    from econsec.reference.gazetteer import chokepoints

    for place in chokepoints():
        if place.id == key:
            return place.name(lang)
    aliases = _gazetteer()["chokepoints"].get(key)
    return str(aliases[0]) if aliases else key


def value_label(field: str, value: str, lang: str) -> str:
    if field == "countries":
        return country_label(value, lang)
    if field == "regions":
        return region_label(value, lang)
    if field == "chokepoints":
        return chokepoint_label(value, lang)
    if field == "kind":
        return t(f"monitoring.kind.{value}", lang)
    return value


FIELDS = (
    "countries",
    "regions",
    "sites",
    "orgs",
    "entities",
    "items",
    "hs_prefixes",
    "mineral_tags",
    "critical_tags",
    "chokepoints",
)


def footprint_rows(footprint: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, values) per filled field of a stored footprint, names in ``lang``."""
    rows = [(t("monitoring.cli.col.kind", lang), value_label("kind", footprint["kind"], lang))]
    for name in FIELDS:
        values = footprint.get(name) or []
        if values:
            shown = "、".join if lang == "ja" else ", ".join
            rows.append(
                (
                    t(f"monitoring.field.{name}", lang),
                    shown(value_label(name, str(v), lang) for v in values),
                )
            )
    point = footprint.get("point")
    if point:
        rows.append(
            (
                t("monitoring.field.point", lang),
                t(
                    "monitoring.field.point_value",
                    lang,
                    lat=point["latitude"],
                    lon=point["longitude"],
                    km=point["radius_km"],
                ),
            )
        )
    if footprint.get("polygons"):
        rows.append((t("monitoring.field.polygons", lang), str(len(footprint["polygons"]))))
    return rows
