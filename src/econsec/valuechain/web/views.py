"""Value-chain pages: lists (search, filter, sort, keyset pages) and detail pages.

Each list is described by a :class:`ListSpec`; one template renders them all. Sorts are limited
to non-null, indexed columns so every page is an index walk (the indexes in valuechain.models),
and each list selects only the columns it shows.

Table rows, toolbar, pager and tier blocks are Jinja2 templates (``econsec.web.markup``,
``valuechain/*.jinja``), not a Django template include per cell: at 50 rows of up to six cells
the include machinery and a URL reversal per link were most of a page's time
(docs/decisions/0055-fast-list-and-detail-pages.md, 0091-markup-jinja2-measured.md). Jinja2
escapes every stored text it prints.

Detail pages take their tiers from the compiled network (``econsec.valuechain.web.tiers.ChainTiers``) and
show a bounded page of each tier and of each related list, linking to the full lists.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from econsec.i18n import t
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.models import BomLine, Item, Organisation, Site, SupplyLink
from econsec.valuechain.store_io import compile_store
from econsec.valuechain.web import detail_queries
from econsec.valuechain.web.detail_queries import RELATED_ROWS
from econsec.valuechain.web.tiers import ChainTiers, IntArray, cached_tiers, chain_tiers
from econsec.web.formatting import format_number
from econsec.web.jinja import macro, render_part
from econsec.web.listing import Fetch, PreparedPages, SortRank, TextIndex, paginate
from econsec.web.markup import (
    Cell,
    object_url,
    pager_html,
    ref_html,
    table_rows,
    thead_html,
    toolbar_html,
)
from econsec.web.roles import READ, role_required

PAGE_SIZE = 50


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
    row: Callable[[Any, str], list[Cell]]  # (row, script prefix) -> cells
    search: Callable[[QuerySet[Any], str], QuerySet[Any]]
    sorts: dict[str, tuple[str, str]]  # param -> (field, header message id)
    default_sort: str
    filters: Sequence[Filter] = field(default_factory=tuple)
    search_index: tuple[Any, tuple[str, ...]] | None = None  # (model, fields) to warm


def _kind_choices(values: Iterable[str]) -> list[tuple[str, str]]:
    return [(v, f"web.kind.{v}") for v in values]


def _lang() -> str:
    return (translation.get_language() or "ja").split("-")[0]


# Text indexes per (table, columns) for the current data version, built on first use per
# process (docs/decisions/0055-fast-list-and-detail-pages.md).
_text_indexes: dict[tuple[str, tuple[str, ...], str], TextIndex] = {}
_text_lock = threading.Lock()
_SEARCH_IDS = 500  # at most this many matching ids go into an IN list
# What a link or BOM search matches items and sites on.
_REF_FIELDS = {"item": ("item_id", "name"), "site": ("site_id", "name")}


def text_index(model: Any, fields: tuple[str, ...]) -> TextIndex:
    """The in-memory text index of ``model``'s ``fields`` for the current data version.

    Data written without an import has no data version; its index is rebuilt every time.
    """
    version = detail_queries.data_version()
    key = (model._meta.label, fields, version)
    found = _text_indexes.get(key) if version else None
    if found is None:
        found = TextIndex(model.objects.order_by("pk").values_list("pk", *fields).iterator())
        if version:
            with _text_lock:
                for old in [k for k in _text_indexes if k[2] != version]:
                    del _text_indexes[old]
                _text_indexes[key] = found
    return found


_sort_ranks: dict[tuple[str, tuple[str, ...], str, str], SortRank | None] = {}


def sort_rank(model: Any, fields: tuple[str, ...], field: str) -> SortRank | None:
    """Rows of ``text_index(model, fields)`` placed in (``field``, pk) order, per data version
    (None without one: data written without an import is searched by the database)."""
    version = detail_queries.data_version()
    if not version:
        return None
    key = (model._meta.label, fields, field, version)
    if key in _sort_ranks:
        return _sort_ranks[key]
    found = text_index(model, fields).sort_rank(
        model.objects.order_by(field, "pk").values_list("pk", field).iterator()
    )
    with _text_lock:
        for old in [k for k in _sort_ranks if k[3] != version]:
            del _sort_ranks[old]
        _sort_ranks[key] = found
    return found


def _search_fetch(spec: ListSpec, q: str, field: str, size: int = PAGE_SIZE) -> Fetch | None:
    """Keyset pages of a text search read from the text index in the sort's order (no
    database scan; the page's rows are then fetched by primary key), or None when the list
    has no such index."""
    if spec.search_index is None:
        return None
    model, fields = spec.search_index
    order = sort_rank(model, fields, field)
    if order is None:
        return None
    index = text_index(model, fields)

    def run(walk_desc: bool, cursor: tuple[Any, int] | None) -> list[Any] | None:
        pks = index.page(q, order, walk_desc=walk_desc, cursor=cursor, count=size + 1)
        if pks is None:
            return None
        found = {row["pk"]: row for row in spec.base().filter(pk__in=pks)}
        return [found[pk] for pk in pks if pk in found]

    return run


def _matching_pks(model: Any, fields: tuple[str, ...], q: str) -> list[int]:
    """Up to _SEARCH_IDS primary keys of rows whose ``fields`` contain ``q``."""
    hits = text_index(model, fields).find(q)
    if hits is None:  # a query the index cannot hold (control characters): ask the database
        cond = Q()
        for f in fields:
            cond |= Q(**{f"{f}__icontains": q})
        return list(model.objects.filter(cond).values_list("pk", flat=True)[:_SEARCH_IDS])
    return hits[:_SEARCH_IDS]


def _text_search(model: Any, *fields: str) -> Callable[[QuerySet[Any], str], QuerySet[Any]]:
    def apply(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
        hits = text_index(model, fields).find(q, limit=_SEARCH_IDS)
        if hits is not None:
            return qs.filter(pk__in=hits)
        # Many rows match: the keyset page stops after a few dozen of them, so the database's
        # own scan ends early.
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


def _by_key(name: str, label: str, field: str, model: Any, key_field: str) -> Filter:
    """A filter on a foreign key, given the referenced row's business key (e.g. an item id)."""
    return Filter(name, label, (), lambda qs, v: qs.filter(**{field: _pk_of(model, key_field, v)}))


