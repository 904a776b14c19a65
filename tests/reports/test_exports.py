"""xlsx and PDF exports: formula injection neutralised, markup inert, Japanese embedded."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from econsec.exposure.results import ExposureReport
from econsec.reports.assemble import assemble
from econsec.reports.font import FONT_NAME
from econsec.reports.pdf import board_pdf, markup
from econsec.reports.xlsx import board_workbook, neutralise, write_tables

from .conftest import EVIL, ITEM_TAGS

OUT = Path(__file__).resolve().parents[2] / "test-output" / "report-pages"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_workbook_cells_never_evaluate() -> None:
    rows = [['=HYPERLINK("http://x")', 3, -2.5], ["-1+2", "@x", EVIL], ["plain", None, True]]
    book = openpyxl.load_workbook(BytesIO(write_tables([("t", ["a", "=b", "c"], rows)])))
    cells = [c for row in book["t"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [[c.value for c in row] for row in book["t"].iter_rows()]
    assert values[0] == ["a", "'=b", "c"]
    assert values[1] == ['\'=HYPERLINK("http://x")', 3, -2.5]  # numbers stay numbers
    assert values[2] == ["'-1+2", "'@x", EVIL]


def test_board_workbook_has_every_table(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"})
    for lang in ("ja", "en"):
        book = openpyxl.load_workbook(BytesIO(board_workbook(board, lang)))
        titles = set(book.sheetnames)
        for table in board.tables:
            assert table.title[lang][:31] in titles
        sheet = book[board.table("spof").title[lang][:31]]  # type: ignore[union-attr]
        assert EVIL in [c.value for row in sheet.iter_rows() for c in row]
        assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)


def test_markup_escapes_and_falls_back() -> None:
    assert markup(EVIL) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert markup("磁石 & 부품").startswith("磁石 &amp; ")


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("ECONSEC_REQUIRE_PDFTOPPM") == "1":
            pytest.fail(f"ECONSEC_REQUIRE_PDFTOPPM=1 but {tool} (poppler-utils) is missing")
        pytest.skip(f"{tool} is missing (install Debian's poppler-utils)")
    return found


def test_pdf_embeds_the_japanese_font_and_keeps_markup_inert(exposure: ExposureReport) -> None:
    board = assemble(exposure, item_tags=ITEM_TAGS, home={"JP"}, created_at="2026-01-23")
    data = board_pdf(board, "ja")
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data and FONT_NAME.encode() in data  # TrueType program embedded
    text = subprocess.run(
        [_poppler("pdftotext"), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "経済安全保障 取締役会報告" in text
    assert "単一障害点" in text
    assert EVIL in text  # the organisation's name is printed as text, not interpreted
    fonts = subprocess.run(
        [_poppler("pdffonts"), "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    japanese = [line for line in fonts.splitlines()[2:] if FONT_NAME in line]
    assert japanese and all(" yes yes " in line for line in japanese)  # embedded, subset


def test_demo_report_pages_render_to_images(tmp_path: Path) -> None:
    """The demo company's report in both languages: its first pages convert to images
    (written to test-output/report-pages/ for a person to look at)."""
    pdftoppm = _poppler("pdftoppm")
    from econsec.exposure.analyse import Options, analyse
    from econsec.valuechain.compile import compile_tables
    from econsec.valuechain.generators.demo import demo_company

    chain = compile_tables(demo_company())
    tags = {
        item: [*chain.item_critical_tags[i], *chain.item_mineral_tags[i]]
        for i, item in enumerate(chain.item_ids)
    }
    board = assemble(analyse(chain, Options()), item_tags=tags, home={"JP"}, created_at="demo")
    OUT.mkdir(parents=True, exist_ok=True)
    for lang in ("ja", "en"):
        pdf = tmp_path / f"board-{lang}.pdf"
        pdf.write_bytes(board_pdf(board, lang))
        prefix = OUT / f"demo-board-{lang}"
        subprocess.run([pdftoppm, "-r", "50", "-f", "1", "-l", "3", "-png", str(pdf), str(prefix)],
                       check=True)  # fmt: skip
        pages = sorted(OUT.glob(f"demo-board-{lang}-*.png"))
        assert len(pages) >= 3
        # Not blank: page 2 holds a single chart here (no stress results or assessment).
        assert all(p.stat().st_size > 5_000 for p in pages)
        assert len(board.findings) <= 5
