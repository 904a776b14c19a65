"""Board report assembly: every figure checked against a hand-worked example."""

from __future__ import annotations

import json
import math

import pytest

from econsec.exposure.results import ExposureReport
from econsec.reports.assemble import (
    Assessment,
    StoredScenario,
    assemble,
    country_exposure,
    products_at_risk,
    single_source_critical,
)
from econsec.reports.model import BoardReport
from econsec.reports.text import money, percent

from .conftest import ITEM_TAGS


def test_country_exposure_is_revenue_weighted(exposure: ExposureReport) -> None:
    # CAR ¥300 (JP .5, CN .3, KR .2) and VAN ¥100 (CN 1.0): CN = (90 + 100) / 400.
    shares = country_exposure(exposure.products)
    assert list(shares) == ["CN", "JP", "KR"]
    assert shares["CN"] == pytest.approx(190 / 400)
    assert shares["JP"] == pytest.approx(150 / 400)
    assert shares["KR"] == pytest.approx(60 / 400)
    assert math.fsum(shares.values()) == pytest.approx(1.0)


def test_products_at_risk_and_single_source_critical(exposure: ExposureReport) -> None:
    assert [p.item_id for p in products_at_risk(exposure.products)] == ["CAR"]
    critical = single_source_critical(exposure, ITEM_TAGS)
    # BOLT is single-source but untagged; BAT is tagged but has two qualified sources.
    assert [(c[0], c[3], c[5]) for c in critical] == [("MAG", "SUP", True)]


def test_summary_figures_carry_their_reasons(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"})
    figs = {f.id: f for f in board.summary}
    assert figs["products_at_risk"].value == 1
    assert figs["products_at_risk"].display == {"ja": "1 / 2", "en": "1 of 2"}
    assert "¥300/week" in figs["products_at_risk"].reasons[0]["en"]
    assert "300円/週" in figs["products_at_risk"].reasons[0]["ja"]
    assert figs["top_country"].value == pytest.approx(0.475)
    assert figs["top_country"].display == {"ja": "中国 48%", "en": "China 48%"}
    assert "¥400/week" in figs["top_country"].reasons[1]["en"]  # the country loss row
    assert figs["single_source_critical"].value == 1
    # No sweep stored: the structural index, S4 = its margin / the worst margin = 1.
    assert figs["worst_rei"].value == pytest.approx(1.0)
    assert "structural" in figs["worst_rei"].label["en"]
    assert "assessment" not in figs and "scenarios" not in figs
    assert board.scenarios_missing is not None and "stress" in board.scenarios_missing["en"]


def test_actions_are_derived_from_the_figures(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"})
    figures = [a.figure for a in board.actions]
    assert figures == sorted(figures, reverse=True)
    # No sweep stored, so no time: ranked by margin per week at stake. CN stops ¥40/week;
    # S4 alone and SUP (sole source of the magnet) ¥30/week each.
    assert figures == [40.0, 30.0, 30.0]
    assert not any(a.timed for a in board.actions)
    texts = [a.text["en"] for a in board.actions]
    assert "China" in texts[0] and "¥40/week" in board.actions[0].basis["en"]
    assert any("部材 MAG" in t and "Permanent magnets" in t for t in texts)
    assert {a.key for a in board.actions} == {"country:CN", "site:S4", "supplier:SUP"}
    actions = board.table("actions")
    assert actions is not None and [r[0] for r in actions.rows] == [1, 2, 3]


def test_scenarios_sweep_and_assessment(exposure: ExposureReport) -> None:
    payload = {"tts_weeks": 4.0, "ttr_weeks": 10.0, "material": True, "lost_revenue": 6000.0,
               "lost_margin": 600.0, "data_version": exposure.data_version,
               "explanations": [{"key": "reports.weeks", "params": {"n": 4}}]}  # fmt: skip
    unlimited = {**payload, "tts_weeks": None, "material": False, "lost_margin": 0.0}
    sweep = {"rows": [{"id": "S4", "rei": 1.0, "lost_margin": 900.0, "ttr_weeks": 8}],
             "entities": 7}  # fmt: skip
    board = assemble(
        exposure,
        item_tags=ITEM_TAGS,
        home={"JP"},
        scenarios=[
            StoredScenario({"ja": "台湾海峡", "en": "Strait"}, payload),
            StoredScenario({"ja": "平時", "en": "Calm"}, unlimited),
        ],
        sweep=sweep,
        assessment=Assessment("2026 self-assessment", "2026-01-23", 0.625, 2.5, "approved"),
    )
    figs = {f.id: f for f in board.summary}
    assert figs["scenarios"].display["en"] == "1 of 2"
    assert figs["worst_rei"].value == 1.0 and "7 entities" in figs["worst_rei"].reasons[0]["en"]
    assert figs["assessment"].value == 0.625 and figs["assessment"].display["en"] == "62%"
    assert "2.5 / 4" in figs["assessment"].reasons[0]["en"]
    assert board.scenarios_missing is None
    # The material scenario: gap 10 - 4 = 6 weeks; ranked by the ¥600 of margin it loses.
    scen = [a for a in board.actions if "Strait" in a.text["en"]]
    assert len(scen) == 1 and scen[0].figure == pytest.approx(600.0) and scen[0].timed
    assert "6.0-week" in scen[0].text["en"]
    table = board.table("scenarios")
    assert table is not None and table.rows[1][2] is None  # survives indefinitely


def test_round_trip_through_json(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"}, created_at="2026-01-23")
    data = json.loads(json.dumps(board.to_json(), ensure_ascii=False))
    assert BoardReport.from_json(data) == board


def test_locale_formats() -> None:
    assert money(4728840000.0, "JPY", "ja") == "4,728,840,000円"
    assert money(4728840000.0, "JPY", "en") == "¥4,728,840,000"
    assert money(-12.5, "USD", "en") == "-$12.50"
    assert money(float("nan"), "JPY", "en") == "—"
    assert percent(0.475, 1) == "47.5%"


def test_own_sites_get_no_sourcing_action(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"}, own={"S4", "SUP"})
    assert [a.figure for a in board.actions] == [40.0]  # only the country action is left
