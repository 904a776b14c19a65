"""In a real browser: a viewer sees counts and no technology name; an analyst granted
need-to-know opens a technology, reads its reasons, records an incident through the form, moves
it on with a note, uploads an evidence file, and adds a country of concern."""

from __future__ import annotations

from typing import Any

import pytest

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from tests.technology.chain import demo_chain_rows
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_need_to_know_in_the_browser(page: Any, users: Any, settings: Any,  # noqa: F811
                                     tmp_path: Any) -> None:  # fmt: skip
    settings.DATA_DIR = tmp_path / "data"
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

    page.get_by_test_id("incident-table").locator("a", has_text="INC-B1").click()
    page.wait_for_load_state()
    update = page.get_by_test_id("update-form")
    update.locator("select[name=status]").select_option("contained")
    update.locator("textarea[name=note]").fill("主催者に削除を依頼")
    update.locator("button[type=submit]").click()
    page.wait_for_load_state()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "主催者に削除を依頼" in timeline and "analyst" in timeline
    upload = page.get_by_test_id("evidence-form")
    upload.locator("input[type=file]").set_input_files(
        files=[{"name": "撮影写真の一覧.txt", "mimeType": "text/plain", "buffer": "一覧".encode()}]
    )
    upload.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "撮影写真の一覧.txt" in page.get_by_test_id("evidence").inner_text()
    assert m.Incident.objects.get(code="INC-B1").evidence.get().size == len("一覧".encode())
    shot(page, "technology-04-incident-page-ja")
    page.goto(page.base + "/technology/countries/")
    form = page.get_by_test_id("concern-form")
    form.locator("input[name=country]").fill("ロシア")
    form.locator("textarea[name=reason_ja]").fill("輸出管理上の懸念")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "RU" in page.get_by_test_id("concern-table").inner_text()
    shot(page, "technology-05-countries-ja")


def test_adding_a_holding_in_the_browser(page: Any, users: Any) -> None:  # noqa: F811
    """An analyst with need-to-know records that the encoder correction is also held at the
    Ningbo plant; the exposure on the page names it, and a wrong headcount is refused."""
    demo_chain_rows()
    create_demo_register()
    grant("analyst", allow=True)
    sign_in(page, "analyst")
    page.goto(page.base + "/technology/t/T-SERVO-ENC/")
    section = page.get_by_test_id("facts-holding")
    section.locator("summary", has_text="保有場所を追加").click()
    form = page.get_by_test_id("add-holding")
    form.locator("select[name=kind]").select_option("site")
    form.locator("input[name=site_id]").fill("HOKUNB-PLT")
    form.locator("input[name=label]").fill("寧波合弁工場")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "寧波合弁工場" in page.get_by_test_id("facts-holding").inner_text()
    held = m.Holding.objects.get(technology__tech_id="T-SERVO-ENC", site_id="HOKUNB-PLT")
    assert held.label == "寧波合弁工場"
    assert "懸念国で保有:寧波合弁工場 (CN)" in page.get_by_test_id("tech-cells").inner_text()
    shot(page, "technology-06-holding-added-ja")

    page.get_by_test_id("facts-access").locator("summary", has_text="グループを追加").click()
    access = page.get_by_test_id("add-access")
    access.locator("input[name=name]").fill("寧波 品質管理")
    # The number field takes only digits in a browser; a whole number is checked on the server.
    access.locator("input[name=headcount]").evaluate("e => { e.type = 'text'; e.value = '多数'; }")
    access.locator("button[type=submit]").click()
    page.wait_for_load_state()
    error = page.get_by_test_id("form-error").inner_text()
    assert "項目「headcount」(値「多数」):数値ではありません。" in error
    assert not m.AccessGroup.objects.filter(name="寧波 品質管理").exists()
    shot(page, "technology-07-access-refused-ja")
