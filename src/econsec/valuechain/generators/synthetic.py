"""Synthetic value chains of any size, shaped like real multi-tier supply networks.

``generate_network(sites, parts, tiers, seed)`` builds: a few own plants making a few products;
``parts`` part types layered into ``tiers`` tiers, each tier-k part used by tier k−1 parts (a
DAG: bill-of-materials edges only go one tier down); ``sites`` supplier sites, each in one
tier, making the parts of its tier. Supplier degree is heavy-tailed (Zipf weights: a few sites
make many parts), countries follow a weighted mix (raw materials tilted to mining countries),
about a quarter of the parts have 2–3 qualified sources. Volumes follow demand down the bills
of materials, so capacities, values and inventories are consistent. "Ford scale" (Simchi-Levi et
al., Interfaces 2015) is ``sites=4400, parts=55000, tiers=10``.

Counting conventions: ``sites`` counts supplier sites (own plants come on top); ``parts`` counts
items that are not products (products come on top); ``tiers`` is the largest supplier tier, a
site's tier being its shortest supply-link distance from an own plant.

The heavy lifting (sampling, volume propagation, joins) is vectorised with numpy; rows are built
once at the end. Same arguments, same tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from econsec.i18n import t
from econsec.valuechain.generators.routes import RouteModel, chokepoint_rows, load_routes

PARAMS_FILE = Path(__file__).with_name("synthetic.yaml")
FORD_SCALE = {"sites": 4400, "parts": 55000, "tiers": 10}

Tables = dict[str, list[dict[str, object]]]
Progress = Callable[[str], None]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MULTI_SOURCED = 0.25  # share of parts with 2–3 qualified sources
TIER_DECAY_SITES = 0.7  # each tier has this fraction of the previous tier's sites
TIER_DECAY_PARTS = 0.62
ZIPF_EXPONENT = 0.8  # supplier popularity ~ rank^-a: a few sites make many parts
ALTERNATIVE_SHARE = 0.08  # single-sourced parts that have an unqualified alternative


@dataclass(frozen=True)
class _Params:
    supplier_countries: tuple[list[str], FloatArray]
    material_countries: tuple[list[str], FloatArray]
    plant_countries: tuple[list[str], FloatArray]
    markets: list[tuple[str, str]]
    components: list[tuple[str, list[str], list[str]]]
    component_weights: FloatArray
    materials: list[tuple[str, list[str], list[str]]]
    material_weights: FloatArray


def _mix(raw: dict[str, float]) -> tuple[list[str], FloatArray]:
    names = list(raw)
    weights = np.array([float(raw[n]) for n in names])
    return names, weights / weights.sum()


@cache
def _params() -> _Params:
    raw: dict[str, Any] = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))

    def kinds(rows: list[list[Any]]) -> tuple[list[tuple[str, list[str], list[str]]], FloatArray]:
        weights = np.array([float(r[3]) for r in rows])
        return [(str(r[0]), list(r[1]), list(r[2])) for r in rows], weights / weights.sum()

    components, component_weights = kinds(raw["components"])
    materials, material_weights = kinds(raw["materials"])
    return _Params(
        supplier_countries=_mix(raw["supplier_countries"]),
        material_countries=_mix(raw["material_countries"]),
        plant_countries=_mix(raw["plant_countries"]),
        markets=[(str(c), str(label)) for c, label in raw["markets"]],
        components=components,
        component_weights=component_weights,
        materials=materials,
        material_weights=material_weights,
    )


def _allocate(total: int, groups: int, decay: float) -> IntArray:
    """Split ``total`` into ``groups`` counts ≥ 1 decaying geometrically (largest remainder)."""
    weights = decay ** np.arange(groups, dtype=np.float64)
    spare = total - groups
    exact = spare * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    remainder = spare - int(counts.sum())
    if remainder:
        counts[np.argsort(-(exact - counts), kind="stable")[:remainder]] += 1
    return np.asarray(counts + 1, dtype=np.int64)


def _zipf_weights(rng: np.random.Generator, n: int) -> FloatArray:
    ranks = rng.permutation(n) + 1
    weights: FloatArray = ranks.astype(np.float64) ** -ZIPF_EXPONENT
    return np.asarray(weights / weights.sum(), dtype=np.float64)


class _Sources:
    """Sources of every item as flat arrays (item, site, share), grouped by item."""

    def __init__(self, item: IntArray, site: IntArray, share: FloatArray, n_items: int) -> None:
        order = np.lexsort((site, item))
        self.item, self.site, self.share = item[order], site[order], share[order]
        self.count = np.bincount(self.item, minlength=n_items)
        self.start = np.concatenate(([0], np.cumsum(self.count)[:-1]))

    def expand(self, items: IntArray) -> tuple[IntArray, IntArray]:
        """For each entry of ``items``: (index into ``items``, index into the source arrays)."""
        counts = self.count[items]
        owner = np.repeat(np.arange(len(items)), counts)
        first = np.repeat(self.start[items], counts)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        return owner, first + offset


def generate_network(
    sites: int,
    parts: int,
    tiers: int,
    seed: int,
    *,
    progress: Progress | None = None,
) -> Tables:
    """A synthetic value chain: ``sites`` supplier sites, ``parts`` non-product items, ``tiers``
    supplier tiers, deterministic for a given ``seed``. Raises ValueError on impossible sizes."""
    if tiers < 1 or sites < tiers or parts < tiers:
        raise ValueError(
            t("valuechain.generate.bad_size", None, sites=sites, parts=parts, tiers=tiers)
        )
    note = progress or (lambda _stage: None)
    rng = np.random.default_rng(seed)
    params = _params()
    routes = load_routes()

    # ---- who is where ------------------------------------------------------------------------
    note("sites")
    n_plants = int(min(50, max(2, sites // 88)))
    site_tier = np.repeat(np.arange(1, tiers + 1), _allocate(sites, tiers, TIER_DECAY_SITES))
    site_tier = np.concatenate((np.zeros(n_plants, dtype=np.int64), site_tier))
    n_sites = len(site_tier)
    countries: list[str] = []
    for (names, weights), count in (
        (params.plant_countries, n_plants),
        (params.supplier_countries, n_sites - n_plants),
    ):
        countries += [names[i] for i in rng.choice(len(names), size=count, p=weights)]
    if tiers >= 2:
        names, weights = params.material_countries
        raw_sites = np.flatnonzero(site_tier == tiers)
        for i, c in zip(
            raw_sites, rng.choice(len(names), size=len(raw_sites), p=weights), strict=True
        ):
            countries[int(i)] = names[c]
    countries[0] = "JP"  # the company is Japanese: its first plant is at home

    # ---- what is made ------------------------------------------------------------------------
    note("items")
    n_products = int(min(200, max(2, parts // 500)))
    part_tier = np.repeat(np.arange(1, tiers + 1), _allocate(parts, tiers, TIER_DECAY_PARTS))
    n_products = min(n_products, int((part_tier == 1).sum()))
    item_tier = np.concatenate((np.zeros(n_products, dtype=np.int64), part_tier))
    n_items = len(item_tier)

    # sources: products at 1–2 own plants, parts at 1–3 sites of their own tier
    src_item: list[IntArray] = []
    src_site: list[IntArray] = []
    src_share: list[FloatArray] = []
    plants_per_product = np.where(rng.random(n_products) < 0.3, min(2, n_plants), 1)
    for p in range(n_products):
        chosen = rng.choice(n_plants, size=int(plants_per_product[p]), replace=False)
        src_item.append(np.full(len(chosen), p, dtype=np.int64))
        src_site.append(chosen.astype(np.int64))
        src_share.append(np.full(len(chosen), 1.0 / len(chosen)))
    for k in range(1, tiers + 1):
        tier_sites = np.flatnonzero(site_tier == k)
        tier_items = np.flatnonzero(item_tier == k)
        tier_item, tier_site, tier_share = _tier_sources(rng, tier_items, tier_sites)
        src_item.append(tier_item)
        src_site.append(tier_site)
        src_share.append(tier_share)
    sources = _Sources(
        np.concatenate(src_item), np.concatenate(src_site), np.concatenate(src_share), n_items
    )

    # bill of materials: every tier-k item has 1–2 parents in tier k−1
    note("bom")
    bom_parent: list[IntArray] = []
    bom_child: list[IntArray] = []
    for k in range(1, tiers + 1):
        children = np.flatnonzero(item_tier == k)
        parents = np.flatnonzero(item_tier == k - 1)
        first = rng.choice(parents, size=len(children))
        if k == 1:  # every product gets at least one part
            cover = min(len(parents), len(children))
            first[rng.permutation(len(children))[:cover]] = parents[:cover]
        bom_parent.append(first)
        bom_child.append(children)
        twice = children[rng.random(len(children)) < 0.2]
        second = rng.choice(parents, size=len(twice))
        keep = second != first[np.searchsorted(children, twice)]
        bom_parent.append(second[keep])
        bom_child.append(twice[keep])
    parent = np.concatenate(bom_parent)
    child = np.concatenate(bom_child)
    is_material = item_tier == tiers if tiers >= 2 else np.zeros(n_items, dtype=bool)
    qty = np.where(
        is_material[child],
        np.round(rng.lognormal(0.0, 1.0, len(child)), 3) + 0.001,
        rng.integers(1, 9, len(child)).astype(np.float64),
    )

    # ---- volumes down the tiers --------------------------------------------------------------
    note("volumes")
    product_demand = np.round(rng.lognormal(np.log(800.0), 0.9, n_products), 0) + 10.0
    usage = np.zeros(n_items)
    usage[:n_products] = product_demand
    for k in range(1, tiers + 1):
        edges = np.flatnonzero(item_tier[child] == k)
        np.add.at(usage, child[edges], usage[parent[edges]] * qty[edges])
    # need at a consumer site = what its share of each parent's production consumes
    owner, src_idx = sources.expand(parent)
    consumer = sources.site[src_idx]
    need = usage[parent[owner]] * sources.share[src_idx] * qty[owner]
    key = consumer * n_items + child[owner]
    need_key, inverse = np.unique(key, return_inverse=True)
    need_sum: FloatArray = np.bincount(inverse, weights=need).astype(np.float64)
    need_site, need_item = need_key // n_items, need_key % n_items
    # links: each (consumer, part) from each of the part's sources
    l_owner, l_src = sources.expand(need_item)
    link_supplier = sources.site[l_src]
    link_item = need_item[l_owner]
    link_receiver = need_site[l_owner]
    link_share = sources.share[l_src]
    link_volume = need_sum[l_owner] * link_share
    made = usage[sources.item] * sources.share

    note("rows")
    tables = _rows(
        rng,
        params,
        routes,
        countries=countries,
        site_tier=site_tier,
        n_plants=n_plants,
        item_tier=item_tier,
        n_products=n_products,
        is_material=is_material,
        sources=sources,
        made=made,
        parent=parent,
        child=child,
        qty=qty,
        links=(link_supplier, link_item, link_receiver, link_share, link_volume),
        needs=(need_site, need_item, need_sum),
        product_demand=product_demand,
    )
    note("done")
    return tables


def _tier_sources(
    rng: np.random.Generator, items: IntArray, sites: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Sources for the parts of one tier: Zipf-popular sites, some parts with 2–3 sources, and
    every site making at least one part."""
    n_items, n_sites = len(items), len(sites)
    weights = _zipf_weights(rng, n_sites)
    primary = rng.choice(n_sites, size=n_items, p=weights)
    extra_count = np.zeros(n_items, dtype=np.int64)
    if n_sites > 1:
        multi = rng.random(n_items) < MULTI_SOURCED
        extra_count[multi] = np.where(rng.random(int(multi.sum())) < 0.7, 1, 2)
        extra_count = np.minimum(extra_count, n_sites - 1)
    pairs_item = [np.arange(n_items), *[np.flatnonzero(extra_count >= j) for j in (1, 2)]]
    chosen = [primary]
    for j in (1, 2):
        rows = pairs_item[j]
        pick = rng.choice(n_sites, size=len(rows), p=weights)
        for _ in range(20):  # redraw clashes with earlier sources of the same part
            clash = np.zeros(len(rows), dtype=bool)
            for earlier in chosen[:j]:
                clash |= pick == earlier[rows]
            if not clash.any():
                break
            pick[clash] = rng.integers(0, n_sites, int(clash.sum()))
        full = np.full(n_items, -1, dtype=np.int64)
        full[rows] = pick
        chosen.append(full)
    item_idx = np.concatenate([pairs_item[0], pairs_item[1], pairs_item[2]])
    site_idx = np.concatenate([chosen[0], chosen[1][pairs_item[1]], chosen[2][pairs_item[2]]])
    # sites nobody chose become an extra source of some part
    unused = np.setdiff1d(np.arange(n_sites), site_idx)
    if len(unused):
        taken = set(zip(item_idx.tolist(), site_idx.tolist(), strict=True))
        targets = rng.permutation(n_items)
        add_items, add_sites = [], []
        for n, s in enumerate(unused.tolist()):
            part = int(targets[n % n_items])
            if (part, s) not in taken:
                add_items.append(part)
                add_sites.append(s)
        item_idx = np.concatenate((item_idx, np.array(add_items, dtype=np.int64)))
        site_idx = np.concatenate((site_idx, np.array(add_sites, dtype=np.int64)))
    # shares: the first source carries most; all shares of a part add up to 1
    count = np.bincount(item_idx, minlength=n_items)
    raw = rng.uniform(0.2, 1.0, len(item_idx))
    first_of = np.zeros(len(item_idx), dtype=bool)
    first_of[:n_items] = True
    raw[first_of] += 1.0
    total = np.bincount(item_idx, weights=raw, minlength=n_items)
    share = np.round(raw / total[item_idx], 3)
    share[count[item_idx] == 1] = 1.0
    # put the rounding remainder on the first source so the sum is exact
    remainder = 1.0 - np.bincount(item_idx, weights=share, minlength=n_items)
    share[:n_items] += remainder
    return items[item_idx], sites[site_idx], share