def _link_search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    # Resolve the text against items and sites first, then filter links by indexed foreign
    # keys: a LIKE over a three-way join of 150,000 links would be far slower.
    item_ids = _matching_pks(Item, _REF_FIELDS["item"], q)
    site_ids = _matching_pks(Site, _REF_FIELDS["site"], q)
    return qs.filter(
        Q(item_id__in=item_ids)
        | Q(supplier_site_id__in=site_ids)
        | Q(receiving_site_id__in=site_ids)
    )


def _bom_search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    item_ids = _matching_pks(Item, _REF_FIELDS["item"], q)
    return qs.filter(Q(parent_item_id__in=item_ids) | Q(child_item_id__in=item_ids))


def _yes_no(qs: QuerySet[Any], v: str) -> QuerySet[Any]:
    return qs.filter(qualified=(v == "yes"))


def _critical(qs: QuerySet[Any], v: str) -> QuerySet[Any]:
    return qs.exclude(critical_tags=[]) if v == "1" else qs


def _link(url_name: str, key: str, text: str, script: str, css: str = "") -> Cell:
    """A link to a detail page showing ``text`` (markup memoised in econsec.web.markup)."""
    return Cell(ref_html(url_name, key, text, script, css), kind="html")


def _ref_cell(url_name: str, key: str, name: str, script: str) -> Cell:
    """A linked reference shown as "<id> <name>" (as the models' str() reads)."""
    return _link(url_name, key, f"{key} {name}", script)


