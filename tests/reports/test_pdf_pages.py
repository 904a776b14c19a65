"""The PDF's page furniture: A4, "n / N" on every page, and a contents page whose page numbers
are where the headings really are (read back with pypdf)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from econsec.exposure.results import ExposureReport
from econsec.i18n import t
from econsec.reports.pdf import board_pdf

from .test_board_pages import _board


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a4_numbered_pages_and_a_true_contents_page(exposure: ExposureReport, lang: str) -> None:
    reader = PdfReader(BytesIO(board_pdf(_board(exposure), lang)))  # type: ignore[arg-type]
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(reader.pages, start=1):
        box = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert box == pytest.approx(sorted(A4), abs=0.5)
        assert f"{number} / {total}" in pages[number - 1]
    title = t("reports.section.contents", lang)
    contents = [i for i, text in enumerate(pages) if title in text.splitlines()]
    assert len(contents) == 1
    # Page 1 and the pictures come before the contents, which open the detail.
    assert contents[0] >= 2
    laid_out = reader.pages[contents[0]].extract_text(extraction_mode="layout")
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\.\s*){3,}(\d+)\s*$", laid_out, re.M)
    listed = {name.strip(): int(page) for name, page in entries}
    for key, where in (("reports.section.findings", 1), ("reports.section.pictures", 2)):
        assert listed[t(key, lang)] == where
    assert len(listed) >= 8
    for name, page in listed.items():
        # Each listed heading is on the page the contents give (wrapped titles compared by start).
        assert name[:10] in pages[page - 1].replace("\n", ""), (name, page)


def test_outline_points_at_each_heading_and_table(exposure: ExposureReport) -> None:
    reader = PdfReader(BytesIO(board_pdf(_board(exposure), "en")))  # type: ignore[arg-type]
    pages = [p.extract_text().replace("\n", "") for p in reader.pages]

    def flat(items: list[object]) -> list[object]:
        return [x for i in items for x in (flat(i) if isinstance(i, list) else [i])]

    entries = flat(reader.outline)
    titles = [str(e.title) for e in entries]  # type: ignore[attr-defined]
    assert t("reports.section.appendix", "en") in titles and len(entries) > 10
    for entry in entries:
        page = reader.get_destination_page_number(entry)  # type: ignore[arg-type]
        assert str(entry.title)[:12] in pages[page], (entry.title, page)  # type: ignore[attr-defined]
