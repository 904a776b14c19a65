"""Codes in other capabilities' messages turned into names for the reader.

The analyses name records by code in their warnings and explanations (a site id, an item id,
"SITE/ITEM"), which is right for a data steward and wrong for a board: the report shows
"name (code)" wherever it knows the name, and the code alone only where it does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Message parameters that hold a site id, an item id, or "site/item".
SITE_PARAMS = ("site", "to_site", "alt_site", "from_site")
ITEM_PARAMS = ("item",)
PAIR_PARAMS = ("example", "node")


def name_code(code: str, names: Mapping[str, str]) -> str:
    """``"name (code)"`` when ``code`` has a name that differs from it, else ``code``."""
    name = names.get(code)
    return f"{name} ({code})" if name and name != code else code


def named_params(
    params: Mapping[str, Any], sites: Mapping[str, str], items: Mapping[str, str]
) -> dict[str, Any]:
    """``params`` with the codes it holds named (other values untouched)."""
    out = dict(params)
    for key in SITE_PARAMS:
        if isinstance(out.get(key), str):
            out[key] = name_code(out[key], sites)
    for key in ITEM_PARAMS:
        if isinstance(out.get(key), str):
            out[key] = name_code(out[key], items)
    for key in PAIR_PARAMS:
        value = out.get(key)
        if isinstance(value, str) and value.count("/") == 1:
            site, item = value.split("/")
            if site in sites or item in items:
                out[key] = f"{name_code(site, sites)} / {name_code(item, items)}"
    return out
