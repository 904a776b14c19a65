"""Upstream/downstream tiers by breadth-first search (pure: no database here).

Tier 1 holds the direct neighbours of the start, tier n the nodes first reached in n steps.
A node appears once, in its nearest tier, with every edge that reached it from the tier before.
The walk stops at ``max_tiers`` or once ``max_nodes`` nodes are found (then ``truncated``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

N = TypeVar("N", bound=Hashable)


@dataclass
class Tier(Generic[N]):
    number: int
    nodes: list[N] = field(default_factory=list)
    edges: dict[N, list[tuple[N, Any]]] = field(default_factory=dict)  # node -> [(from, data)]


@dataclass
class Walk(Generic[N]):
    tiers: list[Tier[N]]
    truncated: bool


def walk_tiers(
    start: Iterable[N],
    expand: Callable[[Sequence[N]], Iterable[tuple[N, N, Any]]],
    *,
    max_tiers: int = 10,
    max_nodes: int = 2000,
) -> Walk[N]:
    """Walk outward from ``start``; ``expand(frontier)`` yields (from, to, data) edges."""
    seen: set[N] = set(start)
    frontier: list[N] = list(dict.fromkeys(start))
    tiers: list[Tier[N]] = []
    found = 0
    truncated = False
    for number in range(1, max_tiers + 1):
        if not frontier or truncated:
            break
        tier: Tier[N] = Tier(number)
        for source, target, data in expand(frontier):
            if target in seen and target not in tier.edges:
                continue
            if target not in tier.edges:
                if found >= max_nodes:
                    truncated = True
                    continue
                seen.add(target)
                tier.nodes.append(target)
                tier.edges[target] = []
                found += 1
            tier.edges[target].append((source, data))
        if tier.nodes:
            tiers.append(tier)
        frontier = tier.nodes
    return Walk(tiers, truncated)