def _rows(
    rng: np.random.Generator,
    params: _Params,
    routes: RouteModel,
    *,
    countries: list[str],
    site_tier: IntArray,
    n_plants: int,
    item_tier: IntArray,
    n_products: int,
    is_material: npt.NDArray[np.bool_],
    sources: _Sources,
    made: FloatArray,
    parent: IntArray,
    child: IntArray,
    qty: FloatArray,
    links: tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray],
    needs: tuple[IntArray, IntArray, FloatArray],
    product_demand: FloatArray,
) -> Tables:
    n_sites, n_items = len(site_tier), len(item_tier)
    site_ids = [
        f"P{i + 1:03d}" if i < n_plants else f"S{i - n_plants + 1:05d}" for i in range(n_sites)
    ]
    item_ids = [
        f"PR{i + 1:04d}" if i < n_products else f"I{i - n_products + 1:06d}" for i in range(n_items)
    ]

    # organisations: our company, its plants' owner; suppliers share owners heavy-tailed
    n_suppliers = n_sites - n_plants
    n_orgs = max(1, int(np.ceil(n_suppliers * 0.7)))
    site_org = np.empty(n_suppliers, dtype=np.int64)
    site_org[: min(n_orgs, n_suppliers)] = np.arange(min(n_orgs, n_suppliers))
    rest = n_suppliers - n_orgs
    if rest > 0:
        site_org[n_orgs:] = rng.choice(n_orgs, size=rest, p=_zipf_weights(rng, n_orgs))
    org_ids = [f"ORG{o + 1:05d}" for o in range(n_orgs)]
    has_parent = rng.random(n_orgs) < 0.06
    has_parent[0] = False
    organisations: list[dict[str, object]] = [
        {
            "org_id": "OWN",
            "name": "合成製造株式会社",
            "name_en": "Synthetic Manufacturing Co., Ltd.",
            "kind": "self",
            "country": "JP",
            "parent_org_id": None,
            "ownership_pct": None,
            "notes": None,
        }
    ]
    first_site_of_org = {int(o): n for n, o in reversed(list(enumerate(site_org.tolist())))}
    parent_pick = rng.random(n_orgs)
    pct = rng.choice([51.0, 60.0, 75.0, 100.0], size=n_orgs)
    for o in range(n_orgs):
        parent_org = org_ids[int(parent_pick[o] * o)] if has_parent[o] else None
        organisations.append(
            {
                "org_id": org_ids[o],
                "name": f"サプライヤー{o + 1:05d}",
                "name_en": f"Supplier {o + 1:05d}",
                "kind": "supplier",
                "country": countries[n_plants + first_site_of_org[o]],
                "parent_org_id": parent_org,
                "ownership_pct": float(pct[o]) if parent_org else None,
                "notes": None,
            }
        )
    lat = np.round(rng.uniform(-40, 60, n_sites), 3)
    lon = np.round(rng.uniform(-120, 150, n_sites), 3)
    site_rows: list[dict[str, object]] = []
    for i in range(n_sites):
        own = i < n_plants
        site_rows.append(
            {
                "site_id": site_ids[i],
                "org_id": "OWN" if own else org_ids[int(site_org[i - n_plants])],
                "name": f"自社工場{i + 1:03d}" if own else f"拠点{i - n_plants + 1:05d}",
                "country": countries[i],
                "region": None,
                "kind": "plant",
                "latitude": float(lat[i]),
                "longitude": float(lon[i]),
            }
        )

    # items with HS codes and the tags they imply
    comp_pick = rng.choice(len(params.components), size=n_items, p=params.component_weights)
    mat_pick = rng.choice(len(params.materials), size=n_items, p=params.material_weights)
    item_rows: list[dict[str, object]] = []
    unit_cost = np.round(rng.lognormal(np.log(800.0), 1.2, n_items), 0) + 1.0
    for i in range(n_items):
        tier = int(item_tier[i])
        if i < n_products:
            row: dict[str, object] = {
                "item_id": item_ids[i],
                "name": f"製品{i + 1:04d}",
                "name_en": f"Product {i + 1:04d}",
                "kind": "product",
                "unit": "pcs",
                "hs_code": "870899",
                "critical_tags": [],
                "mineral_tags": [],
            }
        else:
            material = bool(is_material[i])
            hs, crit, mins = (
                params.materials[int(mat_pick[i])]
                if material
                else params.components[int(comp_pick[i])]
            )
            n = i - n_products + 1
            row = {
                "item_id": item_ids[i],
                "name": f"{'素材' if material else '部品'}{n:06d}(第{tier}層)",
                "name_en": f"{'Material' if material else 'Part'} {n:06d} (tier {tier})",
                "kind": "material" if material else "component",
                "unit": "kg" if material else "pcs",
                "hs_code": hs,
                "critical_tags": list(crit),
                "mineral_tags": list(mins),
            }
        item_rows.append(row)

    bom_rows: list[dict[str, object]] = [
        {"parent_item_id": item_ids[p], "child_item_id": item_ids[c], "quantity_per_unit": q}
        for p, c, q in zip(parent.tolist(), child.tolist(), qty.tolist(), strict=True)
    ]

    own_factor = rng.uniform(1.1, 1.35, len(made))
    supplier_factor = rng.uniform(1.4, 4.0, len(made))
    factor = np.where(sources.site < n_plants, own_factor, supplier_factor)
    capacity = np.round(made * factor, 2)
    production_rows: list[dict[str, object]] = [
        {"site_id": site_ids[s], "item_id": item_ids[i], "capacity_per_week": c}
        for s, i, c in zip(
            sources.site.tolist(), sources.item.tolist(), capacity.tolist(), strict=True
        )
    ]

    # supply links with routes, lead times, values
    supplier, item, receiver, share, volume = links
    country_names = sorted(set(countries))
    country_index = {c: n for n, c in enumerate(country_names)}
    site_country = np.array([country_index[c] for c in countries], dtype=np.int64)
    zones = [routes.zone_of(c) for c in country_names]
    n_c = len(country_names)
    route_table = [[list(routes.route(zones[a], zones[b])) for b in range(n_c)] for a in range(n_c)]
    transit = np.array(
        [
            [
                routes.transit_days(country_names[a], zones[a], country_names[b], zones[b])
                for b in range(n_c)
            ]
            for a in range(n_c)
        ]
    )
    ca, cb = site_country[supplier], site_country[receiver]
    make_days = np.where(is_material[item], 14, rng.integers(10, 60, len(item)))
    lead = (transit[ca, cb] + make_days).astype(np.float64)
    annual = np.round(volume * 52.0, 2)
    value_cents = np.round(annual * unit_cost[item] * 100.0).astype(np.int64)
    link_capacity = np.round(volume * rng.uniform(1.2, 2.5, len(volume)), 2)
    link_rows: list[dict[str, object]] = []
    for n, (s, i, r) in enumerate(
        zip(supplier.tolist(), item.tolist(), receiver.tolist(), strict=True)
    ):
        link_rows.append(
            {
                "supplier_site_id": site_ids[s],
                "item_id": item_ids[i],
                "receiving_site_id": site_ids[r],
                "share": float(share[n]),
                "lead_time_days": float(lead[n]),
                "annual_volume": float(annual[n]),
                "annual_value": Decimal(int(value_cents[n])).scaleb(-2),
                "currency": "JPY",
                "capacity_per_week": float(link_capacity[n]),
                "qualified": True,
                "chokepoints": list(route_table[int(ca[n])][int(cb[n])]),
            }
        )

    # inventory: some stock of purchased parts at consumers, finished goods at own plants
    need_site, need_item, need_sum = needs
    stocked = rng.random(len(need_site)) < 0.45
    cover = np.clip(rng.lognormal(np.log(3.0), 0.6, len(need_site)), 0.3, 16.0)
    inventory_rows: list[dict[str, object]] = [
        {"site_id": site_ids[s], "item_id": item_ids[i], "on_hand_units": float(u)}
        for s, i, u in zip(
            need_site[stocked].tolist(),
            need_item[stocked].tolist(),
            np.round(need_sum[stocked] * cover[stocked], 2).tolist(),
            strict=True,
        )
    ]
    fg = np.flatnonzero(sources.item < n_products)
    for j in fg.tolist():
        inventory_rows.append(
            {
                "site_id": site_ids[int(sources.site[j])],
                "item_id": item_ids[int(sources.item[j])],
                "on_hand_units": float(round(made[j] * 1.5, 2)),
            }
        )

    # demand by market, shipped from the plants that make each product
    demand_rows: list[dict[str, object]] = []
    price = np.round(rng.lognormal(np.log(250_000.0), 0.8, n_products), -2) + 1000.0
    margin_rate = rng.uniform(0.04, 0.22, n_products)
    for p in range(n_products):
        start, count = int(sources.start[p]), int(sources.count[p])
        # Each market is shipped from one plant (the demand key is product + market), so a
        # product made at several plants gets one market per plant with that plant's production
        # share: booked demand then matches the volumes sized down the bills of materials.
        if count == 1:
            markets = rng.choice(len(params.markets), size=int(rng.integers(1, 4)), replace=False)
            split = rng.dirichlet(np.ones(len(markets)))
            plants = [int(sources.site[start])] * len(markets)
        else:
            markets = rng.choice(len(params.markets), size=count, replace=False)
            split = sources.share[start : start + count]
            plants = sources.site[start : start + count].tolist()
        for m, frac, plant in zip(markets.tolist(), split.tolist(), plants, strict=True):
            demand_rows.append(
                {
                    "item_id": item_ids[p],
                    "market": params.markets[m][1],
                    "site_id": site_ids[plant],
                    "demand_per_week": float(round(product_demand[p] * frac, 1)),
                    "unit_price": Decimal(int(price[p])),
                    "unit_margin": Decimal(int(price[p] * margin_rate[p])),
                    "currency": "JPY",
                }
            )

    # recovery: plants 8–52 weeks, some with an alternate site to bring up
    ttr = np.clip(np.round(rng.lognormal(np.log(16.0), 0.5, n_sites)), 8, 52)
    alt = np.where(rng.random(n_sites) < 0.3, np.maximum(2.0, np.round(ttr * 0.5)), np.nan)
    recovery_rows: list[dict[str, object]] = [
        {
            "site_id": site_ids[i],
            "ttr_weeks": float(ttr[i]),
            "alternate_bringup_weeks": None if np.isnan(alt[i]) else float(alt[i]),
        }
        for i in range(n_sites)
    ]

    # alternatives: some single-sourced parts have an unqualified site of the same tier
    alternative_rows: list[dict[str, object]] = []
    single = np.flatnonzero((sources.count == 1) & (item_tier >= 1))
    chosen = single[rng.random(len(single)) < ALTERNATIVE_SHARE]
    by_tier = {k: np.flatnonzero(site_tier == k) for k in range(1, int(site_tier.max()) + 1)}
    need_first: dict[int, int] = {}
    for s, i in zip(need_site.tolist(), need_item.tolist(), strict=True):
        need_first.setdefault(i, s)
    for i in chosen.tolist():
        pool = by_tier[int(item_tier[i])]
        current = int(sources.site[sources.start[i]])
        if len(pool) < 2 or i not in need_first:
            continue
        alt_site = int(pool[rng.integers(0, len(pool))])
        if alt_site == current:
            continue
        alternative_rows.append(
            {
                "item_id": item_ids[i],
                "alt_supplier_site_id": site_ids[alt_site],
                "receiving_site_id": site_ids[need_first[i]],
                "qualification_weeks": float(rng.integers(4, 40)),
                "capacity_per_week": float(
                    round(made[sources.start[i]] * rng.uniform(0.3, 1.0), 2)
                ),
                "cost_premium_pct": float(rng.integers(2, 30)),
            }
        )

    return {
        "organisations": organisations,
        "sites": site_rows,
        "items": item_rows,
        "production": production_rows,
        "bom": bom_rows,
        "supply_links": link_rows,
        "inventory": inventory_rows,
        "demand": demand_rows,
        "recovery": recovery_rows,
        "alternatives": alternative_rows,
        "chokepoints": chokepoint_rows(),
    }
