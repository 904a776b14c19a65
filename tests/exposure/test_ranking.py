"""Single points of failure ranked by time against recovery and value at risk."""

from __future__ import annotations

from econsec.exposure.ranking import rank_losses
from econsec.exposure.results import ElementLoss


def _loss(site: str, products: int, margin: float) -> ElementLoss:
    return ElementLoss(
        "site", site, f"Site {site}", "JP", tuple(f"P/{i}" for i in range(products)),
        margin * 3, margin, products,
    )  # fmt: skip


def _row(site: str, tts: float | None, ttr: float, lost: float) -> dict[str, object]:
    return {"id": site, "tts_weeks": tts, "ttr_weeks": ttr, "lost_margin": lost, "status": "ok"}


# Four sites that the structure cannot tell apart (12 products, 100/week each), one smaller
# site without a sweep row. Worked by hand:
#   A: cover 1 week, recovery 26  → exposed, loses 2,500
#   D: cover 3 weeks, recovery 10 → exposed, loses 2,100
#   C: cover 5 weeks, recovery 26 → exposed, loses 2,100 (same as D: the shorter cover ranks D first)
#   B: cover 20 weeks, recovery 11 → covered, loses nothing
#   E: not swept → after every swept site
LOSSES = [_loss("E", 3, 50.0), _loss("B", 12, 100.0), _loss("C", 12, 100.0),
          _loss("A", 12, 100.0), _loss("D", 12, 100.0)]  # fmt: skip
SWEEP = [_row("A", 1.0, 26.0, 2500.0), _row("B", 20.0, 11.0, 0.0), _row("C", 5.0, 26.0, 2100.0),
         _row("D", 3.0, 10.0, 2100.0)]  # fmt: skip


def test_time_orders_what_the_structure_ties() -> None:
    ranked = rank_losses(LOSSES, SWEEP, "JPY")
    assert [r.loss.element_id for r in ranked] == ["A", "D", "C", "B", "E"]
    assert [r.exposed for r in ranked] == [True, True, True, False, False]
    assert ranked[0].uncovered_weeks == 25.0 and ranked[3].uncovered_weeks == 0.0


def test_each_tied_site_says_why_it_ranks_above_the_next() -> None:
    ranked = {r.loss.element_id: r for r in rank_losses(LOSSES, SWEEP, "JPY")}
    codes = {site: [x.code for x in r.reasons] for site, r in ranked.items()}
    assert codes["A"] == ["exposure.rank.exposed", "exposure.rank.tie_value"]
    assert codes["D"] == ["exposure.rank.exposed", "exposure.rank.tie_cover"]
    assert codes["C"] == ["exposure.rank.exposed", "exposure.rank.tie_exposed"]
    assert codes["B"] == ["exposure.rank.covered"]  # nothing tied below it
    assert codes["E"] == ["exposure.rank.unswept"]
    assert ranked["A"].reasons[1].params["other"] == "D"
    text = ranked["D"].reasons[1].text("en")
    assert "C" in text and "3.0" in text and "5.0" in text
    assert "在庫" in ranked["D"].reasons[1].text("ja")


def test_without_a_sweep_the_structural_order_stands_and_says_so() -> None:
    ranked = rank_losses(LOSSES, [], "JPY")
    assert [r.loss.element_id for r in ranked] == ["A", "B", "C", "D", "E"]  # margin, then id
    assert all(r.reasons[0].code == "exposure.rank.unswept" for r in ranked)
    assert ranked[0].reasons[1].code == "exposure.rank.tie_unswept"


def test_survives_indefinitely_counts_as_covered() -> None:
    ranked = rank_losses([_loss("X", 1, 10.0)], [_row("X", None, 8.0, 0.0)], "JPY")
    assert not ranked[0].exposed and ranked[0].reasons[0].code == "exposure.rank.covered"
    assert "∞" in ranked[0].reasons[0].text("en")
