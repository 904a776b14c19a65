"""In a real browser: a viewer sees counts and no technology name; an analyst granted
need-to-know opens a technology, reads its reasons and records an incident through the form."""

from __future__ import annotations

from typing import Any

import pytest

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from tests.technology.chain import demo_chain_rows
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_need_to_know_in_the_browser(page: Any, users: Any) -> None:  # noqa: F811
    demo_chain_rows()
    create_demo_register()
    sign_in(page, "viewer")
    page.goto(page.base + "/technology/")
    assert page.get_by_test_id("need-to-know").is_visible()
    body = page.content()
    assert "T-MAG-GBD" not in body and "粒界拡散" not in body
    shot(page, "technology-01-counts-only-ja")

    grant("analyst", allow=True)
    page.context.clear_cookies()
    sign_in(page, "analyst")
    page.goto(page.base + "/technology/")
    page.get_by_test_id("tech-table").locator("a", has_text="T-MAG-GBD").click()
    page.wait_for_load_state()
    assert "撤退・資料返還条項がない" in page.get_by_test_id("tech-cells").inner_text()
    shot(page, "technology-02-detail-ja")
    page.goto(page.base + "/technology/incidents/")
    form = page.get_by_test_id("incident-form")
    form.locator("input[name=code]").fill("INC-B1")
    form.locator("input[name=title]").fill("展示会での撮影")
    form.locator("select[name=tech]").select_option("T-SERVO-ENC")
    form.locator("select[name=route]").select_option("people.trade_show")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "INC-B1" in page.get_by_test_id("incident-table").inner_text()
    assert m.Incident.objects.get(code="INC-B1").routes == ["people.trade_show"]
    shot(page, "technology-03-incident-ja")
