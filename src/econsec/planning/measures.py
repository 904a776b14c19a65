"""Mitigation measures, each compiled into the stress programme's data (docs/decisions/0100).

A measure changes the compiled chain the TTR/TTS programme is built from — not a separate
model — so "after" figures are the engine's own answer on the changed chain:

- ``safety_stock`` / ``stockpile``: units (or weeks of cover at the normal rate) of an item
  held at a site: added to the site's input stock of it (or to its finished stock when the site
  makes the item). Annual cost: holding % × units × unit value.
- ``prequalify``: an alternative source (supplier site → item → site) qualified in advance: its
  qualification time becomes ``qualification_weeks`` (default 0); a supply link already listed
  but not qualified becomes qualified. One-off cost.
- ``reserve_capacity``: units per week reserved on a supply link (supplier site → item →
  site) or at a site making the item (own plant). Annual fee.
- ``reroute``: a supply link no longer passes a chokepoint. Annual extra logistics cost.
- ``faster_recovery``: a site's recovery time (TTR) shortened by a BCP investment. One-off cost.

Costs are annualised with the capital recovery factor of a discount rate over a life in years.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec import safe_yaml
from econsec.planning.errors import PlanningError
from econsec.stress.programme import baseline_rates
from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]

KINDS = (
    "safety_stock",
    "stockpile",
    "prequalify",
    "reserve_capacity",
    "reroute",
    "faster_recovery",
)


@dataclass(frozen=True)
class CostParameters:
    """Default cost parameters; every one can be changed by the user."""

    holding_pct_per_year: float = 20.0
    discount_rate_pct: float = 5.0
    life_years: float = 10.0
    qualification_cost: float = 20_000_000.0  # one-off, per alternative source
    bcp_cost_per_week: float = 10_000_000.0  # one-off, per week of recovery time saved

    def annuity(self) -> float:
        """Capital recovery factor: the yearly payment that repays 1 over the life."""
        r, n = self.discount_rate_pct / 100.0, self.life_years
        return 1.0 / n if r == 0 else r / (1.0 - (1.0 + r) ** -n)


@dataclass(frozen=True)
class Measure:
    id: str
    kind: str
    site: str = ""
    item: str = ""
    supplier_site: str = ""
    units: float = math.nan
    weeks_of_cover: float = math.nan
    unit_value: float = math.nan
    qualification_weeks: float = 0.0
    capacity_per_week: float = math.nan
    chokepoint: str = ""
    ttr_weeks: float = math.nan
    one_off_cost: float = 0.0
    annual_cost: float = 0.0
    unit_premium_pct: float = 0.0
    source: str = ""
    comment: str = ""
    where: str = ""

    def annualised(self, params: CostParameters) -> float:
        return self.annual_cost + self.one_off_cost * params.annuity()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "where" or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue
            out[name] = value
        return out


@dataclass
class Applied:
    """A chain with measures compiled in, and what each measure resolved to."""

    chain: CompiledChain
    measures: list[Measure]
    ttr_factor: dict[int, float] = field(default_factory=dict)  # site → new TTR / old TTR


_NUMBERS = (
    "units", "weeks_of_cover", "unit_value", "qualification_weeks", "capacity_per_week",
    "ttr_weeks", "one_off_cost", "annual_cost", "unit_premium_pct",
)  # fmt: skip
_TEXTS = ("id", "kind", "site", "item", "supplier_site", "chokepoint", "source", "comment")


def parse_measure(entry: Any, where: str) -> Measure:
    """One measure from a mapping (YAML entry, workbook row, form, API body)."""
    if not isinstance(entry, dict):
        raise PlanningError("planning.measure.not_a_mapping", where=where)
    unknown = sorted(set(entry) - set(_NUMBERS) - set(_TEXTS))
    if unknown:
        raise PlanningError("planning.measure.unknown_field", where=where, field=unknown[0])
    kind = entry.get("kind")
    if kind not in KINDS:
        raise PlanningError(
            "planning.measure.bad_kind", where=where, value=kind, kinds=", ".join(KINDS)
        )
    values: dict[str, Any] = {}
    for name in _TEXTS:
        if entry.get(name) is not None:
            values[name] = str(entry[name]).strip()
    for name in _NUMBERS:
        if entry.get(name) is None or entry.get(name) == "":
            continue
        raw = entry[name]
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise PlanningError("planning.measure.not_a_number", where=where, field=name, value=raw)
        number = float(raw)
        if not math.isfinite(number) or number < 0:
            raise PlanningError("planning.measure.negative", where=where, field=name, value=raw)
        values[name] = number
    if not values.get("id"):
        raise PlanningError("planning.measure.missing", where=where, field="id")
    return Measure(**values, where=where)


def parse_measures(document: Any, source: str) -> list[Measure]:
    rows = document.get("measures") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise PlanningError("planning.measure.not_a_list", where=source)
    out = [parse_measure(r, f"{source}: measures[{i}]") for i, r in enumerate(rows)]
    seen: set[str] = set()
    for m in out:
        if m.id in seen:
            raise PlanningError("planning.measure.duplicate", where=m.where, value=m.id)
        seen.add(m.id)
    return out


def load_measures(path: str | Path) -> list[Measure]:
    p = Path(path)
    try:
        document = safe_yaml.load_file(p)
    except FileNotFoundError as exc:
        raise PlanningError("planning.risk.no_file", where=str(p), path=str(p)) from exc
    except safe_yaml.YamlRefused as exc:  # aliases, size, node count, syntax: located
        raise PlanningError(exc.key, **exc.fields()) from exc
    return parse_measures(document, str(p))


# ---- compiling measures into the chain ----------------------------------------------------
class _Index:
    def __init__(self, chain: CompiledChain) -> None:
        self.chain = chain
        self.site = {s: i for i, s in enumerate(chain.site_ids)}
        self.item = {s: i for i, s in enumerate(chain.item_ids)}
        self.choke = {s: i for i, s in enumerate(chain.chokepoint_ids)}
        self.slot = {
            (int(s), int(i)): k
            for k, (s, i) in enumerate(zip(chain.slot_site, chain.slot_item, strict=False))
        }
        self.node = {
            (int(s), int(i)): n
            for n, (s, i) in enumerate(zip(chain.node_site, chain.node_item, strict=False))
        }

    def site_of(self, m: Measure, name: str) -> int:
        value = getattr(m, name)
        if value not in self.site:
            raise PlanningError("planning.measure.unknown", where=m.where, field=name, value=value)
        return self.site[value]

    def item_of(self, m: Measure) -> int:
        if m.item not in self.item:
            raise PlanningError(
                "planning.measure.unknown", where=m.where, field="item", value=m.item
            )
        return self.item[m.item]

    def links(self, m: Measure) -> tuple[int, int, npt.NDArray[np.int64]]:
        """(slot, supplier node, links supplier → slot) of a measure naming a supply link."""
        site, item, supplier = (
            self.site_of(m, "site"),
            self.item_of(m),
            self.site_of(m, "supplier_site"),
        )
        slot = self.slot.get((site, item), -1)
        node = self.node.get((supplier, item), -1)
        c = self.chain
        found = np.flatnonzero((c.link_slot == slot) & (c.link_src == node))
        return slot, node, found


_rates: dict[int, tuple[CompiledChain, Any]] = {}


def _baseline(chain: CompiledChain) -> Any:
    """baseline_rates of ``chain``, kept for the last chain asked (a catalogue of thousands
    of stock measures asks the same chain once per measure)."""
    held = _rates.get(id(chain))
    if held is None or held[0] is not chain:
        _rates.clear()
        held = _rates[id(chain)] = (chain, baseline_rates(chain))
    return held[1]


def _weekly_need(chain: CompiledChain, slot: int, node: int) -> float:
    (u, y), _ok = _baseline(chain)
    if slot >= 0:
        return float(y[chain.link_slot == slot].sum())
    return float(u[node])


def _unit_value(chain: CompiledChain, m: Measure, slot: int) -> float:
    if not math.isnan(m.unit_value):
        return m.unit_value
    links = np.flatnonzero(chain.link_slot == slot) if slot >= 0 else np.zeros(0, dtype=np.int64)
    value, volume = chain.link_value[links], chain.link_volume[links]
    ok = np.isfinite(value) & np.isfinite(volume) & (volume > 0)
    if ok.any():
        return float(value[ok].sum() / volume[ok].sum())
    raise PlanningError("planning.measure.no_value", where=m.where, item=m.item, site=m.site)


def resolve_costs(chain: CompiledChain, m: Measure, params: CostParameters) -> Measure:
    """Fill in the figures a measure leaves to defaults: stock units, holding cost, …"""
    idx = _Index(chain)
    if m.kind in ("safety_stock", "stockpile"):
        site, item = idx.site_of(m, "site"), idx.item_of(m)
        slot, node = idx.slot.get((site, item), -1), idx.node.get((site, item), -1)
        if slot < 0 and node < 0:
            raise PlanningError(
                "planning.measure.not_held", where=m.where, item=m.item, site=m.site
            )
        units = m.units
        if math.isnan(units):
            if math.isnan(m.weeks_of_cover):
                raise PlanningError("planning.measure.missing", where=m.where, field="units")
            units = m.weeks_of_cover * _weekly_need(chain, slot, node)
        annual = m.annual_cost
        if annual == 0:
            annual = params.holding_pct_per_year / 100.0 * units * _unit_value(chain, m, slot)
        return replace(m, units=units, annual_cost=annual)
    if m.kind == "prequalify" and m.one_off_cost == 0:
        return replace(m, one_off_cost=params.qualification_cost)
    if m.kind == "faster_recovery" and m.one_off_cost == 0:
        old = chain.site_ttr_weeks[idx.site_of(m, "site")]
        saved = max(0.0, float(old) - m.ttr_weeks) if math.isfinite(old) else 0.0
        return replace(m, one_off_cost=params.bcp_cost_per_week * saved)
    return m


def apply_measures(
    chain: CompiledChain, measures: list[Measure], params: CostParameters | None = None
) -> Applied:
    """The chain with every measure compiled in (a new data version); located errors."""
    params = params or CostParameters()
    resolved = [resolve_costs(chain, m, params) for m in measures]
    idx = _Index(chain)
    slot_inv = chain.slot_inventory.astype(np.float64).copy()
    node_inv = chain.node_inventory.astype(np.float64).copy()
    node_cap = chain.node_capacity.astype(np.float64).copy()
    link_cap = chain.link_capacity.astype(np.float64).copy()
    link_q = chain.link_qualified.copy()
    alt_weeks = chain.alt_qualification_weeks.astype(np.float64).copy()
    chokes = chain.link_chokepoints.tolil(copy=True)
    ttr = chain.site_ttr_weeks.astype(np.float64).copy()
    factor: dict[int, float] = {}
    for m in resolved:
        if m.kind in ("safety_stock", "stockpile"):
            site, item = idx.site_of(m, "site"), idx.item_of(m)
            slot = idx.slot.get((site, item), -1)
            if slot >= 0:
                slot_inv[slot] += m.units
            else:
                node_inv[idx.node[(site, item)]] += m.units
        elif m.kind == "prequalify":
            slot, node, links = idx.links(m)
            alts = np.flatnonzero((chain.alt_slot == slot) & (chain.alt_src == node))
            if alts.size:
                alt_weeks[alts] = np.minimum(alt_weeks[alts], m.qualification_weeks)
            elif links.size:
                link_q[links] = True
            else:
                raise PlanningError(
                    "planning.measure.no_source", where=m.where, supplier=m.supplier_site,
                    item=m.item, site=m.site,
                )  # fmt: skip
        elif m.kind == "reserve_capacity":
            if math.isnan(m.capacity_per_week):
                raise PlanningError(
                    "planning.measure.missing", where=m.where, field="capacity_per_week"
                )
            if m.supplier_site:
                _slot, _node, links = idx.links(m)
                if not links.size:
                    raise PlanningError(
                        "planning.measure.no_source", where=m.where, supplier=m.supplier_site,
                        item=m.item, site=m.site,
                    )  # fmt: skip
                link_cap[links] += m.capacity_per_week
            else:
                node = idx.node.get((idx.site_of(m, "site"), idx.item_of(m)), -1)
                if node < 0:
                    raise PlanningError(
                        "planning.measure.not_made", where=m.where, item=m.item, site=m.site
                    )
                node_cap[node] += m.capacity_per_week
        elif m.kind == "reroute":
            if m.chokepoint not in idx.choke:
                raise PlanningError(
                    "planning.measure.unknown", where=m.where, field="chokepoint",
                    value=m.chokepoint,
                )  # fmt: skip
            _slot, _node, links = idx.links(m)
            if not links.size:
                raise PlanningError(
                    "planning.measure.no_source", where=m.where, supplier=m.supplier_site,
                    item=m.item, site=m.site,
                )  # fmt: skip
            for e in links:
                chokes[int(e), idx.choke[m.chokepoint]] = 0
        elif m.kind == "faster_recovery":
            site = idx.site_of(m, "site")
            old = ttr[site]
            if math.isnan(m.ttr_weeks) or not math.isfinite(old) or m.ttr_weeks >= old:
                raise PlanningError(
                    "planning.measure.bad_ttr", where=m.where, value=m.ttr_weeks, old=old
                )
            factor[site] = m.ttr_weeks / float(chain.site_ttr_weeks[site])
            ttr[site] = m.ttr_weeks
    digest = hashlib.sha256(
        json.dumps([chain.version, [m.to_dict() for m in resolved]], sort_keys=True).encode()
    ).hexdigest()
    changed = replace(
        chain,
        version=digest,
        slot_inventory=slot_inv,
        node_inventory=node_inv,
        node_capacity=node_cap,
        link_capacity=link_cap,
        link_qualified=link_q,
        alt_qualification_weeks=alt_weeks,
        link_chokepoints=chokes.tocsr(),
        site_ttr_weeks=ttr,
    )
    return Applied(changed, resolved, factor)
