"""Browser check of paged tiers on a detail page (Playwright, Debian's Chromium)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401 - fixtures

from .test_listing_and_tiers import wide  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_a_long_tier_pages_in_place(page: Any, wide: Any) -> None:  # noqa: F811
    sign_in(page, "viewer")
    page.goto(page.base + "/valuechain/sites/P/")
    tier = page.locator("details#up-1")
    assert tier.get_attribute("open") is not None
    assert tier.locator("ul.chips > li").count() == 25
    assert tier.locator(".count").inner_text() == "60"
    assert "1–25件目(全60件)" in tier.inner_text()
    assert tier.locator("ul.chips > li").first.inner_text().startswith("<s>Site 00</s>")
    shot(page, "tiers-01-site-detail-paged-ja")
    tier.get_by_role("link", name="次へ →").click()
    page.wait_for_url("**/valuechain/sites/P/?tier=up-1&page=2#up-1")
    tier = page.locator("details#up-1")
    assert tier.locator("ul.chips > li").first.inner_text().startswith("<s>Site 25</s>")
    assert "26–50件目(全60件)" in tier.inner_text()
    shot(page, "tiers-02-site-detail-tier-page-2-ja")
    page.goto(page.base + "/valuechain/sites/S07/")
    assert page.locator("details#down-1 ul.chips > li").count() == 1
    shot(page, "tiers-03-supplier-detail-ja")
