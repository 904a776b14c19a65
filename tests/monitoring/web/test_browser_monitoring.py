"""Browser test of the monitoring pages: from the inbox to an event, then triage it.

Playwright with Debian's Chromium against the live server (as in tests/web/test_browser.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.monitoring.web.test_pages import _gallium
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def gallium_event(db: Any, settings: Any, tmp_path: Path) -> int:
    from econsec.governance import risks

    settings.DATA_DIR = tmp_path / "data"
    made = _gallium(db)
    risks.create("R-GA", actor="t", title_ja="ガリウム調達リスク", title_en="Gallium supply")
    return made


def test_inbox_to_event_to_triage(page: Any, gallium_event: int) -> None:  # noqa: F811
    sign_in(page, "analyst")
    page.goto(page.base + "/monitoring/")
    table = page.get_by_test_id("alerts-table")
    assert "中国、ガリウム・ゲルマニウムの輸出規制" in table.inner_text()
    shot(page, "monitoring-01-inbox-ja")
    table.get_by_role("link").first.click()
    page.get_by_test_id("products-table").wait_for()
    assert "P-DCDC3" in page.get_by_test_id("products-table").inner_text()
    assert page.get_by_test_id("severity").inner_text() == "高"
    page.select_option("select[name=status]", "confirmed")
    page.fill("input[name=owner]", "資材部")
    page.fill("textarea[name=note]", "仕入先に影響を確認中")
    page.select_option("select[name=risk_ref]", label="R-GA ガリウム調達リスク")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "影響確認"
    assert "仕入先に影響を確認中" in page.get_by_test_id("timeline").inner_text()
    assert page.get_by_test_id("risk").inner_text() == "R-GA ガリウム調達リスク"
    assert "中国" in page.get_by_test_id("footprint").inner_text()
    shot(page, "monitoring-02-event-ja")
