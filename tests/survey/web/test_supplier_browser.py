"""The supplier upload page in a real browser: no account, the supplier's language, located
errors, then a clean upload accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.survey.filler import fill_workbook
from tests.survey.test_round_trip import K1_SOURCES

pytestmark = pytest.mark.browser


def test_supplier_uploads_fixes_and_is_accepted(
    page: Any, transactional_db: Any, tmp_path: Path
) -> None:
    from econsec.survey.campaigns import Selection, brief, create, issue_tokens, load_chain
    from econsec.survey.models import Request
    from econsec.survey.questionnaire import fill
    from econsec.valuechain.intake.apply import import_tables
    from tests.valuechain.minichain import mini_tables

    import_tables(mini_tables(), "mini")
    campaign = create("Browser", 2026, Selection(tiers=(1,)))
    token = issue_tokens(campaign)["KRS"]
    data = fill(brief(campaign.requests.get(org_id="KRS"), load_chain()))
    bad = fill_workbook(
        data,
        tmp_path / "bad.xlsx",
        sources=[dict(K1_SOURCES[0], source_company_country="XX"), K1_SOURCES[1]],
    )
    good = fill_workbook(data, tmp_path / "good.xlsx", sources=K1_SOURCES)

    page.goto(f"{page.base}/supplier/{token}/?lang=zh")
    assert "退回供应商调查表" in page.inner_text("h1")
    assert page.inner_text("[data-testid=company]") == "Korea Supplier"
    assert "Taiwan" not in page.content()
    page.set_input_files("[data-testid=file]", str(bad))
    page.click("[data-testid=upload]")
    errors = page.inner_text("[data-testid=errors]")
    assert "sources" in errors and "第3行" in errors and "XX" in errors
    page.set_input_files("[data-testid=file]", str(good))
    page.click("[data-testid=upload]")
    assert "谢谢" in page.inner_text("[data-testid=accepted]")
    assert Request.objects.get(campaign=campaign, org_id="KRS").status == "returned"
