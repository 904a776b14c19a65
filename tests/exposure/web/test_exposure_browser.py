"""Browser: open the exposure pages, produce a board report and download its PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

from .test_exposure import EVIL, analysed_chain  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_exposure_pages_and_pdf_report(page: Any, analysed_chain: Any, tmp_path: Path) -> None:  # noqa: F811
    sign_in(page, "analyst")
    shot(page, "20-dashboard-exposure-cards-ja")
    page.goto(page.base + "/exposure/")
    assert page.locator("h1").inner_text() == "依存度分析"
    page.get_by_test_id("country-chart").wait_for()
    shot(page, "21-exposure-overview-ja")
    page.goto(page.base + "/exposure/spof/")
    assert EVIL in page.get_by_test_id("table-spof").inner_text()  # shown as text, never run
    shot(page, "22-exposure-spof-ja")
    page.goto(page.base + "/exposure/products/")
    page.click("a:has-text('CAR')")
    page.get_by_test_id("product-reasons").wait_for()
    shot(page, "23-exposure-product-ja")
    page.goto(page.base + "/reports/")
    page.click("[data-testid=report-generate] button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    page.goto(page.base + "/reports/")
    page.click("text=開く")
    page.get_by_test_id("board-report").wait_for()
    assert "推奨する対応" in page.content()
    shot(page, "24-board-report-ja")
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.endswith("-ja.pdf")
