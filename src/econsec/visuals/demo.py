"""The demo's line about the pictures: how many sites and countries the map shows."""

from __future__ import annotations

from econsec.i18n import t


def step(lang: str) -> None:
    """Print where the map is and what it shows (computes nothing new; idempotent)."""
    from rich.console import Console

    from econsec.visuals import gather
    from econsec.visuals.sitemap import SPOF

    data = gather.map_data()
    if data is None:
        return
    Console().print(
        t(
            "visuals.demo.line",
            lang,
            sites=len(data.sites),
            countries=len(data.supplier_countries),
            spof=sum(s.exposure == SPOF for s in data.sites),
        )
    )
