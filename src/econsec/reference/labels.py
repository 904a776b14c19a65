"""Japanese and English labels for data words: item tags, critical-product categories, minerals,
countries, units and the workbook's enum values.

Data keeps its stable slugs (``permanent_magnets``, ``urn:…:semiconductors``, ``CN``); whatever a
person reads goes through these functions so a Japanese page, CLI table, export or report never
shows a slug. A word with no label anywhere is shown as given (it is the user's own word).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from econsec.i18n import label, normalise_lang
from econsec.reference._data import read_yaml
from econsec.reference.countries import country_name, is_country
from econsec.reference.minerals import minerals, normalise_mineral_tag
from econsec.reference.products import critical_products, normalise_tag

__all__ = [
    "category_label",
    "country_label",
    "data_labels",
    "enum_label",
    "mineral_label",
    "tag_label",
    "unit_label",
]

CATEGORY_PREFIX = "urn:econsec:jp-critical-product:"


@cache
def data_labels() -> Mapping[str, Any]:
    """The parsed ``labels.yaml`` (tags, units, enums)."""
    document: Mapping[str, Any] = read_yaml("labels.yaml")
    return document


@cache
def _tag_texts() -> dict[str, dict[str, str]]:
    """Every known tag → its {ja, en} label: explicit entries first, then minerals and the
    category a tag belongs to."""
    texts: dict[str, dict[str, str]] = {}
    for product in critical_products():
        for tag in product.tags:
            texts.setdefault(tag, dict(product.names))
        # The category's own slug ("permanent-magnets") reads as the category too.
        texts.setdefault(normalise_tag(product.id.rsplit(":", 1)[-1]), dict(product.names))
    for key, mineral in minerals().items():
        texts[key] = dict(mineral.names)
    for tag, entry in (data_labels().get("tags") or {}).items():
        texts[normalise_tag(str(tag))] = {str(k): str(v) for k, v in entry.items()}
    return texts


def tag_label(tag: str, lang: str | None = None) -> str:
    """The label of an item tag (critical-product or mineral tag)."""
    texts = _tag_texts().get(normalise_tag(tag))
    return label(texts, lang) if texts else tag


def tag_has_label(tag: str) -> bool:
    return normalise_tag(tag) in _tag_texts()


def category_label(category: str, lang: str | None = None) -> str:
    """A critical-product category by id (``urn:…:semiconductors``) or its short slug."""
    short = category.rsplit(":", 1)[-1]
    for product in critical_products():
        if product.id == category or product.id.rsplit(":", 1)[-1] == short:
            return product.name(lang)
    return tag_label(short, lang)


def mineral_label(tag: str, lang: str | None = None) -> str:
    """A mineral by its tag; an alias keeps its own name (dysprosium, not rare earths)."""
    if tag_has_label(tag):
        return tag_label(tag, lang)
    canonical = normalise_mineral_tag(tag)
    return minerals()[canonical].name(lang) if canonical else tag


def country_label(code: str, lang: str | None = None) -> str:
    """A country's name by ISO alpha-2 code; anything else as given."""
    return country_name(code, normalise_lang(lang)) if code and is_country(code) else code


def unit_label(unit: str, lang: str | None = None) -> str:
    texts = (data_labels().get("units") or {}).get(unit)
    return label({str(k): str(v) for k, v in texts.items()}, lang) if texts else unit


def enum_label(field: str, value: str, lang: str | None = None) -> str:
    """An enum value of the workbook schema; ``field`` is ``sheet.column`` (``items.kind``)."""
    texts = ((data_labels().get("enums") or {}).get(field) or {}).get(value)
    return label({str(k): str(v) for k, v in texts.items()}, lang) if texts else value
