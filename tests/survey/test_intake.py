"""Returned workbooks: located errors in ja/en/zh, all-or-nothing; the upload page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from econsec.survey.answers import Problem
from econsec.survey.campaigns import brief, issue_tokens, load_chain
from econsec.survey.models import Answer
from econsec.survey.questionnaire import fill
from econsec.survey.returns import receive
from tests.survey.filler import fill_workbook
from tests.survey.test_round_trip import K1_SOURCES


def _returned(campaign: Any, org: str, tmp_path: Path, **rows: Any) -> Path:
    request = campaign.requests.get(org_id=org)
    data = fill(brief(request, load_chain()))
    return fill_workbook(data, tmp_path / f"{org}.xlsx", **rows)


def test_errors_name_sheet_row_column_and_value_in_three_languages(
    campaign: Any, tmp_path: Path
) -> None:
    bad = [dict(K1_SOURCES[0], share=0.6, source_company_country="XX"),
           dict(K1_SOURCES[1], share="lots")]  # fmt: skip
    path = _returned(campaign, "KRS", tmp_path, sources=bad)
    answer = receive(campaign.requests.get(org_id="KRS"), path, via="test")
    assert not answer.ok and answer.rows == {}
    problems = [Problem.from_dict(p) for p in answer.errors]
    assert {(p.sheet, p.row, p.column, p.value) for p in problems} == {
        ("sources", 3, "G", "XX"),
        ("sources", 4, "K", "lots"),
    }
    assert "sources" in problems[0].message("ja") and "行" in problems[0].message("ja")
    assert "工作表" in problems[0].message("zh") and "row 3" in problems[0].message("en")


def test_shares_must_add_up_to_one(campaign: Any, tmp_path: Path) -> None:
    path = _returned(campaign, "KRS", tmp_path, sources=[dict(K1_SOURCES[0], share=0.5)])
    answer = receive(campaign.requests.get(org_id="KRS"), path, via="test")
    assert [(p["code"], p["row"]) for p in answer.errors] == [("survey.cell.shares_exceed", 3)]


def test_another_suppliers_workbook_is_refused(campaign: Any, tmp_path: Path) -> None:
    path = _returned(campaign, "KRS", tmp_path, sources=K1_SOURCES)
    answer = receive(campaign.requests.get(org_id="TWS"), path, via="test")
    assert [p["code"] for p in answer.errors] == ["survey.file.wrong_supplier"]


def test_upload_page(campaign: Any, tmp_path: Path) -> None:
    tokens = issue_tokens(campaign)
    client = Client()
    page = client.get(f"/supplier/{tokens['KRS']}/?lang=zh")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Korea Supplier" in body and "退回供应商调查表" in body
    # Nothing of other suppliers or of our chain beyond what the workbook holds.
    for other in ("Taiwan Supplier", "China Supplier", "TWS", "CNS", "Hsinchu", "Baotou"):
        assert other not in body
    assert client.get("/supplier/not-a-token/").status_code == 404
    good = _returned(campaign, "KRS", tmp_path, sources=K1_SOURCES)
    # Korea's workbook through Taiwan's link: refused, located.
    with good.open("rb") as fh:
        wrong = client.post(f"/supplier/{tokens['TWS']}/", {"workbook": fh, "lang": "en"})
    assert wrong.status_code == 400 and "Supplier ID KRS" in wrong.content.decode()
    assert "Korea" not in wrong.content.decode().replace("KRS", "")
    with good.open("rb") as fh:
        ok = client.post(f"/supplier/{tokens['KRS']}/", {"workbook": fh})
    assert ok.status_code == 200 and Answer.objects.filter(ok=True).count() == 1
    workbook = client.get(f"/supplier/{tokens['KRS']}/workbook/")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_expired_link_and_rate_limit(campaign: Any, tmp_path: Path) -> None:
    tokens = issue_tokens(campaign)
    request = campaign.requests.get(org_id="KRS")
    client = Client()
    statuses = [client.post(f"/supplier/{tokens['KRS']}/", {}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    request.expires_at = timezone.now() - dt.timedelta(days=1)
    request.save()
    assert client.get(f"/supplier/{tokens['KRS']}/").status_code == 410
    assert client.get(f"/supplier/{tokens['KRS']}/workbook/").status_code == 404


@pytest.mark.parametrize("lang", ["ja", "en", "zh"])
def test_workbooks_in_each_language_have_validation_and_are_inert(lang: str) -> None:
    import io
    import zipfile

    from econsec.survey.questionnaire import SupplierBrief

    made = SupplierBrief(1, "S", '=HYPERLINK("http://evil.example")', lang, "2027-01-31",
                         supplied=[{"item_id": "=1+1", "your_site_id": "A"}])  # fmt: skip
    data = fill(made)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))
    assert b"<f>" not in xml and b"dataValidation" in xml and b"'=HYPERLINK" in xml
