"""In a real browser (strict CSP, any report fails the test): an analyst adds a measure through
the form, sees the located error first, and reads a stored run's charts."""

from __future__ import annotations

from typing import Any

import pytest

from econsec.planning import store
from econsec.planning.models import Measure
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_measure_form_and_run_charts(page: Any, users: Any) -> None:  # noqa: F811
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    chain = store.load_chain()
    sign_in(page, "analyst")
    page.goto(page.base + "/planning/measures/")
    form = page.get_by_test_id("measure-form")
    form.locator("input[name=id]").fill("magnet-stock")
    form.locator("select[name=kind]").select_option("safety_stock")
    form.locator("input[name=site]").fill("NOWHERE")
    form.locator("input[name=item]").fill("C-MAG-NDFEB-DY")
    form.locator("input[name=weeks_of_cover]").fill("8")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "NOWHERE" in page.get_by_test_id("form-error").inner_text()
    assert not Measure.objects.exists()
    form = page.get_by_test_id("measure-form")
    form.locator("input[name=site]").fill("TOHO-HMM")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "magnet-stock" in page.get_by_test_id("measures-table").inner_text()
    shot(page, "planning-01-measures-ja")

    name = next(n for n in store.example_risks()["files"] if "rare-earth" in n)
    packed = {**store.example_risks(), "document": {"scenarios": [
        {"file": name, "frequency_per_year": 0.5,
         "duration": {"kind": "triangular", "low": 4, "mode": 12, "high": 40}}]}}  # fmt: skip
    _result, run = store.simulate(chain, packed, years=300, seed=3, actor="browser")
    assert run is not None
    page.goto(page.base + f"/planning/runs/{run.pk}/")
    chart = page.get_by_test_id("exceedance-chart")
    assert chart.is_visible() and chart.locator("path").count() == 1
    assert chain.version in page.get_by_test_id("trace").inner_text()
    shot(page, "planning-02-run-ja")