SPECS: dict[str, ListSpec] = {
    "organisations": ListSpec(
        name="organisations",
        title_key="web.nav.organisations",
        headers=("web.col.org_id", "web.col.name", "web.col.kind", "web.col.country"),
        base=lambda: Organisation.objects.values("pk", "org_id", "name", "kind", "country"),
        row=lambda o, script: [
            _link("web:organisation", o["org_id"], o["org_id"], script, "code"),
            _link("web:organisation", o["org_id"], o["name"], script),
            Cell(f"web.kind.{o['kind']}", kind="msg"),
            Cell(o["country"], kind="code"),
        ],
        search=_text_search(Organisation, "org_id", "name", "name_en"),
        search_index=(Organisation, ("org_id", "name", "name_en")),
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
        base=lambda: Site.objects.values(
            "pk", "site_id", "name", "kind", "country", "organisation__org_id", "organisation__name"
        ),
        row=lambda s, script: [
            _link("web:site", s["site_id"], s["site_id"], script, "code"),
            _link("web:site", s["site_id"], s["name"], script),
            _link("web:organisation", s["organisation__org_id"], s["organisation__name"], script),
            Cell(f"web.kind.{s['kind']}", kind="msg"),
            Cell(s["country"], kind="code"),
        ],
        search=_text_search(Site, "site_id", "name"),
        search_index=(Site, ("site_id", "name")),
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
        base=lambda: Item.objects.values(
            "pk", "item_id", "name", "kind", "unit", "critical_tags", "mineral_tags"
        ),
        row=lambda i, script: [
            _link("web:item", i["item_id"], i["item_id"], script, "code"),
            _link("web:item", i["item_id"], i["name"], script),
            Cell(f"web.kind.{i['kind']}", kind="msg"),
            Cell(i["unit"], kind="unit"),
            Cell([*(i["critical_tags"] or ()), *(i["mineral_tags"] or ())], kind="tags"),
        ],
        search=_text_search(Item, "item_id", "name", "name_en"),
        search_index=(Item, ("item_id", "name", "name_en")),
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
        base=lambda: BomLine.objects.values(
            "pk",
            "id",
            "quantity_per_unit",
            "parent_item__item_id",
            "parent_item__name",
            "child_item__item_id",
            "child_item__name",
        ),
        row=lambda b, script: [
            _ref_cell("web:item", b["parent_item__item_id"], b["parent_item__name"], script),
            _ref_cell("web:item", b["child_item__item_id"], b["child_item__name"], script),
            Cell(b["quantity_per_unit"], kind="num"),
        ],
        search=_bom_search,
        sorts={"id": ("id", "web.col.row"), "quantity": ("quantity_per_unit", "web.col.quantity")},
        default_sort="id",
        filters=(
            _by_key("parent", "web.col.parent_item", "parent_item_id", Item, "item_id"),
            _by_key("child", "web.col.child_item", "child_item_id", Item, "item_id"),
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
        base=lambda: SupplyLink.objects.values(
            "pk",
            "id",
            "share",
            "lead_time_days",
            "qualified",
            "supplier_site__site_id",
            "supplier_site__name",
            "item__item_id",
            "item__name",
            "receiving_site__site_id",
            "receiving_site__name",
        ),
        row=lambda s, script: [
            _ref_cell("web:site", s["supplier_site__site_id"], s["supplier_site__name"], script),
            _ref_cell("web:item", s["item__item_id"], s["item__name"], script),
            _ref_cell("web:site", s["receiving_site__site_id"], s["receiving_site__name"], script),
            Cell(s["share"], kind="pct"),
            Cell(s["lead_time_days"], kind="num"),
            Cell(s["qualified"], kind="bool"),
        ],
        search=_link_search,
        sorts={"id": ("id", "web.col.row"), "share": ("share", "web.col.share")},
        default_sort="id",
        filters=(
            _by_key("item", "web.col.item", "item_id", Item, "item_id"),
            _by_key("supplier", "web.col.supplier_site", "supplier_site_id", Site, "site_id"),
            _by_key("receiver", "web.col.receiving_site", "receiving_site_id", Site, "site_id"),
            Filter(
                "qualified",
                "web.col.qualified",
                [("yes", "web.yes"), ("no", "web.no")],
                _yes_no,
            ),
        ),
    ),
}


_PAGES = {name: PreparedPages(spec.base, PAGE_SIZE) for name, spec in SPECS.items()}


def _fetch(spec: ListSpec, q: str, active: dict[str, str], field: str) -> Fetch | None:
    """How a list page reads its rows when the ORM's keyset query is not needed: unsearched,
    unfiltered pages have a fixed shape (prepared queries); a search alone is paged from the
    text index. Filters go through the ORM."""
    if active:
        return None
    if q:
        return _search_fetch(spec, q, field)
    return _PAGES[spec.name].fetch(field)


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
    field = spec.sorts[sort_key][0]
    page = paginate(
        qs,
        field,
        descending=descending,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        fetch=_fetch(spec, q, active, field),
    )
    lang = _lang()
    script = get_script_prefix()
    row = spec.row
    return render(
        request,
        "valuechain/list.html",
        {
            "spec": spec,
            "rows": table_rows([row(r, script) for r in page.rows], lang, len(spec.headers)),
            "toolbar": toolbar_html(
                lang=lang,
                q=q,
                filters=spec.filters,
                active=active,
                sorts=[(k, v[1]) for k, v in spec.sorts.items()],
                sort_key=sort_key,
                descending=descending,
                clear_url=request.path,
            ),
            "thead": thead_html(tuple(spec.headers), lang),
            "pager": pager_html(lang, request.GET.dict(), page.prev_cursor, page.next_cursor),
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

TIER_PAGE = 25  # entries of one tier shown at a time


def tier_index() -> ChainTiers:
    """Tier adjacency of the stored value chain's current data version (cached per process)."""
    found = cached_tiers(detail_queries.data_version())
    return found if found is not None else chain_tiers(compile_store())


def warm_caches() -> None:
    """Build this data version's caches now (compiled tiers, search indexes), e.g. at start."""
    tier_index()
    for spec in SPECS.values():
        if spec.search_index is not None:
            text_index(*spec.search_index)
            for field, _ in spec.sorts.values():
                sort_rank(*spec.search_index, field)
    text_index(Item, _REF_FIELDS["item"])
    text_index(Site, _REF_FIELDS["site"])


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 1_000_000))
    except ValueError:
        return 1


# Chip markup per data version: names and ids do not change within a version, so each chip is
# escaped and formatted once per process rather than on every page that shows it.
_chip_cache: dict[tuple[str, str, str], dict[int, str]] = {}


def _chip_memo(chain: CompiledChain, kind: str) -> dict[int, str]:
    key = (chain.version, get_script_prefix(), kind)
    found = _chip_cache.get(key)
    if found is None:
        if any(k[0] != chain.version for k in _chip_cache):
            _chip_cache.clear()
        found = _chip_cache.setdefault(key, {})
    return found


def site_chip(chain: CompiledChain, site: int, memo: dict[int, str]) -> str:
    """A site in a tier list: link, organisation and country (``<li>`` markup, memoised)."""
    html = memo.get(site)
    if html is None:
        org = int(chain.site_org[site])
        html = memo[site] = macro("valuechain/chips.jinja", "site_chip")(
            object_url("web:site", chain.site_ids[site]),
            chain.site_names[site],
            chain.org_names[org],
            chain.countries[int(chain.site_country[site])],
        )
    return html


def node_chip(chain: CompiledChain, node: int, memo: dict[int, str]) -> str:
    """A (site, item) pair in a tier list: site link, country and item link (``<li>`` markup,
    memoised)."""
    html = memo.get(node)
    if html is None:
        site, item = int(chain.node_site[node]), int(chain.node_item[node])
        html = memo[node] = macro("valuechain/chips.jinja", "node_chip")(
            object_url("web:site", chain.site_ids[site]),
            chain.site_names[site],
            chain.countries[int(chain.site_country[site])],
            object_url("web:item", chain.item_ids[item]),
            chain.item_names[item],
        )
    return html


def tier_blocks(
    request: HttpRequest,
    side: str,
    tiers: list[IntArray],
    chip: Callable[[int], str],
) -> list[dict[str, Any]]:
    """One block per tier: its size and one page of its entries (``?tier=<side>-<n>&page=``)."""
    lang = _lang()
    focus = request.GET.get("tier", "")
    blocks = []
    for number, members in enumerate(tiers, start=1):
        anchor = f"{side}-{number}"
        total = int(members.shape[0])
        pages = max(1, -(-total // TIER_PAGE))
        page = min(_page_number(request.GET.get("page")), pages) if focus == anchor else 1
        first = (page - 1) * TIER_PAGE
        shown = members[first : first + TIER_PAGE]

        def link(to: int, anchor: str = anchor) -> str:
            return "?" + urlencode({"tier": anchor, "page": to}) + "#" + anchor

        blocks.append(
            {
                "number": number,
                "anchor": anchor,
                "total": total,
                "open": number == 1 or focus == anchor,
                "chips": mark_safe("".join(chip(int(v)) for v in shown)),
                "range": t(
                    "valuechain.web.tier_range",
                    lang,
                    first=format_number(first + 1, lang),
                    last=format_number(first + int(shown.shape[0]), lang),
                    total=format_number(total, lang),
                )
                if pages > 1
                else "",
                "prev_url": link(page - 1) if page > 1 else "",
                "next_url": link(page + 1) if page < pages else "",
            }
        )
    return blocks


def tiers_html(blocks: Sequence[dict[str, Any]], lang: str) -> SafeString:
    """Tier blocks (:func:`tier_blocks`) as ``<details>`` elements, or a note that there are
    none."""
    return render_part("valuechain/tiers.jinja", blocks=blocks, lang=lang)


def _list_url(name: str, **params: str) -> str:
    return reverse(name) + "?" + urlencode(params)


@role_required(READ)
def organisation_detail(request: HttpRequest, org_id: str) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.select_related("parent"), org_id=org_id)
    lang = _lang()
    sites, more_sites = detail_queries.bounded(
        list(
            org.sites.order_by("site_id").values_list("site_id", "name", "kind", "country")[
                : RELATED_ROWS + 1
            ]
        )
    )
    children = org.children.order_by("org_id").values_list("org_id", "name")[:200]
    script = get_script_prefix()
    return render(
        request,
        "valuechain/organisation.html",
        {
            "org": org,
            "sites": table_rows(
                [
                    [
                        _link("web:site", site_id, site_id, script, "code"),
                        Cell(name),
                        Cell(f"web.kind.{kind}", kind="msg"),
                        Cell(country),
                    ]
                    for site_id, name, kind, country in sites
                ],
                lang,
                4,
            ),
            "all_sites_url": _list_url("web:sites", org=org.org_id) if more_sites else "",
            "children": [
                {"url": object_url("web:organisation", key), "name": name} for key, name in children
            ],
        },
    )


@role_required(READ)
def site_detail(request: HttpRequest, site_id: str) -> HttpResponse:
    site = detail_queries.site(site_id)
    if site is None:
        raise Http404(site_id)
    lang = _lang()
    index = tier_index()
    chain = index.chain
    at = index.site_index.get(site["site_id"])
    up = index.site_tiers(at, upstream=True) if at is not None else []
    down = index.site_tiers(at, upstream=False) if at is not None else []
    receipts, more_receipts = detail_queries.receipts(site["pk"])
    supplies, more_supplies = detail_queries.supplies(site["pk"])
    site_memo = _chip_memo(chain, "site")
    script = get_script_prefix()
    return render(
        request,
        "valuechain/site.html",
        {
            "site": site,
            "org_url": object_url("web:organisation", site["organisation"]["org_id"]),
            "upstream": tiers_html(
                tier_blocks(request, "up", up, lambda v: site_chip(chain, v, site_memo)), lang
            ),
            "downstream": tiers_html(
                tier_blocks(request, "down", down, lambda v: site_chip(chain, v, site_memo)), lang
            ),
            "receipts": table_rows(
                [
                    [
                        _link("web:site", sup, sup_name, script),
                        _link("web:item", item, item_name, script),
                        Cell(share, kind="pct"),
                        Cell(qualified, kind="bool"),
                    ]
                    for sup, sup_name, item, item_name, share, qualified in receipts
                ],
                lang,
                4,
            ),
            "all_receipts_url": _list_url("web:links", receiver=site["site_id"])
            if more_receipts
            else "",
            "supplies": table_rows(
                [
                    [
                        _link("web:item", item, item_name, script),
                        _link("web:site", recv, recv_name, script),
                        Cell(share, kind="pct"),
                    ]
                    for item, item_name, recv, recv_name, share in supplies
                ],
                lang,
                3,
            ),
            "all_supplies_url": _list_url("web:links", supplier=site["site_id"])
            if more_supplies
            else "",
        },
    )


@role_required(READ)
def item_detail(request: HttpRequest, item_id: str) -> HttpResponse:
    item = detail_queries.item(item_id)
    if item is None:
        raise Http404(item_id)
    lang = _lang()
    index = tier_index()
    chain = index.chain
    at = index.item_index.get(item["item_id"])
    upstream = index.item_tiers(at) if at is not None else []
    inputs, more_inputs = detail_queries.inputs(item["pk"])
    used_in, more_used_in = detail_queries.uses(item["pk"])
    node_memo = _chip_memo(chain, "node")
    script = get_script_prefix()

    def bom_row(key: str, name: str, qty: Any) -> list[Cell]:
        return [_link("web:item", key, name, script), Cell(qty, kind="num")]

    return render(
        request,
        "valuechain/item.html",
        {
            "item": item,
            "inputs": table_rows([bom_row(*b) for b in inputs], lang, 2),
            "all_inputs_url": _list_url("web:bom", parent=item["item_id"]) if more_inputs else "",
            "used_in": table_rows([bom_row(*b) for b in used_in], lang, 2),
            "all_used_in_url": _list_url("web:bom", child=item["item_id"]) if more_used_in else "",
            "upstream": tiers_html(
                tier_blocks(request, "up", upstream, lambda v: node_chip(chain, v, node_memo)),
                lang,
            ),
        },
    )
