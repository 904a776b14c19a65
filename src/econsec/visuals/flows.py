"""Tier flows: the value of supply links from country to country, step by step down the tiers.

A link into a site of tier r comes from step r + 1, so each link is one arrow from
"step r+1, supplier's country" to "step r, receiver's country". A supplier that feeds sites at
different tiers appears at each step it feeds: the columns always go one way, which is what a
Sankey needs, and the arrows into step 0 add up to what our own sites buy, by country.
Links without a stated value are counted, not guessed ("unknown value"); sites no supply link
connects to our own have no tier and are left out, also counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from econsec.valuechain.compiled import BoolArray, CompiledChain

UNKNOWN_COUNTRY = "??"


@dataclass(frozen=True)
class Flow:
    step: int
    """Receiving step (0 = our own sites); the supplier is at ``step + 1``."""
    source_country: str
    target_country: str
    value: float
    links: int


@dataclass
class FlowData:
    data_version: str
    currency: str
    flows: list[Flow]
    links_without_value: int = 0
    links_without_tier: int = 0
    depth: int = 0
    step_totals: dict[int, float] = field(default_factory=dict)
    """Receiving step → total value flowing into it."""

    def into_step(self, step: int) -> dict[str, float]:
        """Value flowing into ``step`` by supplier country (step 0: what we buy, by country)."""
        out: dict[str, float] = {}
        for f in self.flows:
            if f.step == step:
                out[f.source_country] = out.get(f.source_country, 0.0) + f.value
        return out


def tier_flows(chain: CompiledChain, links: BoolArray | None = None) -> FlowData:
    """Aggregate the chain's supply links (or those ``links`` selects) into country flows."""
    mask = ~chain.link_internal if links is None else (links & ~chain.link_internal)
    src_site = chain.node_site[chain.link_src]
    dst_site = chain.slot_site[chain.link_slot]
    dst_tier = chain.site_tier[dst_site]
    with_tier = mask & (dst_tier >= 0)
    with_value = with_tier & np.isfinite(chain.link_value)
    # Grouped in numpy (one key per step, supplier country, receiver country): a filtered view
    # at Ford scale aggregates tens of thousands of links per request.
    chosen = np.flatnonzero(with_value)
    n_countries = len(chain.countries)
    key = (
        dst_tier[chosen].astype(np.int64) * n_countries + chain.site_country[src_site[chosen]]
    ) * n_countries + chain.site_country[dst_site[chosen]]
    groups, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=chain.link_value[chosen], minlength=len(groups))
    order = np.lexsort((-sums, groups // (n_countries * n_countries)))
    flows = []
    for g in order.tolist():
        value = float(sums[g])
        if not (value > 0 and math.isfinite(value)):
            continue
        step, rest = divmod(int(groups[g]), n_countries * n_countries)
        src, dst = divmod(rest, n_countries)
        flows.append(
            Flow(
                step,
                chain.countries[src] or UNKNOWN_COUNTRY,
                chain.countries[dst] or UNKNOWN_COUNTRY,
                value,
                int(counts[g]),
            )
        )
    step_totals: dict[int, float] = {}
    for f in flows:
        step_totals[f.step] = step_totals.get(f.step, 0.0) + f.value
    return FlowData(
        data_version=chain.version,
        currency=chain.currency,
        flows=flows,
        links_without_value=int((with_tier & ~np.isfinite(chain.link_value)).sum()),
        links_without_tier=int((mask & (dst_tier < 0)).sum()),
        depth=max((f.step + 1 for f in flows), default=0),
        step_totals=step_totals,
    )


def sankey(data: FlowData, top: int = 12) -> tuple[list[str], list[tuple[str, str, float]]]:
    """Node names and (source, target, value) links for a Sankey, keeping the ``top``
    countries of each step by value and pooling the rest as "other" (``*``)."""
    weight: dict[tuple[int, str], float] = {}
    for f in data.flows:
        weight[(f.step + 1, f.source_country)] = (
            weight.get((f.step + 1, f.source_country), 0.0) + f.value
        )
        weight[(f.step, f.target_country)] = weight.get((f.step, f.target_country), 0.0) + f.value
    kept: set[tuple[int, str]] = set()
    for step in {s for s, _ in weight}:
        ranked = sorted((c for s, c in weight if s == step), key=lambda c: -weight[(step, c)])
        kept.update((step, c) for c in ranked[:top])

    def name(step: int, country: str) -> str:
        return f"{step}:{country if (step, country) in kept else '*'}"

    merged: dict[tuple[str, str], float] = {}
    for f in data.flows:
        key = (name(f.step + 1, f.source_country), name(f.step, f.target_country))
        merged[key] = merged.get(key, 0.0) + f.value
    nodes = sorted({n for pair in merged for n in pair}, key=lambda n: (int(n.split(":")[0]), n))
    return nodes, [(s, t, v) for (s, t), v in merged.items()]
