"""Compile validated value-chain tables into a :class:`CompiledChain` (see compiled.py).

``compile_tables`` is the single path: the store is first read back into tables
(``econsec.valuechain.store_io``) and benchmarks feed generated tables straight in.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from econsec.valuechain.compiled import (
    ITEM_KINDS,
    ORG_KINDS,
    SITE_KINDS,
    CompiledChain,
    CompileWarning,
)
from econsec.valuechain.schema import Tables, load_schema

COMPILED_FORMAT = 2
"""Bumped whenever the same tables compile to different arrays (it names cached files)."""

INF = float("inf")
NAN = float("nan")


def content_version(tables: Tables) -> str:
    """SHA-256 over the canonical content: independent of row order and of provenance."""
    schema = load_schema()
    digest = hashlib.sha256()
    digest.update(f"schema:{schema.version}".encode())
    for sheet in schema.sheets:
        rows = tables.get(sheet.name, [])
        names = sheet.column_names
        encoded = sorted(
            json.dumps([_canonical(row.get(c)) for c in names], ensure_ascii=False) for row in rows
        )
        digest.update(f"\x00{sheet.name}:{len(encoded)}".encode())
        for line in encoded:
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    if value == "" or value == []:
        return None  # an empty cell, however a reader or the store spells it
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        # Excel keeps 15 significant digits: a value that went through a workbook must hash
        # the same as the one that was written.
        value = float(f"{value:.15g}")
        return int(value) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return value


def _f(value: Any, default: float) -> float:
    return default if value is None else float(value)


class _Pairs:
    """Dense indices for (site, item) pairs, created on first use."""

    def __init__(self) -> None:
        self.index: dict[tuple[int, int], int] = {}
        self.site: list[int] = []
        self.item: list[int] = []

    def get(self, site: int, item: int) -> int:
        key = (site, item)
        found = self.index.get(key)
        if found is None:
            found = len(self.site)
            self.index[key] = found
            self.site.append(site)
            self.item.append(item)
        return found


def compile_tables(
    tables: Tables,
    *,
    currency: str | None = None,
    fx_rates: Mapping[str, float] | None = None,
    version: str | None = None,
) -> CompiledChain:
    """Turn validated tables into arrays.

    ``currency`` is the reporting currency (default: the most common demand currency, else JPY);
    ``fx_rates`` gives units of the reporting currency per unit of another currency. Money in a
    currency without a rate becomes NaN and is reported as a warning, never silently mixed.
    """
    warnings: list[CompileWarning] = []
    orgs = tables.get("organisations", [])
    sites = tables.get("sites", [])
    items = tables.get("items", [])

    demand_currencies = Counter(
        r["currency"] for r in tables.get("demand", []) if r.get("currency")
    )
    reporting = currency or (demand_currencies.most_common(1)[0][0] if demand_currencies else "JPY")
    rates = {reporting: 1.0, **(fx_rates or {})}
    missing_rates: set[str] = set()

    def money(value: Any, cur: Any) -> float:
        if value is None:
            return NAN
        code = cur or reporting
        rate = rates.get(code)
        if rate is None:
            if code not in missing_rates:
                missing_rates.add(code)
                warnings.append(
                    CompileWarning(
                        "valuechain.compile.no_fx_rate", {"currency": code, "reporting": reporting}
                    )
                )
            return NAN
        return float(value) * rate

    countries = sorted({r["country"] for r in orgs} | {r["country"] for r in sites})
    country_ix = {c: i for i, c in enumerate(countries)}
    org_ix = {r["org_id"]: i for i, r in enumerate(orgs)}
    site_ix = {r["site_id"]: i for i, r in enumerate(sites)}
    item_ix = {r["item_id"]: i for i, r in enumerate(items)}
    n_items = len(items)

    bom_rows = tables.get("bom", [])
    bom = sp.csr_matrix(
        (
            np.array([float(r["quantity_per_unit"]) for r in bom_rows], dtype=np.float64),
            (
                np.array([item_ix[r["parent_item_id"]] for r in bom_rows], dtype=np.int64),
                np.array([item_ix[r["child_item_id"]] for r in bom_rows], dtype=np.int64),
            ),
        ),
        shape=(n_items, n_items),
    )

    nodes = _Pairs()
    node_capacity: dict[int, float] = {}
    for r in tables.get("production", []):
        n = nodes.get(site_ix[r["site_id"]], item_ix[r["item_id"]])
        node_capacity[n] = _f(r.get("capacity_per_week"), INF)
    links_in = tables.get("supply_links", [])
    for r in links_in:
        nodes.get(site_ix[r["supplier_site_id"]], item_ix[r["item_id"]])
    for r in tables.get("demand", []):
        nodes.get(site_ix[r["site_id"]], item_ix[r["item_id"]])

    slots = _Pairs()
    chokepoint_ids = [r["chokepoint_id"] for r in tables.get("chokepoints", [])]
    chokepoint_names = [r["name"] for r in tables.get("chokepoints", [])]
    choke_ix = {c: i for i, c in enumerate(chokepoint_ids)}

    link_src: list[int] = []
    link_slot: list[int] = []
    link_share: list[float] = []
    link_value: list[float] = []
    link_volume: list[float] = []
    link_capacity: list[float] = []
    link_lead: list[float] = []
    link_qualified: list[bool] = []
    choke_rows: list[int] = []
    choke_cols: list[int] = []
    for r in links_in:
        item = item_ix[r["item_id"]]
        link_src.append(nodes.index[(site_ix[r["supplier_site_id"]], item)])
        link_slot.append(slots.get(site_ix[r["receiving_site_id"]], item))
        link_share.append(float(r["share"]))
        link_value.append(money(r.get("annual_value"), r.get("currency")))
        link_volume.append(_f(r.get("annual_volume"), NAN))
        link_capacity.append(_f(r.get("capacity_per_week"), INF))
        link_lead.append(_f(r.get("lead_time_days"), NAN))
        link_qualified.append(bool(r["qualified"]))
        for c in r.get("chokepoints") or []:
            choke_rows.append(len(link_src) - 1)
            choke_cols.append(choke_ix[c])
    n_external = len(link_src)

    # Alternatives may name a site that does not make the item yet: it gets a node of its own.
    alt_rows = tables.get("alternatives", [])
    alt_src = [
        nodes.get(site_ix[r["alt_supplier_site_id"]], item_ix[r["item_id"]]) for r in alt_rows
    ]
    alt_slot = [slots.get(site_ix[r["receiving_site_id"]], item_ix[r["item_id"]]) for r in alt_rows]

    # What each node is (docs/decisions/0075). A site that receives an item it has no
    # production row for, and nothing to make it from, passes on what it receives (a
    # warehouse, a distributor): its one input is its own receipts, one for one. A site that
    # makes an item and also receives it, and ships or sells it, is split in two: the shipping
    # point passes on the site's pooled receipts and the maker is a node of its own that feeds
    # them. Any other node makes its item from the BOM children at its site.
    received = set(slots.index)
    produced = {
        (site_ix[r["site_id"]], item_ix[r["item_id"]]) for r in tables.get("production", [])
    }
    ships = set(link_src) | set(alt_src)
    demand = tables.get("demand", [])
    ships.update(nodes.index[(site_ix[r["site_id"]], item_ix[r["item_id"]])] for r in demand)
    indptr, indices, data = bom.indptr, bom.indices, bom.data
    n_nodes_before_inputs = len(nodes.site)
    relays: list[int] = []
    makers: list[int] = []
    maker_of: dict[tuple[int, int], int] = {}
    own_feeds: dict[tuple[int, int], None] = {}  # (maker, slot) at one site, in order
    for n in range(n_nodes_before_inputs):
        pair = (nodes.site[n], nodes.item[n])
        if pair in received:
            site, item = pair
            children = indices[indptr[item] : indptr[item + 1]]
            makes = pair in produced or any(
                (site, int(c)) in slots.index or (site, int(c)) in nodes.index for c in children
            )
            if not makes:
                relays.append(n)
                continue
            if n in ships:
                relays.append(n)
                maker = len(nodes.site)  # a second node of the pair, outside the pair index
                nodes.site.append(pair[0])
                nodes.item.append(pair[1])
                if n in node_capacity:
                    node_capacity[maker] = node_capacity.pop(n)
                makers.append(maker)
                maker_of[pair] = maker
                own_feeds[(maker, slots.index[pair])] = None
                continue
        makers.append(n)
        maker_of[pair] = n

    # Inputs of every maker: the BOM children of its item, drawn from slots at its own site. A
    # child the site neither receives nor makes is a data gap at our own sites (warned); at a
    # supplier it is the ordinary case of an upstream tier we cannot see, and stays opaque. A
    # site's own output of a child feeds its need alongside any outside supplier of it.
    self_orgs = {i for i, r in enumerate(orgs) if r["kind"] == "self"}
    site_org_list = [org_ix[r["org_id"]] for r in sites]
    in_rows: list[int] = []
    in_cols: list[int] = []
    in_qty: list[float] = []
    for n in relays:
        in_rows.append(n)
        in_cols.append(slots.index[(nodes.site[n], nodes.item[n])])
        in_qty.append(1.0)
    for n in makers:
        site, item = nodes.site[n], nodes.item[n]
        for k in range(indptr[item], indptr[item + 1]):
            child = int(indices[k])
            slot = slots.index.get((site, child))
            own = maker_of.get((site, child))
            if slot is None and own is None:
                if site_org_list[site] in self_orgs:
                    warnings.append(
                        CompileWarning(
                            "valuechain.compile.unsourced_input",
                            {
                                "site": sites[site]["site_id"],
                                "item": items[item]["item_id"],
                                "child": items[child]["item_id"],
                            },
                        )
                    )
                continue
            if slot is None:
                slot = slots.get(site, child)
            if own is not None:
                own_feeds[(own, slot)] = None
            in_rows.append(n)
            in_cols.append(slot)
            in_qty.append(float(data[k]))
    for src, slot in own_feeds:
        link_src.append(src)
        link_slot.append(slot)
        link_share.append(1.0)
        link_value.append(NAN)
        link_volume.append(NAN)
        link_capacity.append(INF)
        link_lead.append(0.0)
        link_qualified.append(True)

    n_nodes, n_slots, n_links = len(nodes.site), len(slots.site), len(link_src)
    node_inputs = sp.csr_matrix(
        (np.array(in_qty), (np.array(in_rows, dtype=np.int64), np.array(in_cols, dtype=np.int64))),
        shape=(n_nodes, n_slots),
    )
    node_cap = np.full(n_nodes, INF)
    for n, cap in node_capacity.items():
        node_cap[n] = cap

    node_inv = np.zeros(n_nodes)
    slot_inv = np.zeros(n_slots)
    for r in tables.get("inventory", []):
        key = (site_ix[r["site_id"]], item_ix[r["item_id"]])
        units = float(r["on_hand_units"])
        # Stock of an item the site makes or ships is finished stock: it ships, sells, and
        # reaches the site's own use through the internal link (at a shipping point that
        # passes an item on it is ready to ship only). Stock of an item the site only
        # receives is input stock.
        if key in nodes.index:
            node_inv[nodes.index[key]] += units
        elif key in slots.index:
            slot_inv[slots.index[key]] += units
        else:
            warnings.append(
                CompileWarning(
                    "valuechain.compile.stray_inventory",
                    {"site": r["site_id"], "item": r["item_id"]},
                )
            )

    ttr = np.full(len(sites), NAN)
    bringup = np.full(len(sites), NAN)
    for r in tables.get("recovery", []):
        s = site_ix[r["site_id"]]
        ttr[s] = float(r["ttr_weeks"])
        bringup[s] = _f(r.get("alternate_bringup_weeks"), NAN)

    site_org = np.array(site_org_list, dtype=np.int64)
    link_src_arr = np.array(link_src, dtype=np.int64)
    link_slot_arr = np.array(link_slot, dtype=np.int64)
    node_site_arr = np.array(nodes.site, dtype=np.int64)
    slot_site_arr = np.array(slots.site, dtype=np.int64)
    internal = np.zeros(n_links, dtype=bool)
    internal[n_external:] = True

    return CompiledChain(
        version=version or content_version(tables),
        currency=reporting,
        countries=countries,
        org_ids=[r["org_id"] for r in orgs],
        org_names=[r["name"] for r in orgs],
        org_kind=np.array([ORG_KINDS.index(r["kind"]) for r in orgs], dtype=np.int64),
        org_country=np.array([country_ix[r["country"]] for r in orgs], dtype=np.int64),
        org_parent=np.array(
            [org_ix[r["parent_org_id"]] if r.get("parent_org_id") else -1 for r in orgs],
            dtype=np.int64,
        ),
        org_ownership_pct=np.array([_f(r.get("ownership_pct"), NAN) for r in orgs]),
        site_ids=[r["site_id"] for r in sites],
        site_names=[r["name"] for r in sites],
        site_org=site_org,
        site_country=np.array([country_ix[r["country"]] for r in sites], dtype=np.int64),
        site_kind=np.array([SITE_KINDS.index(r["kind"]) for r in sites], dtype=np.int64),
        site_ttr_weeks=ttr,
        site_alt_bringup_weeks=bringup,
        site_tier=_site_tiers(
            len(sites),
            np.isin(site_org, np.array(sorted(self_orgs), dtype=np.int64)),
            slot_site_arr[link_slot_arr[:n_external]],
            node_site_arr[link_src_arr[:n_external]],
        ),
        item_ids=[r["item_id"] for r in items],
        item_names=[r["name"] for r in items],
        item_kind=np.array([ITEM_KINDS.index(r["kind"]) for r in items], dtype=np.int64),
        item_hs_code=[r.get("hs_code") or "" for r in items],
        item_critical_tags=[tuple(r.get("critical_tags") or ()) for r in items],
        item_mineral_tags=[tuple(r.get("mineral_tags") or ()) for r in items],
        bom=bom,
        node_site=node_site_arr,
        node_item=np.array(nodes.item, dtype=np.int64),
        node_capacity=node_cap,
        node_inventory=node_inv,
        node_passes=np.isin(np.arange(n_nodes), np.array(relays, dtype=np.int64)),
        slot_site=slot_site_arr,
        slot_item=np.array(slots.item, dtype=np.int64),
        slot_inventory=slot_inv,
        node_inputs=node_inputs,
        link_src=link_src_arr,
        link_slot=link_slot_arr,
        link_share=np.array(link_share),
        link_value=np.array(link_value),
        link_volume=np.array(link_volume),
        link_capacity=np.array(link_capacity),
        link_lead_time_days=np.array(link_lead),
        link_qualified=np.array(link_qualified, dtype=bool),
        link_internal=internal,
        link_chokepoints=sp.csr_matrix(
            (
                np.ones(len(choke_rows)),
                (np.array(choke_rows, dtype=np.int64), np.array(choke_cols, dtype=np.int64)),
            ),
            shape=(n_links, len(chokepoint_ids)),
        ),
        chokepoint_ids=chokepoint_ids,
        chokepoint_names=chokepoint_names,
        demand_node=np.array(
            [nodes.index[(site_ix[r["site_id"]], item_ix[r["item_id"]])] for r in demand],
            dtype=np.int64,
        ),
        demand_market=[r["market"] for r in demand],
        demand_per_week=np.array([float(r["demand_per_week"]) for r in demand]),
        demand_unit_price=np.array([money(r["unit_price"], r.get("currency")) for r in demand]),
        demand_unit_margin=np.array([money(r["unit_margin"], r.get("currency")) for r in demand]),
        alt_src=np.array(alt_src, dtype=np.int64),
        alt_slot=np.array(alt_slot, dtype=np.int64),
        alt_qualification_weeks=np.array([float(r["qualification_weeks"]) for r in alt_rows]),
        alt_capacity=np.array([_f(r.get("capacity_per_week"), INF) for r in alt_rows]),
        alt_cost_premium_pct=np.array([_f(r.get("cost_premium_pct"), NAN) for r in alt_rows]),
        warnings=warnings,
    )


def _site_tiers(
    n_sites: int, own: np.ndarray, downstream: np.ndarray, upstream: np.ndarray
) -> np.ndarray:
    """Hops upstream from our own sites over supply links (-1 when not connected to them)."""
    if n_sites == 0:
        return np.zeros(0, dtype=np.int64)
    # Edge receiving site → supplier site; a virtual root joins every own site at distance 0.
    root = n_sites
    rows = np.concatenate([downstream, np.full(int(own.sum()), root)])
    cols = np.concatenate([upstream, np.flatnonzero(own)])
    graph = sp.csr_matrix((np.ones(rows.shape[0]), (rows, cols)), shape=(n_sites + 1, n_sites + 1))
    dist = dijkstra(graph, directed=True, indices=root, unweighted=True)[:n_sites]
    tiers = np.full(n_sites, -1, dtype=np.int64)
    finite = np.isfinite(dist)
    tiers[finite] = np.rint(dist[finite]).astype(np.int64) - 1
    return tiers
