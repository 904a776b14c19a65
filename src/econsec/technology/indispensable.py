"""Indispensability of the items we sell, from the register's market shares and customers."""

from __future__ import annotations

from econsec.technology.importance import CustomerTie, Indispensability, indispensability


def scores() -> list[tuple[str, Indispensability]]:
    """(item id, score with reasons) for every item with a market share or a customer entry,
    highest first."""
    from econsec.technology import models as m

    shares: dict[str, list[tuple[int, float]]] = {}
    for s in m.MarketShare.objects.order_by("item_id", "year"):
        shares.setdefault(s.item_id, []).append((s.year, s.share))
    ties: dict[str, list[CustomerTie]] = {}
    for c in m.CustomerTie.objects.all():
        ties.setdefault(c.item_id, []).append(
            CustomerTie(c.customer, c.country, c.switch_months, c.share_of_supply, c.second_source)
        )
    out = []
    for item in sorted(set(shares) | set(ties)):
        series = shares.get(item, [])
        now = series[-1][1] if series else None
        before = series[-2][1] if len(series) > 1 else None
        out.append((item, indispensability(now, before, ties.get(item, []))))
    return sorted(out, key=lambda e: -e[1].score)
