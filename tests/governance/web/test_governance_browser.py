"""In a real browser, under the Content-Security-Policy: a user sets the daily digest, an
administrator adds a webhook receiver and sees its secret once, an analyst uploads a risk
workbook with a bad row (located error, nothing written) and then a good one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from econsec.governance import risk_xlsx, risks
from econsec.governance.models import Preference, Risk, Webhook
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_settings_webhooks_and_workbook_upload(page: Any, tmp_path: Path) -> None:  # noqa: F811
    sign_in(page, "viewer")
    page.goto(page.base + "/governance/preferences/")
    form = page.get_by_test_id("preferences")
    form.locator("input[name=email]").fill("viewer@example.jp")
    form.locator("input[name=by_email]").check()
    form.locator("input[name=mode][value=digest]").check()
    form.locator("button[type=submit]").click()
    page.get_by_test_id("saved").wait_for()
    pref = Preference.objects.get(username="viewer")
    assert (pref.email, pref.by_email, pref.digest) == ("viewer@example.jp", True, True)
    shot(page, "governance-01-preferences-ja")

    page.context.clear_cookies()
    sign_in(page, "administrator")
    page.goto(page.base + "/governance/webhooks/")
    page.fill("input[name=url]", "https://receiver.example.jp/econsec")
    page.locator("input[name=kinds][value=screening_hit]").check()
    page.get_by_role("button", name="受信先を追加").click()
    secret = page.get_by_test_id("new-secret").locator("pre").inner_text().strip()
    assert secret == Webhook.objects.get().secret
    shot(page, "governance-02-webhook-secret-ja")
    page.goto(page.base + "/governance/webhooks/")
    assert secret not in page.content()

    risks.create("R-B", actor="seed", title_ja="港湾", title_en="port", entered_impact=5e8)
    book = tmp_path / "risks.xlsx"
    risk_xlsx.export(book, "ja")
    wb = load_workbook(book)
    ws = wb["risks"]
    ws.append(["R-C", "停電", "Outage"] + [None] * 6 + [1e8, "高い"])
    wb.save(book)
    page.context.clear_cookies()
    sign_in(page, "analyst")
    page.goto(page.base + "/governance/risks/")
    upload = page.get_by_test_id("import-risks")
    upload.locator("input[name=workbook]").set_input_files(str(book))
    upload.locator("button[type=submit]").click()
    problems = page.get_by_test_id("import-problems").inner_text()
    assert "シート「risks」4 行目・列「likelihood」(値「高い」)" in problems
    assert "何も書き込んでいません" in problems
    assert not Risk.objects.filter(code="R-C").exists()
    shot(page, "governance-03-upload-errors-ja")

    ws.cell(4, 11, 2)
    wb.save(book)
    page.goto(page.base + "/governance/risks/")
    upload = page.get_by_test_id("import-risks")
    upload.locator("input[name=workbook]").set_input_files(str(book))
    upload.locator("button[type=submit]").click()
    page.wait_for_url(page.base + "/governance/risks/")
    assert "R-C" in page.get_by_test_id("risk-table").inner_text()
    assert Risk.objects.get(code="R-C").likelihood == 2
    shot(page, "governance-04-upload-done-ja")
