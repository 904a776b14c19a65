"""Browser test of the stress pages: run a scenario, launch a sweep and watch it finish.

Playwright with Debian's Chromium against the live server (launching and skipping as in
test_browser.py). Screenshots go to test-output/screenshots/ (stress-*.png).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import browser, page, shot, sign_in, wait_until  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
RESULT = re.compile(r".*/stress/results/\d+/(#.*)?$")


@pytest.fixture
def demo_store(db: Any, settings: Any, tmp_path: Path) -> None:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    settings.DATA_DIR = tmp_path / "data"
    import_tables(demo_company(), "demo")


def _filled(bar: Any) -> float:
    """How much of its track a bar covers, as drawn."""
    return float(
        bar.evaluate(
            "e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width"
        )
    )


def test_run_a_scenario_then_a_sweep(page: Any, demo_store: None) -> None:  # noqa: F811
    sign_in(page, "analyst")
    page.goto(page.base + "/stress/")
    assert page.locator("h1").inner_text() == "ストレステスト"
    shot(page, "stress-01-index-ja")

    # Load the shipped Taiwan Strait example and run it.
    page.get_by_test_id("new-scenario").click()
    page.get_by_test_id("example-2").click()
    assert "taiwan_strait" in page.get_by_test_id("yaml-text").input_value()
    page.get_by_test_id("run-yaml").click()
    page.wait_for_url(RESULT)
    page.get_by_test_id("tts-chart").wait_for()
    assert "重大なリスク" in page.get_by_test_id("verdict").inner_text()
    assert page.locator("svg.hbar rect.bar.material").count() >= 1
    assert page.locator("svg.hbar line.marker").count() == 1
    shot(page, "stress-02-taiwan-result-ja")

    # Build an export restriction in the form, picking the country with the search.
    page.goto(page.base + "/stress/scenarios/new/")
    page.select_option("[data-testid=field-kind]", "export_restriction")
    page.get_by_test_id("search-targets").fill("CN")
    page.locator(".picker-results button", has_text="CN").first.click()
    assert page.get_by_test_id("field-targets").input_value() == "CN"
    page.get_by_test_id("search-mineral_tags").fill("rare")
    page.locator(".picker-results button", has_text="rare_earths").first.click()
    page.get_by_test_id("field-duration").fill("26")
    shot(page, "stress-03-form-ja")
    page.get_by_test_id("run-form").click()
    page.wait_for_url(RESULT)
    table = page.get_by_test_id("products-table").inner_text()
    assert "P-EAX150" in table
    shot(page, "stress-04-export-restriction-ja")

    # Broken YAML: the error names the line, and the line is marked.
    page.goto(page.base + "/stress/scenarios/new/")
    page.get_by_test_id("yaml-text").fill("name: x\nduration_weeks: 4\nevents:\n  - kind: flood\n")
    page.get_by_test_id("run-yaml").click()
    assert "4 行目" in page.get_by_test_id("yaml-error").inner_text()
    assert page.locator(".yaml-lines li.bad").inner_text().strip() == "- kind: flood"
    shot(page, "stress-05-yaml-error-ja")

    # Launch a sweep by site: the job page shows it finished, then the ranking.
    page.goto(page.base + "/stress/sweeps/new/")
    page.get_by_test_id("start-sweep").click()
    page.wait_for_url("**/jobs/*/")
    wait_until(
        page, "document.querySelector('[data-testid=job-status]').textContent.trim() === '完了'"
    )
    assert _filled(page.locator(".progress .bar")) == pytest.approx(1.0, abs=0.01)
    shot(page, "stress-06-sweep-job-done-ja")
    page.locator("[data-field=result] a").click()
    page.wait_for_url(RESULT)
    first = page.get_by_test_id("ranking-table").locator("tbody tr").first.inner_text()
    assert "TJSC-HC" in first and "1.000" in first
    # The bar of the worst site is drawn full (a width class: the page allows no inline style).
    top_bar = page.get_by_test_id("ranking-table").locator("tbody tr").first.locator(".rei-bar")
    assert _filled(top_bar) == pytest.approx(1.0, abs=0.01)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "Whole-network sweep" in page.locator("h1").inner_text()
    assert "products affected" in page.get_by_test_id("ranking-table").inner_text()
    shot(page, "stress-07-sweep-ranking-en")

    page.goto(page.base + "/")
    cards = page.get_by_test_id("dashboard-cards").inner_text()
    assert "Worst Risk Exposure Index sites" in cards and "TJSC-HC" in cards
    shot(page, "stress-08-dashboard-card-en")
