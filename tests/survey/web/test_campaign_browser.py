"""Creating a campaign in a real browser: filter, untick a supplier, create."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_analyst_creates_a_campaign_leaving_one_supplier_out(
    page: Any, transactional_db: Any
) -> None:
    from econsec.survey.models import Campaign
    from econsec.valuechain.intake.apply import import_tables
    from tests.valuechain.minichain import mini_tables

    import_tables(mini_tables(), "mini")
    sign_in(page, "analyst")
    page.goto(f"{page.base}/survey/")
    page.click("[data-testid=new-campaign]")
    page.fill("input[name=name]", "ブラウザ調査")
    page.click("[data-testid=preview]")
    assert page.locator("[data-testid=chosen] tbody tr").count() == 3
    page.uncheck("[data-testid=pick-CNS]")
    page.fill("input[name=email-KRS]", "sourcing@krs.example")
    page.click("[data-testid=create]")
    page.wait_for_url(f"{page.base}/survey/*/")
    campaign = Campaign.objects.get()
    assert sorted(campaign.requests.values_list("org_id", flat=True)) == ["KRS", "TWS"]
    assert campaign.requests.get(org_id="KRS").email == "sourcing@krs.example"
    assert "ブラウザ調査" in page.content()
