"""Browser test of the answering view: keyboard answers saved in place, evidence upload, the
score and gap list changing; screenshots in test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from econsec.guideline.campaigns import create_campaign, framework_of
from econsec.guideline.models import Evidence
from tests.web.test_browser import browser, page, shot, sign_in, wait_until  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_answer_with_keyboard_upload_evidence_and_see_scores(
    page: Any,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.DATA_DIR = tmp_path
    campaign = create_campaign("esmg-1.0-draft", "2025年度 全社評価", dt.date(2026, 1, 23), [])
    framework = framework_of(campaign.framework)
    items = [item for _, item in framework.items()]
    first = items[0]
    sign_in(page, "analyst")
    page.goto(page.base + "/assessment/")
    shot(page, "assessment-01-campaigns-ja")
    page.click(f"a[href='/assessment/{campaign.pk}/']")
    page.wait_for_selector("html.js")  # the page script is active
    assert page.get_by_test_id("overall-implementation").inner_text() == "—"
    gaps_before = page.get_by_test_id("top-gaps").inner_text()
    shot(page, "assessment-02-answering-empty-ja")

    # Keyboard: focus the first question's choices, then 1 (done), 2 (partial), 3 (not done).
    q = [question.id for question in first.questions]
    page.locator(f"input[name='q:{q[0]}']").first.focus()
    for key in ("1", "2", "3")[: len(q)]:
        page.keyboard.press(key)
        page.wait_for_timeout(150)
    # Arrow key on the last answered question moves its result to the next choice (N/A).
    page.locator(f"input[name='q:{q[2]}']:checked").focus()
    page.keyboard.press("ArrowRight")
    wait_until(
        page, "document.querySelector('[data-testid=overall-implementation]').textContent !== '—'"
    )
    page.wait_for_timeout(500)
    # done=1, partial=0.5; the N/A question is excluded: (1 + 0.5) / 2 = 75%
    assert page.get_by_test_id("overall-implementation").inner_text() == "75%"
    results = dict(campaign.answers.values_list("question_id", "result"))
    assert results == {q[0]: "done", q[1]: "partial", q[2]: "na"}

    # Maturity of the first item: the gap list changes without a reload.
    page.select_option(f"select[name='m:{first.id}']", "4")
    wait_until(
        page, "document.querySelector('[data-testid=overall-maturity]').textContent === '4.0'"
    )
    assert f"{first.id} " not in page.get_by_test_id("top-gaps").inner_text()
    assert page.get_by_test_id("top-gaps").inner_text() != gaps_before
    shot(page, "assessment-03-answered-ja")

    # Evidence upload (a plain form: the page reloads at the item).
    evidence = tmp_path / "調達方針.txt"
    evidence.write_text("代替調達の方針\n", encoding="utf-8")
    page.locator(f"#item-{first.id} details.evidence summary").click()
    form = page.get_by_test_id(f"evidence-file-form-{first.id}")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "調達方針.txt" in page.get_by_test_id(f"evidence-{first.id}").inner_text()
    assert Evidence.objects.filter(campaign=campaign, kind="file").count() == 1
    page.locator(f"#item-{first.id}").scroll_into_view_if_needed()
    shot(page, "assessment-04-evidence-ja")

    # Gap list page: the item at maturity 4 is no longer a gap.
    page.goto(page.base + f"/assessment/{campaign.pk}/gaps/")
    table = page.get_by_test_id("gap-table").inner_text()
    assert first.id not in table and items[1].id in table
    shot(page, "assessment-05-gaps-ja")
    page.goto(page.base + f"/assessment/{campaign.pk}/scores/")
    shot(page, "assessment-06-scores-ja")

    # A second campaign makes a trend.
    later = create_campaign("esmg-1.0-draft", "2026年度 全社評価", dt.date(2027, 1, 20), [])
    from econsec.guideline.campaigns import ItemFields, record_answers

    record_answers(later, {}, {i.id: ItemFields(maturity=2 + (n % 3)) for n, i in enumerate(items)})
    page.goto(page.base + "/assessment/trend/")
    assert page.get_by_test_id("trend-chart").locator("path").count() >= 2
    shot(page, "assessment-07-trend-ja")
    page.goto(page.base + f"/assessment/compare/?a={campaign.pk}&b={later.pk}")
    shot(page, "assessment-08-compare-ja")
