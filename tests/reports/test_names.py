"""Names, not codes, wherever a reader looks: the data-quality notes and the scenario
explanations in the HTML and the PDF (read back with pypdf), and no English slug anywhere in the
Japanese edition's visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from econsec.exposure.problems import ExposureWarning
from econsec.exposure.results import ExposureReport
from econsec.reports.assemble import Assessment, StoredScenario, assemble
from econsec.reports.html import board_html
from econsec.reports.naming import named_params
from econsec.reports.pdf import board_pdf

from .conftest import ITEM_TAGS
from .test_board_pages import AREAS, PAYLOAD, SWEEP

SLUG = re.compile(r"\b[a-z]+(?:[_-][a-z]+)+\b")
SITES = {"S9": "湾岸工場", "P1": "本社工場", "S4": "包頭工場"}
EXPLANATIONS = [
    {"key": "stress.explain.runs_out", "params": {"site": "S9", "item": "MAG", "week": 2.0}},
    {"key": "stress.explain.link_capacity",
     "params": {"site": "S9", "to_site": "P1", "item": "BOLT", "week": 3.0}},
]  # fmt: skip


class _Visible(HTMLParser):
    """The text a reader sees (no style sheet, no attribute values)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def _board(exposure: ExposureReport) -> object:
    exposure.warnings.append(
        ExposureWarning("exposure.data.inputs_exceed_price", {"count": 1, "example": "S9/MAG"})
    )
    payload = {**PAYLOAD, "explanations": EXPLANATIONS}
    return assemble(
        exposure, item_tags=ITEM_TAGS, home={"JP"},
        scenarios=[StoredScenario({"ja": "海峡封鎖", "en": "Strait closed"}, payload)],
        sweep=SWEEP, assessment=Assessment("A", "2026-01-23", 0.5, 2.6, "approved", AREAS),
        created_at="2026-01-23", site_names=SITES,
    )  # fmt: skip


def test_named_params_keeps_what_it_cannot_name() -> None:
    got = named_params({"site": "X", "item": "MAG", "example": "S9/Q", "week": 1.5},
                       SITES, {"MAG": "磁石"})  # fmt: skip
    assert got == {"site": "X", "item": "磁石 (MAG)", "example": "湾岸工場 (S9) / Q", "week": 1.5}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_notes_and_explanations_name_sites_and_items(exposure: ExposureReport, lang: str) -> None:
    board = _board(exposure)
    html = visible(board_html(board, lang))  # type: ignore[arg-type]
    reader = PdfReader(BytesIO(board_pdf(board, lang)))  # type: ignore[arg-type]
    pdf = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    for text in (html, pdf):
        # The item names come from the analysis itself (its sourcing rows: "部材 MAG").
        assert "湾岸工場 (S9) / 部材 MAG (MAG)" in text
        assert "湾岸工場 (S9)" in text and "本社工場 (P1)" in text and "部材 BOLT (BOLT)" in text
        # Every S9 the reader sees carries its name.
        assert len(re.findall(r"S9", text)) == text.count("湾岸工場 (S9)")
        if lang == "ja":
            assert not SLUG.findall(text), SLUG.findall(text)[:10]


def test_report_messages_are_whole_sentences() -> None:
    """A comma in an unquoted YAML flow value ends it: every message is exactly ja and en."""
    from importlib import resources

    import yaml

    text = (resources.files("econsec.reports") / "messages.yaml").read_text(encoding="utf-8")
    for key, value in yaml.safe_load(text).items():
        assert set(value) == {"ja", "en"}, (key, value)
