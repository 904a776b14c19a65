"""The board report's first page, pictures and outputs: findings chosen by rule on hand-built
data, charts holding the analyses' own numbers, and the PDF read back as text in both languages."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from pypdf import PdfReader

from econsec.exposure.ranking import rank_losses
from econsec.exposure.results import ExposureReport
from econsec.reports.assemble import Assessment, StoredScenario, assemble, country_exposure
from econsec.reports.changes import compare
from econsec.reports.draw import svg
from econsec.reports.findings import MAX_FINDINGS
from econsec.reports.html import board_html
from econsec.reports.pdf import board_pdf
from econsec.reports.xlsx import board_workbook

from .conftest import EVIL, ITEM_TAGS

PRODUCTS = [
    {"item": "CAR", "name": "乗用車", "tts_weeks": 2.0, "tts_applies": True, "lost_margin": 500.0},
    {"item": "VAN", "name": "バン", "tts_weeks": None, "tts_applies": True, "lost_margin": 0.0},
    {"item": "BUS", "name": "バス", "tts_weeks": 5.0, "tts_applies": True, "lost_margin": 100.0},
]
PAYLOAD = {"tts_weeks": 2.0, "ttr_weeks": 10.0, "material": True, "lost_revenue": 6000.0,
           "lost_margin": 600.0, "explanations": [], "products": PRODUCTS}  # fmt: skip
SWEEP = {"by": "site", "entities": 3,
         "rows": [{"id": "S4", "tts_weeks": 1.5, "ttr_weeks": 12.0, "lost_margin": 900.0,
                   "rei": 1.0, "status": "ok"}]}  # fmt: skip
AREAS = (({"ja": "自律性", "en": "Autonomy"}, 2.25), ({"ja": "統治", "en": "Governance"}, 3.5))


def _board(exposure: ExposureReport, **kw: object) -> object:
    return assemble(
        exposure,
        item_tags=ITEM_TAGS,
        home={"JP"},
        scenarios=[StoredScenario({"ja": "海峡封鎖", "en": "Strait closed"}, PAYLOAD)],
        sweep=SWEEP,
        assessment=Assessment("A", "2026-01-23", 0.5, 2.6, "approved", AREAS),
        created_at="2026-01-23",
        **kw,  # type: ignore[arg-type]
    )


def test_findings_follow_the_rules(exposure: ExposureReport) -> None:
    board = _board(exposure)
    rules = [f.rule for f in board.findings]  # type: ignore[attr-defined]
    # Every rule has something to say here, in rule order, and no more than five.
    assert rules == ["scenario_product", "site_cover", "country", "single_source_critical",
                     "maturity"]  # fmt: skip
    first, site, country, critical, maturity = board.findings  # type: ignore[attr-defined]
    # The product that stops first: CAR at 2.0 weeks (BUS 5.0; VAN never), recovery 10.
    assert first.value == 2.0 and "乗用車" in first.text["ja"] and "10 weeks" in first.text["en"]
    assert "2 products" in first.meaning["en"]  # CAR and BUS stop before week 10
    assert site.value == 900.0 and "1.5 weeks" in site.text["en"]
    assert "China" in country.text["en"] and "2 of 2" in country.text["en"]
    assert critical.value == 1.0
    assert maturity.value == 2.25 and "自律性" in maturity.text["ja"]


def test_findings_give_way_when_a_rule_has_nothing(exposure: ExposureReport) -> None:
    calm = {**PAYLOAD, "material": False, "tts_weeks": None}
    board = assemble(
        exposure, item_tags={}, home={"JP", "CN"},
        scenarios=[StoredScenario({"ja": "平時", "en": "Calm"}, calm)],
        assessment=Assessment("A", "d", 0.9, 3.5, "approved", ((AREAS[1][0], 3.0),)),
    )  # fmt: skip
    # Not material, no sweep, the only foreign country is home, nothing tagged, mature.
    assert board.findings == []
    assert len(_board(exposure).findings) <= MAX_FINDINGS  # type: ignore[attr-defined]


def test_charts_hold_the_analyses_numbers(exposure: ExposureReport) -> None:
    board = _board(exposure)
    charts = {c.id: c for c in board.charts}  # type: ignore[attr-defined]
    tts = charts["tts_ttr_0"].data
    # Shortest cover first; unlimited last; each against the scenario's recovery.
    assert [x["ja"] for x in tts["labels"]] == ["乗用車", "バス", "バン"]
    assert tts["tts"] == [2.0, 5.0, None] and tts["ttr"] == [10.0, 10.0, 10.0]
    ranked = rank_losses(exposure.losses["site"], SWEEP["rows"], "JPY")  # type: ignore[arg-type]
    site = charts["site_cover"].data
    assert site["tts"] == [r.tts_weeks for r in ranked] == [1.5]
    assert site["ttr"] == [12.0]
    shares = country_exposure(exposure.products)
    assert charts["countries"].data["values"] == list(shares.values())
    assert next(x["en"] for x in charts["countries"].data["labels"]) == "China"
    assert charts["maturity"].data["values"] == [2.25, 3.5]


def test_actions_rank_by_time_based_risk(exposure: ExposureReport) -> None:
    board = _board(exposure, site_org={"S4": "SUP"})
    actions = board.actions  # type: ignore[attr-defined]
    # S4 (swept: 900 lost before recovery) and the scenario (600) are timed; SUP and CN are
    # given S4's time as their worst site, so 900 too. Untimed never outrank timed.
    assert all(a.timed for a in actions)
    assert [a.figure for a in actions] == sorted((a.figure for a in actions), reverse=True)
    assert actions[-1].key == "scenario:Strait closed" and actions[-1].figure == 600.0
    assert {a.key for a in actions[:3]} == {"site:S4", "supplier:SUP", "country:CN"}


def test_changes_since_the_previous_report(exposure: ExposureReport) -> None:
    first = _board(exposure)
    assert [c.kind for c in first.changes] == ["first"]  # type: ignore[attr-defined]
    previous = first.to_json()  # type: ignore[attr-defined]
    previous["index"]["spof"] = {"OLD": "旧工場"}
    previous["index"]["actions"]["site:OLD"] = {"ja": "旧対応", "en": "old action"}
    previous["index"]["figures"]["products_at_risk"] = 2.0
    board = _board(exposure, previous=previous)
    kinds = {c.kind: c for c in board.changes}  # type: ignore[attr-defined]
    assert set(kinds) >= {"same_data", "new_spof", "gone_spof", "figure", "action_closed"}
    assert (
        "旧工場" in kinds["gone_spof"].text["ja"]
        and "old action" in kinds["action_closed"].text["en"]
    )
    assert compare(first.to_json(), first)[-1].kind == "unchanged"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pdf_html_xlsx_agree(exposure: ExposureReport, lang: str) -> None:
    board = _board(exposure)
    reader = PdfReader(BytesIO(board_pdf(board, lang)))  # type: ignore[arg-type]
    page1 = reader.pages[0].extract_text()
    for f in board.findings:  # type: ignore[attr-defined]
        assert f.text[lang][:8] in page1
    assert ("判断" if lang == "ja" else "Decisions") in page1
    # Pages 2-3 carry the charts as vector drawings (paths), not as text tables.
    assert b"re" in reader.pages[1].get_contents().get_data()
    text = "".join(p.extract_text() for p in reader.pages)
    # Places by name, not by code: the supplier SUP is called by its (hostile) name. (S4 is
    # named in the fixture's own product reason, as the analysis would name a site.)
    assert EVIL in text and "SUP" not in text
    if lang == "ja":
        for slug in ("permanent-magnets", "urn:econsec", "semiconductors"):
            assert slug not in text
    html = board_html(board, lang)  # type: ignore[arg-type]
    assert html.count("data:image/svg+xml;base64,") == len(board.charts)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(BytesIO(board_workbook(board, lang)))  # type: ignore[arg-type]
    first = [c.value for c in next(book.worksheets[0].iter_cols(min_col=1, max_col=1))]
    assert first[1:] == [f.text[lang] for f in board.findings]  # type: ignore[attr-defined]


def test_svg_escapes_labels(exposure: ExposureReport) -> None:
    board = _board(exposure)
    for chart in board.charts:  # type: ignore[attr-defined]
        chart.data["labels"][0] = {"ja": EVIL, "en": EVIL}
        text = svg(chart, "en", 600.0)
        assert "<script" not in text and "&lt;script" in text
