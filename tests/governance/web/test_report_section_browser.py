"""In a real browser: the board report made from the web carries the governance section — the
risk heat map and an indicator trend drawn as images that load, and the top risks named in
Japanese — and the PDF of the same report draws them on its pages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from econsec.governance import kri
from econsec.i18n import t
from econsec.web.models import Job
from tests.governance.test_risks import SCENARIOS, demo_results  # noqa: F401  (fixture)
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_board_report_shows_the_governance_section(
    page: Any,  # noqa: F811
    demo_results: dict[str, Any],  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    from econsec.governance.demo import create_demo_risks, demo_step

    settings.MEDIA_ROOT = tmp_path / "media"
    create_demo_risks(SCENARIOS)
    demo_step("ja")
    kri.compute_all()  # a second reading: each indicator has a trend
    sign_in(page, "analyst")
    page.goto(page.base + "/reports/")
    page.get_by_test_id("report-generate").locator("button[type=submit]").click()
    job = Job.objects.filter(kind="reports.board").latest("pk")
    assert job.status == Job.Status.SUCCEEDED, job.status
    page.goto(page.base + job.result_url)
    section = page.get_by_test_id("section-governance")
    section.wait_for()
    heat = section.locator('figure[data-kind="heatmap"] img')
    assert heat.count() == 1
    # The image decoded: a data: URI the CSP blocked or a broken SVG has no natural width.
    assert heat.evaluate("img => img.complete && img.naturalWidth > 0")
    trends = section.locator('figure[data-kind="line"] img')
    assert trends.count() >= 1
    assert trends.first.evaluate("img => img.complete && img.naturalWidth > 0")
    text = section.inner_text()
    assert "中国がレアアースの輸出を26週間制限" in text  # the linked scenario, in Japanese
    shot(page, "governance-03-board-report-section-ja")

    pdf = page.request.get(page.base + job.result_url + "pdf/")
    assert pdf.ok
    reader = PdfReader(BytesIO(pdf.body()))
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    assert "ガバナンス(リスク台帳・重要リスク指標・対応)" in text.replace(" ", "")
    assert "R-001" in text and "R-002" in text

    # The xlsx edition carries the same section: its risk table and the heat map's numbers.
    xlsx = page.request.get(page.base + job.result_url + "xlsx/")
    book = openpyxl.load_workbook(BytesIO(xlsx.body()), read_only=True)
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    assert {"R-001", "R-002", "中国がレアアースの輸出を26週間制限"} <= cells
    heat_title = t("governance.report.heatmap", "ja")
    first = {next(ws.iter_rows(values_only=True), (None,))[0] for ws in book.worksheets}
    assert heat_title in first
