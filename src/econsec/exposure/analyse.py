"""One call that runs every exposure metric on a compiled chain: :func:`analyse`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.exposure.critical import (
    CriticalCategory,
    category_matrix,
    mineral_matrix,
    reference_categories,
    reference_mineral_hhi,
)
from econsec.exposure.graph import Structure, analyse_structure
from econsec.exposure.problems import ExposureWarning
from econsec.exposure.results import (
    ElementLoss,
    ExposureReport,
    ProductResult,
    Reason,
    SourcingRow,
    SupplierRow,
)
from econsec.exposure.scoring import COUNTRY_SHARE_FLOOR, ScoreInputs, score_product
from econsec.exposure.sourcing import Sourcing, item_sourcing, slot_sourcing
from econsec.exposure.spof import ELEMENT_KINDS, LossTable, loss_table, product_money
from econsec.exposure.unknown import unknown_origin
from econsec.exposure.value import (
    ValueFlows,
    entry_weights,
    origin_shares,
    reaches,
    tagged_value_share,
    value_flows,
)
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DEFAULT_MINERAL_HHI_THRESHOLD = 0.25
_MAX_NAMED = 8
_VIA_FLOOR = 0.01  # an entry supplier is named when it carries ≥ 1 % of the country's value


@dataclass(frozen=True)
class Options:
    """Parameters of an analysis (all optional)."""

    groups: Mapping[str, Collection[str]] | None = None
    """Country groups to report shares for (id → alpha-2 codes); default: none."""
    concern_group: str | None = None
    """The group (one of ``groups``) whose share costs autonomy points, e.g. countries of concern."""
    categories: Sequence[CriticalCategory] | None = None
    """Critical-product categories; default: the reference data."""
    mineral_hhi: Mapping[str, float] | None = None
    """World production HHI per mineral tag; default: the reference data."""
    mineral_hhi_threshold: float = DEFAULT_MINERAL_HHI_THRESHOLD
    top_losses: int = 50
    """How many elements of each kind the report lists (ranked by revenue at risk)."""
    sourcing_row_tiers: int = 1
    """Sourcing rows are listed for slots at sites up to this tier (arrays cover all)."""


def _country_warnings(chain: CompiledChain) -> list[ExposureWarning]:
    from econsec.reference.countries import is_country

    out: list[ExposureWarning] = []
    for ci, code in enumerate(chain.countries):
        if is_country(code):
            continue
        records = [chain.site_ids[s] for s in np.flatnonzero(chain.site_country == ci)]
        records += [chain.org_ids[o] for o in np.flatnonzero(chain.org_country == ci)]
        out.append(
            ExposureWarning(
                "exposure.data.unknown_country",
                {"country": code, "records": ", ".join(records[:_MAX_NAMED])},
            )
        )
    return out


def analyse(chain: CompiledChain, options: Options | None = None) -> ExposureReport:
    """Every exposure metric of ``chain`` (see the package's decision records for definitions).

    Raises :class:`econsec.exposure.problems.ExposureError` when the network has a supply cycle.
    """
    opts = options or Options()
    groups = dict(opts.groups or {})
    warnings = _country_warnings(chain)
    structure = analyse_structure(chain)
    warnings += structure.warnings

    slots = slot_sourcing(chain, groups)
    items = item_sourcing(chain, groups)
    tables = {kind: loss_table(chain, structure, kind) for kind in ELEMENT_KINDS}
    products, revenue, margin = product_money(chain)

    flows = value_flows(chain, structure)
    own_share = np.zeros(chain.n_nodes)
    shares, input_share, _ = origin_shares(
        chain,
        structure,
        flows,
        products,
        chain.node_country.astype(np.int64),
        len(chain.countries),
        own_out=own_share,
    )
    top_foreign = _top_foreign(chain, products, shares)
    entries = _country_entries(chain, flows, products, shares, top_foreign)
    for p in np.flatnonzero(input_share <= 0)[:_MAX_NAMED]:
        node = int(products[p])
        warnings.append(
            ExposureWarning(
                "exposure.data.product_without_inputs",
                {
                    "site": chain.site_ids[int(chain.node_site[node])],
                    "item": chain.item_ids[int(chain.node_item[node])],
                },
            )
        )
    n_equal = int((flows.method == 3).sum())
    if n_equal:
        warnings.append(ExposureWarning("exposure.data.equal_split", {"count": n_equal}))
    n_exceed = int(flows.inputs_exceed_price.sum())
    if n_exceed:
        first = int(np.flatnonzero(flows.inputs_exceed_price)[0])
        warnings.append(
            ExposureWarning(
                "exposure.data.inputs_exceed_price",
                {"count": n_exceed, "example": chain.node_label(first)},
            )
        )

    categories = list(opts.categories) if opts.categories is not None else reference_categories()
    cats, cat_items = category_matrix(chain, categories)
    minerals, mineral_items = mineral_matrix(chain)
    tagged = np.concatenate([cat_items, mineral_items], axis=1)[chain.node_item]
    if tagged.shape[1]:
        tag_share = tagged_value_share(structure, flows, tagged, products)
        tag_reach = reaches(structure, tagged, products)
    else:
        tag_share = np.zeros((products.shape[0], 0))
        tag_reach = np.zeros((products.shape[0], 0), dtype=bool)
    mineral_hhi = (
        dict(opts.mineral_hhi) if opts.mineral_hhi is not None else reference_mineral_hhi()
    )

    product_rows = _product_rows(
        chain,
        structure,
        slots,
        tables["site"],
        products,
        revenue,
        margin,
        shares,
        top_foreign,
        entries,
        own_share,
        groups,
        opts,
        [c.id for c in cats],
        minerals,
        mineral_hhi,
        tag_share,
        tag_reach,
        unknown_origin(chain, structure, flows, products),
    )
    supplier_rows, supplier_hhi = _supplier_rows(chain, slots, tables["org"])
    return ExposureReport(
        data_version=chain.version,
        currency=chain.currency,
        products=product_rows,
        losses={k: _loss_rows(chain, t, opts.top_losses) for k, t in tables.items()},
        slots=_sourcing_rows(
            chain, slots, chain.slot_site, chain.slot_item, opts.sourcing_row_tiers
        ),
        items=_sourcing_rows(chain, items, None, np.arange(len(chain.item_ids)), None),
        suppliers=supplier_rows,
        supplier_hhi_value=supplier_hhi,
        warnings=warnings,
    )


def _f(x: float | np.floating) -> float:
    return float(x)


def _top_foreign(chain: CompiledChain, products: IntArray, shares: FloatArray) -> IntArray:
    """Per product: the foreign country with the largest input-value share (-1 when none)."""
    if shares.shape[1] == 0:
        return np.full(products.shape[0], -1, dtype=np.int64)
    masked = shares.copy()
    home = chain.site_country[chain.node_site[products]].astype(np.int64)
    masked[np.arange(products.shape[0]), home] = -1.0
    top = np.argmax(masked, axis=1).astype(np.int64)
    return np.where(masked[np.arange(products.shape[0]), top] > 0, top, -1)


def _country_entries(
    chain: CompiledChain,
    flows: ValueFlows,
    products: IntArray,
    shares: FloatArray,
    top_foreign: IntArray,
) -> sp.csr_matrix:
    """products × nodes: where each product's top foreign country enters its chain
    (decision 0062). Only products whose share is large enough to be reported are traced."""
    rows = np.arange(products.shape[0])
    share = np.where(top_foreign >= 0, shares[rows, np.maximum(top_foreign, 0)], 0.0)
    traced = np.where(share >= COUNTRY_SHARE_FLOOR, top_foreign, -1)
    return entry_weights(flows, products, traced, chain.node_country.astype(np.int64))


def _entry_suppliers(
    chain: CompiledChain, entries: sp.csr_matrix, own: FloatArray, p: int
) -> tuple[int, str]:
    """Supplier organisations carrying ≥ 1 % of product ``p``'s top foreign value where it
    enters, and the tiers they sit at ("2" or "1–3")."""
    row = entries[p]
    if row.nnz == 0:
        return 0, ""
    carried = row.data * own[row.indices]
    total = float(carried.sum()) or 1.0
    via = row.indices[carried / total >= _VIA_FLOOR]
    if via.shape[0] == 0:
        return 0, ""
    orgs = np.unique(chain.node_org[via]).shape[0]
    tiers = chain.site_tier[chain.node_site[via]]
    low, high = int(tiers.min()), int(tiers.max())
    return int(orgs), str(low) if low == high else f"{low}–{high}"


def _product_rows(
    chain: CompiledChain,
    structure: Structure,
    slots: Sourcing,
    site_losses: LossTable,
    products: IntArray,
    revenue: FloatArray,
    margin: FloatArray,
    shares: FloatArray,
    top_foreign: IntArray,
    entries: sp.csr_matrix,
    entry_share: FloatArray,
    groups: Mapping[str, Collection[str]],
    opts: Options,
    category_ids: list[str],
    minerals: list[str],
    mineral_hhi: Mapping[str, float],
    tag_share: FloatArray,
    tag_reach: npt.NDArray[np.bool_],
    unknown: FloatArray,
) -> list[ProductResult]:
    stops_by_product = site_losses.stops.T.tocsr()  # products × sites
    own_site = chain.site_tier == 0
    member_of = {
        g: np.array([c in members for c in chain.countries], dtype=bool)
        for g, members in groups.items()
    }
    n_cat = len(category_ids)
    out: list[ProductResult] = []
    for p, node in enumerate(products.tolist()):
        site = int(chain.node_site[node])
        row = shares[p]
        order = np.argsort(-row, kind="stable")
        country_shares = {chain.countries[c]: float(row[c]) for c in order if row[c] > 0}
        spof_sites = [int(s) for s in stops_by_product[p].indices if not own_site[int(s)]]
        spof_sites.sort(key=lambda s: chain.site_ids[s])

        # Foreign country with the largest share, and the suppliers through which it enters.
        top_c = int(top_foreign[p])
        via, tiers = _entry_suppliers(chain, entries, entry_share, p)
        direct_slots = structure.inputs[node].indices
        single = [int(s) for s in direct_slots if slots.single_source[s]]
        sole = [int(s) for s in direct_slots if slots.sole_source[s]]
        cat_shares = {
            category_ids[j]: float(tag_share[p, j]) for j in range(n_cat) if tag_reach[p, j]
        }
        mineral_shares = {
            minerals[j]: float(tag_share[p, n_cat + j])
            for j in range(len(minerals))
            if tag_reach[p, n_cat + j]
        }
        group_shares = {g: float(row[m].sum()) for g, m in member_of.items()}
        by_tier = {
            k + 1: float(unknown[p, k]) for k in range(unknown.shape[1]) if unknown[p, k] > 0
        }
        inputs = ScoreInputs(
            country=chain.countries[top_c] if top_c >= 0 else "",
            country_share=float(row[top_c]) if top_c >= 0 else 0.0,
            via_suppliers=via,
            via_tiers=tiers,
            spof_sites=[chain.site_names[s] or chain.site_ids[s] for s in spof_sites],
            single_source_items=[chain.item_names[int(chain.slot_item[s])] for s in single],
            sole_source_items=[chain.item_names[int(chain.slot_item[s])] for s in sole],
            critical=cat_shares,
            minerals={m: (s, mineral_hhi.get(m, float("nan"))) for m, s in mineral_shares.items()},
            mineral_threshold=opts.mineral_hhi_threshold,
            concern_group=opts.concern_group,
            concern_share=group_shares.get(opts.concern_group or "", 0.0),
            unknown_by_tier=by_tier,
        )
        score, reasons = score_product(inputs)
        out.append(
            ProductResult(
                site_id=chain.site_ids[site],
                item_id=chain.item_ids[int(chain.node_item[node])],
                item_name=chain.item_names[int(chain.node_item[node])],
                revenue_per_week=float(revenue[p]),
                margin_per_week=float(margin[p]),
                score=score,
                reasons=tuple(reasons),
                country_shares=country_shares,
                country_hhi=float(np.sum(row * row)) if row.sum() > 0 else float("nan"),
                group_shares=group_shares,
                single_points_of_failure=tuple(chain.site_ids[s] for s in spof_sites),
                critical_products=cat_shares,
                minerals=mineral_shares,
                unknown_by_tier={str(k): v for k, v in by_tier.items()},
            )
        )
    out.sort(key=lambda r: (r.score, -r.revenue_per_week, r.site_id, r.item_id))
    return out


def _element_country(chain: CompiledChain, kind: str, e: int) -> str:
    if kind == "site":
        return chain.countries[int(chain.site_country[e])]
    if kind == "org":
        return chain.countries[int(chain.org_country[e])]
    return chain.countries[e]


def _element_name(chain: CompiledChain, kind: str, e: int) -> str:
    if kind == "site":
        return chain.site_names[e]
    if kind == "org":
        return chain.org_names[e]
    return chain.countries[e]


def _loss_rows(chain: CompiledChain, table: LossTable, top: int) -> list[ElementLoss]:
    rows: list[ElementLoss] = []
    for e in table.ranking()[:top].tolist():
        stopped = table.stops[e].indices
        if stopped.size == 0:
            continue
        rows.append(
            ElementLoss(
                kind=table.kind,
                element_id=table.element_ids[e],
                name=_element_name(chain, table.kind, e),
                country=_element_country(chain, table.kind, e),
                products=tuple(
                    sorted(chain.node_label(int(table.product_nodes[p])) for p in stopped)
                ),
                revenue_per_week=float(table.revenue_per_week[e]),
                margin_per_week=float(table.margin_per_week[e]),
                nodes_lost=int(table.nodes_lost[e]),
            )
        )
    return rows


def _sourcing_rows(
    chain: CompiledChain,
    src: Sourcing,
    group_site: IntArray | None,
    group_item: IntArray,
    max_tier: int | None,
) -> list[SourcingRow]:
    n = group_item.shape[0]
    listed = src.n_sources > 0
    if group_site is not None and max_tier is not None:
        tier = chain.site_tier[group_site]
        listed &= (tier >= 0) & (tier <= max_tier)
    rows: list[SourcingRow] = []
    for g in np.flatnonzero(listed).tolist():
        top_c = int(src.by_country_volume.top_key[g])
        top_o = int(src.by_supplier_volume.top_key[g])
        site = int(group_site[g]) if group_site is not None else -1
        rows.append(
            SourcingRow(
                site_id=chain.site_ids[site] if site >= 0 else "",
                item_id=chain.item_ids[int(group_item[g])],
                item_name=chain.item_names[int(group_item[g])],
                tier=int(chain.site_tier[site]) if site >= 0 else 0,
                n_sources=int(src.n_sources[g]),
                n_qualified=int(src.n_qualified[g]),
                n_alternatives=int(src.n_alternatives[g]),
                single_source=bool(src.single_source[g]),
                sole_source=bool(src.sole_source[g]),
                supplier_hhi_volume=_f(src.by_supplier_volume.hhi[g]),
                supplier_hhi_value=_f(src.by_supplier_value.hhi[g]),
                country_hhi_volume=_f(src.by_country_volume.hhi[g]),
                country_hhi_value=_f(src.by_country_value.hhi[g]),
                top_country=chain.countries[top_c] if top_c >= 0 else "",
                top_country_share_volume=_f(src.by_country_volume.top_share[g]),
                top_supplier=chain.org_ids[top_o] if top_o >= 0 else "",
                top_supplier_share_volume=_f(src.by_supplier_volume.top_share[g]),
                group_shares_volume={k: _f(v[g]) for k, v in src.group_share_volume.items()},
                group_shares_value={k: _f(v[g]) for k, v in src.group_share_value.items()},
            )
        )
    del n
    rows.sort(key=lambda r: (not r.sole_source, not r.single_source, r.tier, r.site_id, r.item_id))
    return rows


def _supplier_rows(
    chain: CompiledChain, slots: Sourcing, org_losses: LossTable
) -> tuple[list[SupplierRow], float]:
    own_slot = chain.site_tier[chain.slot_site] == 0
    ext = own_slot[chain.link_slot] & ~chain.link_internal
    org = chain.site_org[chain.node_site[chain.link_src]]
    n_orgs = len(chain.org_ids)
    value = np.where(np.isfinite(chain.link_value), chain.link_value, 0.0)
    org_value = np.bincount(org[ext], weights=value[ext], minlength=n_orgs)
    total = float(org_value.sum())
    pairs = np.unique(org[ext] * np.int64(max(chain.n_slots, 1)) + chain.link_slot[ext])
    p_org, p_slot = pairs // max(chain.n_slots, 1), pairs % max(chain.n_slots, 1)
    slots_supplied = np.bincount(p_org, minlength=n_orgs)
    qualified_pair = np.zeros(pairs.shape[0], dtype=bool)
    q = ext & chain.link_qualified
    qpairs = np.unique(org[q] * np.int64(max(chain.n_slots, 1)) + chain.link_slot[q])
    qualified_pair = np.isin(pairs, qpairs)
    single = np.bincount(p_org[qualified_pair & slots.single_source[p_slot]], minlength=n_orgs)
    stopped = np.diff(org_losses.stops.indptr)
    rows = [
        SupplierRow(
            org_id=chain.org_ids[o],
            name=chain.org_names[o],
            country=chain.countries[int(chain.org_country[o])],
            slots_supplied=int(slots_supplied[o]),
            single_source_slots=int(single[o]),
            annual_value=float(org_value[o]),
            value_share=float(org_value[o] / total) if total > 0 else float("nan"),
            products_stopped=int(stopped[o]),
            revenue_at_risk_per_week=float(org_losses.revenue_per_week[o]),
        )
        for o in np.flatnonzero(slots_supplied > 0).tolist()
    ]
    rows.sort(key=lambda r: (-r.revenue_at_risk_per_week, -r.annual_value, r.org_id))
    shares = org_value / total if total > 0 else org_value
    return rows, float(np.sum(shares * shares)) if total > 0 else float("nan")


__all__ = ["Options", "Reason", "analyse"]
