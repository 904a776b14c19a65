"""The previous detail-page walks, kept to measure against: one database query per tier
(per 500 frontier ids), over the ORM, stopping at 300 nodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from econsec.valuechain.models import BomLine, SupplyLink
from econsec.valuechain.web.tiers import Walk, walk_tiers

MAX_TIERS = 10
MAX_TIER_NODES = 300
_CHUNK = 500


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def site_walk(site_pk: int, upstream: bool) -> Walk[int]:
    near, far = (
        ("receiving_site_id", "supplier_site_id")
        if upstream
        else ("supplier_site_id", "receiving_site_id")
    )

    def expand(frontier: Sequence[int]) -> Iterable[tuple[int, int, Any]]:
        for chunk in _chunks(frontier):
            yield from SupplyLink.objects.filter(**{f"{near}__in": chunk}).values_list(
                near, far, "item_id"
            )

    return walk_tiers([site_pk], expand, max_tiers=MAX_TIERS, max_nodes=MAX_TIER_NODES)


def item_walk(item_pk: int) -> Walk[tuple[int, int]]:
    children: dict[int, list[int]] = {}

    def inputs(item_ids: set[int]) -> None:
        missing = [i for i in item_ids if i not in children]
        for i in missing:
            children[i] = []
        for chunk in _chunks(missing):
            for parent, child in BomLine.objects.filter(parent_item_id__in=chunk).values_list(
                "parent_item_id", "child_item_id"
            ):
                children[parent].append(child)

    def expand(frontier: Sequence[tuple[int, int]]) -> Iterable[tuple[Any, Any, Any]]:
        if frontier == [(0, item_pk)]:
            bought = SupplyLink.objects.filter(item_id=item_pk).values_list(
                "supplier_site_id", "item_id"
            )
            if not bought.exists():
                inputs({item_pk})
                bought = SupplyLink.objects.filter(item_id__in=children[item_pk]).values_list(
                    "supplier_site_id", "item_id"
                )
            for sup, it in bought:
                yield (0, item_pk), (sup, it), None
            return
        inputs({it for _, it in frontier})
        wanted: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for site, it in frontier:
            for child in children.get(it, []):
                wanted.setdefault((site, child), []).append((site, it))
        sites_ = sorted({s for s, _ in wanted})
        for chunk in _chunks(sites_):
            for sup, child, recv in SupplyLink.objects.filter(
                receiving_site_id__in=chunk
            ).values_list("supplier_site_id", "item_id", "receiving_site_id"):
                for source in wanted.get((recv, child), []):
                    yield source, (sup, child), None

    return walk_tiers([(0, item_pk)], expand, max_tiers=MAX_TIERS, max_nodes=MAX_TIER_NODES)
