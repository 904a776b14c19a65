"""Keyset pages against a brute-force listing; tier walks (generic and compiled CSR) against
networkx distances over the stored rows; bounded detail pages."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econsec.valuechain.models import BomLine, Item, Organisation, Site, SupplyLink
from econsec.valuechain.web.tiers import Adjacency, bfs_tiers, walk_tiers
from econsec.valuechain.web.views import TIER_PAGE, object_url, tier_index
from econsec.web.listing import TextIndex, decode_cursor, encode_cursor, paginate


@pytest.fixture
def many_items(db: Any) -> list[Item]:
    names = ["b", "a", "c", "a", "b", "a", "d", "c", "a", "e", "b", "a"]
    return [
        Item.objects.create(item_id=f"I{n:02d}", name=name, kind="component", unit="pcs")
        for n, name in enumerate(names)
    ]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [1, 3, 5, 50])
def test_walking_forward_and_back_visits_every_row_once_in_order(
    many_items: list[Item], size: int, descending: bool
) -> None:
    qs = Item.objects.all()
    expected = sorted(many_items, key=lambda i: (i.name, i.pk), reverse=descending)
    seen, pages, after = [], [], None
    while True:
        page = paginate(qs, "name", descending=descending, after=after, size=size)
        pages.append(page)
        seen.extend(page.rows)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert [i.pk for i in seen] == [i.pk for i in expected]
    assert pages[0].prev_cursor is None
    # Back from the last page reproduces each earlier page.
    for earlier, later in zip(reversed(pages[:-1]), reversed(pages[1:]), strict=True):
        back = paginate(qs, "name", descending=descending, before=later.prev_cursor, size=size)
        assert [r.pk for r in back.rows] == [r.pk for r in earlier.rows]


@pytest.mark.parametrize("descending", [False, True])
def test_values_rows_page_like_model_rows(many_items: list[Item], descending: bool) -> None:
    qs = Item.objects.values("pk", "item_id", "name")
    expected = sorted(many_items, key=lambda i: (i.name, i.pk), reverse=descending)
    seen, after = [], None
    while True:
        page = paginate(qs, "name", descending=descending, after=after, size=5)
        seen.extend(page.rows)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert [r["pk"] for r in seen] == [i.pk for i in expected]
    assert [r["item_id"] for r in seen] == [i.item_id for i in expected]


def test_bad_cursors_give_the_first_page(many_items: list[Item]) -> None:
    first = paginate(Item.objects.all(), "name", size=4)
    for junk in ["", "%%%", "bm90IGpzb24", encode_cursor("a", 1)[:-2]]:
        assert decode_cursor(junk) is None or isinstance(decode_cursor(junk), tuple)
        page = paginate(Item.objects.all(), "name", after=junk or None, size=4)
        assert len(page.rows) == 4
    assert decode_cursor(encode_cursor("磁石", 7)) == ("磁石", 7)
    assert [r.pk for r in first.rows] == [
        r.pk for r in sorted(many_items, key=lambda i: (i.name, i.pk))[:4]
    ]


edges = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edges=edges, start=st.integers(0, 12))
def test_tiers_are_breadth_first_distances(edges: list[tuple[int, int]], start: int) -> None:
    graph = nx.DiGraph()
    graph.add_node(start)
    graph.add_edges_from(edges)

    def expand(frontier: Any) -> Any:
        for node in frontier:
            for succ in graph.successors(node):
                yield node, succ, None

    walk = walk_tiers([start], expand, max_tiers=20)
    distances = nx.single_source_shortest_path_length(graph, start)
    got = {node: tier.number for tier in walk.tiers for node in tier.nodes}
    assert got == {n: d for n, d in distances.items() if n != start}
    for tier in walk.tiers:  # every recorded edge comes from the tier before
        for node in tier.nodes:
            for source, _ in tier.edges[node]:
                assert distances[source] == tier.number - 1


def test_tier_walk_stops_at_the_node_limit() -> None:
    walk = walk_tiers(
        [0], lambda f: ((n, n * 10 + k, None) for n in f for k in range(1, 10)), max_nodes=5
    )
    assert walk.truncated and sum(len(t.nodes) for t in walk.tiers) == 5


@settings(max_examples=60, deadline=None)
@given(edges=edges, start=st.integers(0, 12))
def test_csr_tiers_are_breadth_first_distances(edges: list[tuple[int, int]], start: int) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(13))
    graph.add_edges_from(edges)
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    adjacency = Adjacency.from_edges(src, dst, 13)
    for v in range(13):  # neighbours without repeats, as networkx has them
        assert sorted(adjacency.neighbours(np.array([v])).tolist()) == sorted(graph.successors(v))
    tiers = bfs_tiers(adjacency, np.array([start]))
    got = {int(n): k + 1 for k, tier in enumerate(tiers) for n in tier}
    distances = nx.single_source_shortest_path_length(graph, start)
    assert got == {n: d for n, d in distances.items() if n != start}


def _site_keys(index: Any, tiers: list[Any]) -> list[set[str]]:
    return [{index.chain.site_ids[int(v)] for v in tier} for tier in tiers]


def _node_keys(index: Any, tiers: list[Any]) -> list[set[tuple[str, str]]]:
    chain = index.chain
    return [
        {(chain.site_ids[chain.node_site[v]], chain.item_ids[chain.node_item[v]]) for v in tier}
        for tier in tiers
    ]


def test_site_and_item_tiers_on_the_chain(chain: dict[str, Any]) -> None:
    index = tier_index()
    up = index.site_tiers(index.site_index["P1"], upstream=True)
    assert _site_keys(index, up) == [{"S1", "S2", "S3"}, {"S4", "S6"}, {"S5"}]
    down = index.site_tiers(index.site_index["S5"], upstream=False)
    assert _site_keys(index, down) == [{"S4"}, {"S1"}, {"P1"}]
    # Along the bill of materials, S6 (bolts, not an input of ENG) is not upstream of CAR.
    assert _node_keys(index, index.item_tiers(index.item_index["CAR"])) == [
        {("S1", "ENG"), ("S2", "BAT"), ("S3", "BAT")},
        {("S4", "MAG")},
        {("S5", "REE")},
    ]
    # Within a tier, entries are shown by name then id.
    first = up[0]
    names = [(index.chain.site_names[v], index.chain.site_ids[v]) for v in first]
    assert names == sorted(names)


@pytest.fixture
def synthetic(db: Any) -> None:
    """A small generated network stored through the real import."""
    from econsec.valuechain.generators.synthetic import generate_network
    from econsec.valuechain.intake.apply import import_tables

    import_tables(generate_network(sites=60, parts=240, tiers=5, seed=3), "synthetic")


def _reference_item_tiers(item: str) -> list[set[tuple[str, str]]]:
    """Brute force over the stored rows: BFS over (site, item) pairs along the BOM."""
    links = list(
        SupplyLink.objects.values_list(
            "supplier_site__site_id", "item__item_id", "receiving_site__site_id"
        )
    )
    children: dict[str, list[str]] = {}
    for parent, child in BomLine.objects.values_list("parent_item__item_id", "child_item__item_id"):
        children.setdefault(parent, []).append(child)
    graph = nx.DiGraph()
    root = ("", item)
    bought = {(sup, it) for sup, it, _ in links if it == item}
    if not bought:
        bought = {(sup, it) for sup, it, _ in links if it in children.get(item, [])}
    graph.add_edges_from((root, pair) for pair in bought)
    for sup, it, recv in links:  # (recv, parent) needs `it` when it is a BOM input of parent
        for parent in {p for p, kids in children.items() if it in kids}:
            graph.add_edge((recv, parent), (sup, it))
    distances = nx.single_source_shortest_path_length(graph, root)
    depth = max(distances.values())
    return [{n for n, d in distances.items() if d == k} for k in range(1, depth + 1)]


def test_compiled_tiers_match_networkx_over_stored_rows(synthetic: None) -> None:
    index = tier_index()
    rows = list(SupplyLink.objects.values_list("supplier_site__site_id", "receiving_site__site_id"))
    upward = nx.DiGraph([(recv, sup) for sup, recv in rows])
    downward = upward.reverse()
    checked = 0
    for site_id in Site.objects.order_by("site_id").values_list("site_id", flat=True):
        for graph, upstream in ((upward, True), (downward, False)):
            got = _site_keys(index, index.site_tiers(index.site_index[site_id], upstream=upstream))
            if site_id not in graph:
                assert got == []
                continue
            distances = nx.single_source_shortest_path_length(graph, site_id)
            depth = max(distances.values())
            assert got == [{n for n, d in distances.items() if d == k} for k in range(1, depth + 1)]
            checked += 1
    assert checked > 60
    products = list(Item.objects.filter(kind="product").values_list("item_id", flat=True))
    parts = list(Item.objects.exclude(kind="product").values_list("item_id", flat=True)[:25])
    depths = []
    for item_id in products + parts:
        got = _node_keys(index, index.item_tiers(index.item_index[item_id]))
        assert got == _reference_item_tiers(item_id), item_id
        depths.append(len(got))
    assert max(depths) >= 4  # the comparison reaches deep tiers, not just tier 1


@pytest.mark.parametrize("key", ["S1", "磁石-工場 1", "a+b&c=d", "x'y\"z", "100%"])
def test_object_url_is_reverse(key: str) -> None:
    assert object_url("web:site", key) == reverse("web:site", args=[key])
    assert object_url("web:item", key) == reverse("web:item", args=[key])


@pytest.fixture
def wide(db: Any) -> dict[str, Any]:
    """One plant with 60 suppliers (names with markup) of one item each."""
    own = Organisation.objects.create(org_id="OWN", name="自社", kind="self", country="JP")
    sup = Organisation.objects.create(
        org_id="SUP", name="<b>供給元</b>", kind="supplier", country="CN"
    )
    plant = Site.objects.create(
        site_id="P", organisation=own, name="工場", country="JP", kind="plant"
    )
    item = Item.objects.create(item_id="PART", name="<i>部品</i>", kind="component", unit="pcs")
    for n in range(60):
        supplier = Site.objects.create(
            site_id=f"S{n:02d}",
            organisation=sup,
            name=f"<s>Site {n:02d}</s>",
            country="CN",
            kind="plant",
        )
        SupplyLink.objects.create(
            supplier_site=supplier, item=item, receiving_site=plant, share=1 / 60, qualified=True
        )
    return {"plant": plant}


def _chips(html: str, anchor: str) -> list[str]:
    block = html.split(f'id="{anchor}"', 1)[1].split("</details>", 1)[0]
    return [part.split("&lt;/s&gt;", 1)[0] for part in block.split("&lt;s&gt;")[1:]]


def test_long_tiers_are_paged_and_related_lists_bounded(client_for: Any, wide: Any) -> None:
    client = client_for("viewer")
    url = reverse("web:site", args=["P"])
    html = client.get(url).content.decode()
    assert _chips(html, "up-1") == [f"Site {n:02d}" for n in range(TIER_PAGE)]
    assert "<s>" not in html and "<b>" not in html
    assert "?tier=up-1&amp;page=2#up-1" in html  # next page of the tier
    assert reverse("web:links") + "?receiver=P" in html  # receipts bounded, full list linked
    last = client.get(url, {"tier": "up-1", "page": "3"}).content.decode()
    assert _chips(last, "up-1") == [f"Site {n:02d}" for n in range(2 * TIER_PAGE, 60)]
    beyond = client.get(url, {"tier": "up-1", "page": "99"}).content.decode()
    assert _chips(beyond, "up-1") == _chips(last, "up-1")
    junk = client.get(url, {"tier": "up-1", "page": "x"}).content.decode()
    assert _chips(junk, "up-1") == _chips(html, "up-1")
    supplier = client.get(reverse("web:site", args=["S07"])).content.decode()
    assert _chips(supplier, "down-1") == []  # "工場" has no <s> markup; check its name instead
    assert "工場" in supplier.split('id="down-1"', 1)[1]


texts = st.one_of(st.none(), st.text(alphabet="abAB磁石x \n", max_size=8))


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.tuples(texts, texts), max_size=25),
    query=st.text(alphabet="abAB磁石x ", min_size=1, max_size=5),
    limit=st.one_of(st.none(), st.integers(0, 5)),
)
def test_text_index_finds_what_a_substring_scan_finds(
    rows: list[tuple[str | None, str | None]], query: str, limit: int | None
) -> None:
    index = TextIndex((pk, *r) for pk, r in enumerate(rows, start=10))
    expected = [
        pk
        for pk, r in enumerate(rows, start=10)
        if any(query.lower() in (x or "").replace("\n", " ").lower() for x in r)
    ]
    got = index.find(query, limit)
    if limit is not None and len(expected) > limit:
        assert got is None
    else:
        assert got == expected


def test_list_search_uses_the_index_and_matches_icontains(client_for: Any, chain: Any) -> None:
    from django.db.models import Q

    client = client_for("viewer")
    for q in ["item b", "BAT", "磁", "zzz"]:
        html = client.get(reverse("web:items"), {"q": q}).content.decode()
        expected = Item.objects.filter(
            Q(item_id__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q)
        ).values_list("item_id", flat=True)
        shown = {i for i in Item.objects.values_list("item_id", flat=True) if f">{i}</a>" in html}
        assert shown == set(expected), q
    links = client.get(reverse("web:links"), {"q": "S5"}).content.decode()
    assert "S5 Site S5" in links and "S1 Site S1" not in links


@pytest.mark.parametrize("name", ["organisations", "sites", "items"])
def test_search_pages_from_the_index_equal_the_database_pages(synthetic: None, name: str) -> None:
    from econsec.valuechain.web.views import SPECS, _search_fetch

    size = 7  # small pages: many cursors

    spec = SPECS[name]
    most = 0
    for q in ["1", "a", "0", "s0", "zzz", "-"]:
        for field, _ in spec.sorts.values():
            for descending in (False, True):
                fetch = _search_fetch(spec, q, field, size)
                assert fetch is not None
                after: str | None = None
                pages = 0
                while True:
                    kwargs: dict[str, Any] = {
                        "descending": descending,
                        "after": after,
                        "size": size,
                    }
                    orm = paginate(spec.search(spec.base(), q), field, **kwargs)
                    fast = paginate(spec.search(spec.base(), q), field, fetch=fetch, **kwargs)
                    assert fast == orm, (q, field, descending, pages)
                    pages += 1
                    if orm.next_cursor is None:
                        break
                    before = orm.next_cursor
                    back = dict(kwargs, after=None, before=before)
                    assert paginate(spec.base(), field, fetch=fetch, **back) == paginate(
                        spec.search(spec.base(), q), field, **back
                    )
                    after = orm.next_cursor
                most = max(most, pages)
    assert most >= 2  # the walk crossed pages, with cursors, both ways


def test_index_pages_refuse_foreign_orders_and_stale_cursors() -> None:
    index = TextIndex([(1, "b1"), (2, "a1"), (3, "c1"), (5, "zz")])
    assert index.sort_rank([(1, "b1"), (2, "a1")]) is None  # not this index's rows
    assert index.sort_rank([(1, "x"), (2, "x"), (3, "x"), (4, "x")]) is None
    order = index.sort_rank([(2, "a1"), (1, "b1"), (3, "c1"), (5, "zz")])
    assert order is not None
    assert index.page("1", order, walk_desc=False, cursor=None, count=2) == [2, 1]
    assert index.page("1", order, walk_desc=True, cursor=None, count=5) == [3, 1, 2]
    assert index.page("1", order, walk_desc=False, cursor=("a1", 2), count=5) == [1, 3]
    assert index.page("1", order, walk_desc=False, cursor=("changed", 2), count=5) is None
    assert index.page("1", order, walk_desc=False, cursor=("a1", 99), count=5) is None
    assert index.page("b1", order, walk_desc=False, cursor=None, count=5) == [1]
