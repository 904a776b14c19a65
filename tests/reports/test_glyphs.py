"""Chart labels in scripts the main Japanese font lacks (Hangul): each run is set in a font
that has its glyphs (checked against the font file with fontTools, and in the PDF's fonts), and
without such a font the report still builds and says which characters print as boxes."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.graphics.shapes import Group, String

from econsec.exposure.results import ExposureReport
from econsec.reports import pdf as pdf_module
from econsec.reports.draw import draw
from econsec.reports.font import FONT_NAME
from econsec.reports.model import Chart
from econsec.reports.pdf import board_pdf, font_file

from .test_board_pages import _board

HANGUL = "부산 공장"


def _chart() -> Chart:
    return Chart(id="hangul", kind="bar", title={"ja": "国別", "en": "By country"},
                 data={"labels": [{"ja": f"{HANGUL} (韓国)", "en": f"{HANGUL} (Korea)"}],
                       "values": [0.4], "unit": {"ja": "シェア", "en": "Share"}, "percent": True},
                 alt={"ja": "韓国", "en": "Korea"})  # fmt: skip


def _strings(node: Any) -> list[String]:
    if isinstance(node, String):
        return [node]
    if isinstance(node, Group) or hasattr(node, "contents"):
        return [s for child in node.contents for s in _strings(child)]
    return []


def _hangul_font() -> str:
    pdf_module._faces.cache_clear()
    face = next((f for f in pdf_module._faces()[1:] if ord("부") in f.chars), None)
    if face is None:
        pytest.skip("no font with Hangul here (Debian: fonts-nanum)")
    return face.name


def test_hangul_label_is_drawn_with_a_font_that_has_it(exposure: ExposureReport) -> None:
    name = _hangul_font()
    strings = [
        s for s in _strings(draw(_chart(), "ja", 400)) if any("가" <= c <= "힣" for c in s.text)
    ]
    assert strings and all(s.fontName == name for s in strings)
    cmap = TTFont(font_file(name), fontNumber=0).getBestCmap()
    assert all(ord(c) in cmap for s in strings for c in s.text if not c.isspace())
    # The Japanese parts of the same label stay in the main font.
    label = [s for s in _strings(draw(_chart(), "ja", 400)) if "韓国" in s.text]
    assert label and label[0].fontName == FONT_NAME

    board = _board(exposure)
    board.charts.append(_chart())  # type: ignore[attr-defined]
    reader = PdfReader(BytesIO(board_pdf(board, "ja")))  # type: ignore[arg-type]
    fonts: dict[str, str] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if font is not None and any("가" <= c <= "힣" for c in text):
            fonts[text] = str(font.get("/BaseFont"))

    reader.pages[1].extract_text(visitor_text=visit)
    family = TTFont(font_file(name), fontNumber=0)["name"].getDebugName(6)
    assert fonts and all(family in base for base in fonts.values()), (fonts, family)


def test_without_a_hangul_font_the_report_says_so(
    exposure: ExposureReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "FALLBACK_PATHS", ())
    monkeypatch.delenv("ECONSEC_PDF_FALLBACK_FONTS", raising=False)
    pdf_module._faces.cache_clear()
    try:
        board = _board(exposure)
        board.charts.append(_chart())  # type: ignore[attr-defined]
        for lang, words in (("ja", "空の四角"), ("en", "empty boxes")):
            reader = PdfReader(BytesIO(board_pdf(board, lang)))  # type: ignore[arg-type]
            text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
            assert words in text and "U+BD80" in text  # 부
    finally:
        pdf_module._faces.cache_clear()
