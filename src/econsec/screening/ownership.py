"""The 50% rule over an ownership graph (after OFAC's 2014 guidance and BIS's 2025 affiliates rule).

An organisation is flagged when parties that are listed, or themselves flagged, own 50% or more
of it in aggregate (directly or through flagged intermediaries). The result shows the chain that
led to each flag, so a reviewer sees why a company that is on no list is treated as if it were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnershipFlag:
    org: str
    aggregate_pct: float
    owners: tuple[tuple[str, float], ...]  # (blocked owner, pct) that add up to the aggregate
    chains: tuple[tuple[str, ...], ...]  # each: listed party → … → org


def fifty_percent_rule(
    owners: Mapping[str, Sequence[tuple[str, float]]],
    listed: set[str],
    threshold: float = 50.0,
) -> dict[str, OwnershipFlag]:
    """Flag every organisation owned ≥ ``threshold`` % in aggregate by blocked parties.

    ``owners`` maps an organisation to its direct (owner, percent) pairs; ``listed`` holds the
    parties with a confirmed or open list match. Iterates to a fixed point, so chains of any
    depth are followed and cycles terminate.
    """
    blocked: set[str] = set(listed)
    flags: dict[str, OwnershipFlag] = {}
    changed = True
    while changed:
        changed = False
        for org, holdings in owners.items():
            if org in blocked:
                continue
            contributing = tuple((o, float(p)) for o, p in holdings if o in blocked and p)
            total = sum(p for _, p in contributing)
            if total >= threshold - 1e-9:
                chains: list[tuple[str, ...]] = []
                for owner, _ in contributing:
                    upstream = flags[owner].chains if owner in flags else ((owner,),)
                    chains.extend((*chain, org) for chain in upstream)
                flags[org] = OwnershipFlag(org, round(total, 6), contributing, tuple(chains))
                blocked.add(org)
                changed = True
    return flags


def ownership_chain(parents: Mapping[str, str | None], org: str) -> list[str]:
    """The owners above ``org`` following single-parent links (stops at a cycle)."""
    chain: list[str] = []
    seen = {org}
    current = parents.get(org)
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain
