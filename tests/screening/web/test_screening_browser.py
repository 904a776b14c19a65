"""Screening in a real browser: search with explanations, review a hit, screen everything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_browser import browser, page, shot, sign_in, wait_until  # noqa: F401  (fixtures)

from .test_screening_pages import screening_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_review_and_screen_all(page: Any, users: Any) -> None:  # noqa: F811
    made = screening_data()
    sign_in(page, "analyst")
    page.goto(page.base + "/screening/search/?q=華為技術&country=CN")
    page.wait_for_selector("[data-testid=search-result]")
    assert "Huawei Technologies" in page.inner_text("[data-testid=search-result]")
    shot(page, "screening-search-ja")
    page.goto(page.base + "/screening/hits/")
    page.wait_for_selector("[data-testid=hits-table]")
    shot(page, "screening-hits-ja")
    page.goto(page.base + f"/screening/hits/{made['hit']}/")
    page.fill("#reason", "登記簿で同一法人と確認 <b>x</b>")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=hit-decisions] td:has-text('登記簿')")
    assert "<b>x</b>" in page.inner_text("[data-testid=hit-decisions]")  # shown as text
    shot(page, "screening-hit-confirmed-ja")
    page.goto(page.base + "/screening/hits/")
    page.click("[data-testid=screen-all-button]")
    page.wait_for_selector("[data-testid=job-status]")
    wait_until(page, "document.querySelector('[data-testid=job-status]').textContent.trim() !== ''")
    shot(page, "screening-job-ja")
    page.click("button[value=en]")
    page.goto(page.base + f"/screening/lists/test_list/versions/{made['v2']}/")
    assert "Removed: 1" in page.inner_text("[data-testid=version-removed]")
    shot(page, "screening-version-en")
