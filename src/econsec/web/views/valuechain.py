"""Value-chain pages: lists (search, filter, sort, keyset pages) and detail pages.

Each list is described by a :class:`ListSpec`; one template renders them all. Sorts are limited
to non-null, indexed columns so every page is an index walk (migration 0003_valuechain_indexes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from econsec.valuechain.models import BomLine, Item, Organisation, Site, SupplyLink

from ..listing import paginate
from ..roles import READ, role_required
from ..tiers import Walk, walk_tiers

PAGE_SIZE = 50
_CHUNK = 500  # stay far below every engine's limit on query parameters


@dataclass(frozen=True)
class Cell:
    text: Any
    url: str = ""
    kind: str = "text"  # text | num | code | pct | bool | tags


@dataclass(frozen=True)
class Filter:
    param: str
    label_key: str
    choices: Sequence[tuple[str, str]] = ()  # (value, message id); empty = free text
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]] = lambda qs, v: qs


@dataclass(frozen=True)
class ListSpec:
    name: str
    title_key: str
    headers: Sequence[str]
    base: Callable[[], QuerySet[Any]]
    row: Callable[[Any], list[Cell]]
    search: Callable[[QuerySet[Any], str], QuerySet[Any]]
    sorts: dict[str, tuple[str, str]]  # param -> (field, header message id)
    default_sort: str
    filters: Sequence[Filter] = field(default_factory=tuple)


def _kind_choices(values: Iterable[str]) -> list[tuple[str, str]]:
    return [(v, f"web.kind.{v}") for v in values]


def _org_url(org: Organisation) -> str:
    return reverse("web:organisation", args=[org.org_id])


def _site_url(site: Site) -> str:
    return reverse("web:site", args=[site.site_id])


def _item_url(item: Item) -> str:
    return reverse("web:item", args=[item.item_id])


def _text_search(*fields: str) -> Callable[[QuerySet[Any], str], QuerySet[Any]]:
    def apply(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
        cond = Q()
        for f in fields:
            cond |= Q(**{f"{f}__icontains": q})
        return qs.filter(cond)

    return apply


def _exact(field_name: str, transform: Callable[[str], str] = str) -> Callable[..., Any]:
    return lambda qs, v: qs.filter(**{field_name: transform(v)})


def _pk_of(model: Any, key_field: str, value: str) -> int:
    found = model.objects.filter(**{key_field: value}).values_list("pk", flat=True).first()
    return int(found) if found is not None else -1


def _link_search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    # Resolve the text against the small tables first, then filter links by indexed foreign
    # keys: a LIKE over a three-way join of 150,000 links would be far slower.
    item_ids = list(
        Item.objects.filter(Q(item_id__icontains=q) | Q(name__icontains=q)).values_list(
            "pk", flat=True
        )[:_CHUNK]
    )
    site_ids = list(
        Site.objects.filter(Q(site_id__icontains=q) | Q(name__icontains=q)).values_list(
            "pk", flat=True
        )[:_CHUNK]
    )
    return qs.filter(
        Q(item_id__in=item_ids)
        | Q(supplier_site_id__in=site_ids)
        | Q(receiving_site_id__in=site_ids)
    )


def _bom_search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    item_ids = list(
        Item.objects.filter(Q(item_id__icontains=q) | Q(name__icontains=q)).values_list(
            "pk", flat=True
        )[:_CHUNK]
    )
    return qs.filter(Q(parent_item_id__in=item_ids) | Q(child_item_id__in=item_ids))


def _yes_no(qs: QuerySet[Any], v: str) -> QuerySet[Any]:
    return qs.filter(qualified=(v == "yes"))


def _critical(qs: QuerySet[Any], v: str) -> QuerySet[Any]:
    return qs.exclude(critical_tags=[]) if v == "1" else qs


SPECS: dict[str, ListSpec] = {
    "organisations": ListSpec(
        name="organisations",
        title_key="web.nav.organisations",
        headers=("web.col.org_id", "web.col.name", "web.col.kind", "web.col.country"),
        base=lambda: Organisation.objects.all(),
        row=lambda o: [
            Cell(o.org_id, _org_url(o), "code"),
            Cell(o.name, _org_url(o)),
            Cell(f"web.kind.{o.kind}", kind="msg"),
            Cell(o.country, kind="code"),
        ],
        search=_text_search("org_id", "name", "name_en"),
        sorts={
            "id": ("org_id", "web.col.org_id"),
            "name": ("name", "web.col.name"),
            "country": ("country", "web.col.country"),
        },
        default_sort="id",
        filters=(
            Filter(
                "kind",
                "web.col.kind",
                _kind_choices(["self", "supplier", "customer", "partner"]),
                _exact("kind"),
            ),
            Filter("country", "web.col.country", (), _exact("country", str.upper)),
        ),
    ),
    "sites": ListSpec(
        name="sites",
        title_key="web.nav.sites",
        headers=(
            "web.col.site_id",
            "web.col.name",
            "web.col.organisation",
            "web.col.kind",
            "web.col.country",
        ),
        base=lambda: Site.objects.select_related("organisation"),
        row=lambda s: [
            Cell(s.site_id, _site_url(s), "code"),
            Cell(s.name, _site_url(s)),
            Cell(s.organisation.name, _org_url(s.organisation)),
            Cell(f"web.kind.{s.kind}", kind="msg"),
            Cell(s.country, kind="code"),
        ],
        search=_text_search("site_id", "name"),
        sorts={
            "id": ("site_id", "web.col.site_id"),
            "name": ("name", "web.col.name"),
            "country": ("country", "web.col.country"),
        },
        default_sort="id",
        filters=(
            Filter(
                "kind",
                "web.col.kind",
                _kind_choices(["plant", "warehouse", "office", "rnd"]),
                _exact("kind"),
            ),
            Filter("country", "web.col.country", (), _exact("country", str.upper)),
            Filter("org", "web.col.organisation", (), _exact("organisation__org_id")),
        ),
    ),
    "items": ListSpec(
        name="items",
        title_key="web.nav.items",
        headers=("web.col.item_id", "web.col.name", "web.col.kind", "web.col.unit", "web.col.tags"),
        base=lambda: Item.objects.all(),
        row=lambda i: [
            Cell(i.item_id, _item_url(i), "code"),
            Cell(i.name, _item_url(i)),
            Cell(f"web.kind.{i.kind}", kind="msg"),
            Cell(i.unit),
            Cell([*i.critical_tags, *i.mineral_tags], kind="tags"),
        ],
        search=_text_search("item_id", "name", "name_en"),
        sorts={"id": ("item_id", "web.col.item_id"), "name": ("name", "web.col.name")},
        default_sort="id",
        filters=(
            Filter(
                "kind",
                "web.col.kind",
                _kind_choices(["product", "component", "material", "service"]),
                _exact("kind"),
            ),
            Filter("critical", "web.col.critical", [("1", "web.filter.critical_only")], _critical),
        ),
    ),
    "bom": ListSpec(
        name="bom",
        title_key="web.nav.bom",
        headers=("web.col.parent_item", "web.col.child_item", "web.col.quantity"),
        base=lambda: BomLine.objects.select_related("parent_item", "child_item"),
        row=lambda b: [
            Cell(b.parent_item, _item_url(b.parent_item)),
            Cell(b.child_item, _item_url(b.child_item)),
            Cell(b.quantity_per_unit, kind="num"),
        ],
        search=_bom_search,
        sorts={"id": ("id", "web.col.row"), "quantity": ("quantity_per_unit", "web.col.quantity")},
        default_sort="id",
        filters=(
            Filter(
                "parent",
                "web.col.parent_item",
                (),
                lambda qs, v: qs.filter(parent_item_id=_pk_of(Item, "item_id", v)),
            ),
            Filter(
                "child",
                "web.col.child_item",
                (),
                lambda qs, v: qs.filter(child_item_id=_pk_of(Item, "item_id", v)),
            ),
        ),
    ),
    "links": ListSpec(
        name="links",
        title_key="web.nav.links",
        headers=(
            "web.col.supplier_site",
            "web.col.item",
            "web.col.receiving_site",
            "web.col.share",
            "web.col.lead_time",
            "web.col.qualified",
        ),
        base=lambda: SupplyLink.objects.select_related("supplier_site", "item", "receiving_site"),
        row=lambda s: [
            Cell(s.supplier_site, _site_url(s.supplier_site)),
            Cell(s.item, _item_url(s.item)),
            Cell(s.receiving_site, _site_url(s.receiving_site)),
            Cell(s.share, kind="pct"),
            Cell(s.lead_time_days, kind="num"),
            Cell(s.qualified, kind="bool"),
        ],
        search=_link_search,
        sorts={"id": ("id", "web.col.row"), "share": ("share", "web.col.share")},
        default_sort="id",
        filters=(
            Filter(
                "item",
                "web.col.item",
                (),
                lambda qs, v: qs.filter(item_id=_pk_of(Item, "item_id", v)),
            ),
            Filter(
                "supplier",
                "web.col.supplier_site",
                (),
                lambda qs, v: qs.filter(supplier_site_id=_pk_of(Site, "site_id", v)),
            ),
            Filter(
                "receiver",
                "web.col.receiving_site",
                (),
                lambda qs, v: qs.filter(receiving_site_id=_pk_of(Site, "site_id", v)),
            ),
            Filter(
                "qualified",
                "web.col.qualified",
                [("yes", "web.yes"), ("no", "web.no")],
                _yes_no,
            ),
        ),
    ),
}


def render_list(request: HttpRequest, spec: ListSpec) -> HttpResponse:
    """Apply search, filters and sort from the query string and render one keyset page."""
    qs = spec.base()
    q = request.GET.get("q", "").strip()[:200]
    if q:
        qs = spec.search(qs, q)
    active: dict[str, str] = {}
    for flt in spec.filters:
        value = request.GET.get(flt.param, "").strip()[:200]
        if not value:
            continue
        if flt.choices and value not in {v for v, _ in flt.choices}:
            continue
        qs = flt.apply(qs, value)
        active[flt.param] = value
    sort = request.GET.get("sort", spec.default_sort)
    descending = sort.startswith("-")
    sort_key = sort.lstrip("-")
    if sort_key not in spec.sorts:
        sort_key, descending = spec.default_sort, False
    page = paginate(
        qs,
        spec.sorts[sort_key][0],
        descending=descending,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "web/valuechain/list.html",
        {
            "spec": spec,
            "rows": [spec.row(r) for r in page.rows],
            "page": page,
            "q": q,
            "active": active,
            "sort_key": sort_key,
            "descending": descending,
            "sort_options": [(k, v[1]) for k, v in spec.sorts.items()],
        },
    )


@role_required(READ)
def organisations(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPECS["organisations"])


@role_required(READ)
def sites(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPECS["sites"])


@role_required(READ)
def items(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPECS["items"])


@role_required(READ)
def bom(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPECS["bom"])


@role_required(READ)
def links(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPECS["links"])


# --- detail pages ---------------------------------------------------------------------------

MAX_TIERS = 10
MAX_TIER_NODES = 300


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def site_walk(site_pk: int, upstream: bool) -> Walk[int]:
    """Sites that supply ``site_pk`` (upstream) or that it supplies (downstream), by tier."""
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
    """Upstream of an item along the bill of materials, as (site, item) pairs by tier.

    Tier 1: the sites that supply the item, or, for an item made in-house (nobody supplies
    it), the sites that supply its BOM inputs. Tier n+1: the sites that supply a tier-n site
    with a BOM input of what that site delivers.
    """
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


def _site_tiers(walk: Walk[int]) -> list[dict[str, Any]]:
    ids = [n for tier in walk.tiers for n in tier.nodes]
    by_pk = Site.objects.select_related("organisation").in_bulk(ids)
    return [
        {"number": tier.number, "sites": [by_pk[n] for n in tier.nodes if n in by_pk]}
        for tier in walk.tiers
    ]


@role_required(READ)
def organisation_detail(request: HttpRequest, org_id: str) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.select_related("parent"), org_id=org_id)
    return render(
        request,
        "web/valuechain/organisation.html",
        {
            "org": org,
            "sites": org.sites.order_by("site_id")[:200],
            "children": org.children.order_by("org_id")[:200],
        },
    )


@role_required(READ)
def site_detail(request: HttpRequest, site_id: str) -> HttpResponse:
    site = get_object_or_404(Site.objects.select_related("organisation"), site_id=site_id)
    up = site_walk(site.pk, upstream=True)
    down = site_walk(site.pk, upstream=False)
    return render(
        request,
        "web/valuechain/site.html",
        {
            "site": site,
            "upstream": _site_tiers(up),
            "upstream_truncated": up.truncated,
            "downstream": _site_tiers(down),
            "downstream_truncated": down.truncated,
            "supplies": SupplyLink.objects.filter(supplier_site=site)
            .select_related("item", "receiving_site")
            .order_by("id")[:100],
            "receipts": SupplyLink.objects.filter(receiving_site=site)
            .select_related("item", "supplier_site")
            .order_by("id")[:100],
        },
    )


@role_required(READ)
def item_detail(request: HttpRequest, item_id: str) -> HttpResponse:
    item = get_object_or_404(Item, item_id=item_id)
    walk = item_walk(item.pk)
    pairs = [n for tier in walk.tiers for n in tier.nodes]
    sites_by_pk = Site.objects.select_related("organisation").in_bulk({s for s, _ in pairs})
    items_by_pk = Item.objects.in_bulk({i for _, i in pairs})
    upstream = [
        {
            "number": tier.number,
            "rows": [
                {"site": sites_by_pk[s], "item": items_by_pk[i]}
                for s, i in tier.nodes
                if s in sites_by_pk and i in items_by_pk
            ],
        }
        for tier in walk.tiers
    ]
    return render(
        request,
        "web/valuechain/item.html",
        {
            "item": item,
            "inputs": BomLine.objects.filter(parent_item=item)
            .select_related("child_item")
            .order_by("child_item__item_id")[:200],
            "used_in": BomLine.objects.filter(child_item=item)
            .select_related("parent_item")
            .order_by("parent_item__item_id")[:200],
            "links": SupplyLink.objects.filter(item=item)
            .select_related("supplier_site", "receiving_site")
            .order_by("id")[:200],
            "upstream": upstream,
            "upstream_truncated": walk.truncated,
        },
    )
