"""The queries of the site and item detail pages, prepared once (econsec.web.prepared).

Each page reads its object, a bounded page of two related lists and the data version; built by
the ORM every time they cost more than the page's tier walk (docs/decisions/0058-per-request-
cpu.md). Rows come back as plain tuples and dicts, which is all the templates read.
"""

from __future__ import annotations

from typing import Any

from econsec.valuechain.models import BomLine, ImportRun, Item, Site, SupplyLink
from econsec.web.prepared import Prepared, int_marker, str_marker

RELATED_ROWS = 25  # rows of a related list shown before linking to the full list

_SITE_FIELDS = ("pk", "site_id", "name", "kind", "country", "region")
_SITE = Prepared(
    lambda key: Site.objects.filter(site_id=key).values_list(
        *_SITE_FIELDS, "organisation__org_id", "organisation__name"
    ),
    str_marker(0),
)
_ITEM_FIELDS = ("pk", "item_id", "name", "kind", "unit", "hs_code", "critical_tags", "mineral_tags")
_ITEM = Prepared(
    lambda key: Item.objects.filter(item_id=key).values_list(*_ITEM_FIELDS), str_marker(0)
)
_RECEIPTS = Prepared(
    lambda pk: (
        SupplyLink.objects.filter(receiving_site_id=pk)
        .order_by("id")
        .values_list(
            "supplier_site__site_id",
            "supplier_site__name",
            "item__item_id",
            "item__name",
            "share",
            "qualified",
        )[: RELATED_ROWS + 1]
    ),
    int_marker(0),
)
_SUPPLIES = Prepared(
    lambda pk: (
        SupplyLink.objects.filter(supplier_site_id=pk)
        .order_by("id")
        .values_list(
            "item__item_id",
            "item__name",
            "receiving_site__site_id",
            "receiving_site__name",
            "share",
        )[: RELATED_ROWS + 1]
    ),
    int_marker(0),
)
_INPUTS = Prepared(
    lambda pk: (
        BomLine.objects.filter(parent_item_id=pk)
        .order_by("child_item__item_id")
        .values_list("child_item__item_id", "child_item__name", "quantity_per_unit")[
            : RELATED_ROWS + 1
        ]
    ),
    int_marker(0),
)
_USES = Prepared(
    lambda pk: (
        BomLine.objects.filter(child_item_id=pk)
        .order_by("parent_item__item_id")
        .values_list("parent_item__item_id", "parent_item__name", "quantity_per_unit")[
            : RELATED_ROWS + 1
        ]
    ),
    int_marker(0),
)
# econsec.valuechain.store_io.current_version, prepared.
_VERSION = Prepared(
    lambda: (
        ImportRun.objects.filter(finished_at__isnull=False)
        .order_by("-pk")
        .values_list("data_version")[:1]
    )
)


def site(site_id: str) -> dict[str, Any] | None:
    """The site's shown fields, with ``organisation`` as {"org_id", "name"}; None if unknown."""
    row = _SITE.first(site_id)
    if row is None:
        return None
    found = dict(zip(_SITE_FIELDS, row[: len(_SITE_FIELDS)], strict=True))
    found["organisation"] = {"org_id": row[-2], "name": row[-1]}
    return found


def item(item_id: str) -> dict[str, Any] | None:
    """The item's shown fields; None if unknown."""
    row = _ITEM.first(item_id)
    return None if row is None else dict(zip(_ITEM_FIELDS, row, strict=True))


def bounded(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], bool]:
    """The first RELATED_ROWS of ``rows`` (fetched one more) and whether there are more."""
    return rows[:RELATED_ROWS], len(rows) > RELATED_ROWS


def receipts(site_pk: int) -> tuple[list[tuple[Any, ...]], bool]:
    """(supplier id, supplier name, item id, item name, share, qualified) by link order."""
    return bounded(_RECEIPTS.rows(site_pk))


def supplies(site_pk: int) -> tuple[list[tuple[Any, ...]], bool]:
    """(item id, item name, receiver id, receiver name, share) by link order."""
    return bounded(_SUPPLIES.rows(site_pk))


def inputs(item_pk: int) -> tuple[list[tuple[Any, ...]], bool]:
    """BOM inputs: (child id, child name, quantity per unit) by child id."""
    return bounded(_INPUTS.rows(item_pk))


def uses(item_pk: int) -> tuple[list[tuple[Any, ...]], bool]:
    """BOM uses: (parent id, parent name, quantity per unit) by parent id."""
    return bounded(_USES.rows(item_pk))


def data_version() -> str:
    """The stored value chain's data version ('' before the first import)."""
    row = _VERSION.first()
    return str(row[0]) if row is not None else ""
