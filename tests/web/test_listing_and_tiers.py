"""Keyset pages against a brute-force listing; tier walks against networkx distances."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econsec.valuechain.models import Item
from econsec.web.listing import decode_cursor, encode_cursor, paginate
from econsec.web.tiers import walk_tiers
from econsec.web.views.valuechain import item_walk, site_walk


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


def test_site_and_item_tiers_on_the_chain(chain: dict[str, Any]) -> None:
    sites, items = chain["sites"], chain["items"]
    up = site_walk(sites["P1"].pk, upstream=True)
    by_tier = [{n for n in t.nodes} for t in up.tiers]
    pk = {k: s.pk for k, s in sites.items()}
    assert by_tier == [{pk["S1"], pk["S2"], pk["S3"]}, {pk["S4"], pk["S6"]}, {pk["S5"]}]
    down = site_walk(sites["S5"].pk, upstream=False)
    assert [set(t.nodes) for t in down.tiers] == [{pk["S4"]}, {pk["S1"]}, {pk["P1"]}]
    # Along the bill of materials, S6 (bolts, not an input of ENG) is not upstream of CAR.
    walk = item_walk(items["CAR"].pk)
    it = {k: i.pk for k, i in items.items()}
    assert [set(t.nodes) for t in walk.tiers] == [
        {(pk["S1"], it["ENG"]), (pk["S2"], it["BAT"]), (pk["S3"], it["BAT"])},
        {(pk["S4"], it["MAG"])},
        {(pk["S5"], it["REE"])},
    ]
