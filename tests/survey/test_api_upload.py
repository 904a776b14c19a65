"""Returned workbooks through the REST API: the supplier with its link's token, the analyst with
the edit role; both in the OpenAPI schema; the supplier sees only its own company and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from econsec.survey.campaigns import issue_tokens
from econsec.survey.models import Answer
from tests.survey.test_intake import _returned
from tests.survey.test_round_trip import K1_SOURCES

SUPPLIER_URL = "/api/survey/supplier/answer"


def _post(client: Client, url: str, path: Path | None, **headers: Any) -> Any:
    if path is None:
        return client.post(url, {}, **headers)
    with path.open("rb") as handle:
        return client.post(url, {"workbook": handle}, **headers)


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_supplier_uploads_its_own_workbook_with_its_link_token(
    campaign: Any, tmp_path: Path
) -> None:
    tokens = issue_tokens(campaign)
    good = _returned(campaign, "KRS", tmp_path, sources=K1_SOURCES)
    client = Client()
    assert _post(client, SUPPLIER_URL, good, **_bearer("not-a-token")).status_code == 401
    assert _post(client, SUPPLIER_URL, good).status_code == 401  # no token at all
    wrong = _post(client, SUPPLIER_URL + "?lang=en", good, **_bearer(tokens["TWS"]))
    assert wrong.status_code == 400
    body = wrong.json()
    assert body["supplier_id"] == "TWS" and [e["code"] for e in body["errors"]] == [
        "survey.file.wrong_supplier"
    ]
    assert (body["errors"][0]["sheet"], body["errors"][0]["row"]) == ("about", 2)
    for other in ("Korea Supplier", "China Supplier", "Baotou", "Hsinchu"):
        assert other not in wrong.content.decode()
    ok = _post(client, SUPPLIER_URL, good, **_bearer(tokens["KRS"]))
    assert ok.status_code == 200, ok.content[:300]
    assert ok.json() == {"answer_id": Answer.objects.get(ok=True).pk, "supplier_id": "KRS",
                         "supplier": "Korea Supplier", "ok": True, "status": "returned",
                         "errors": []}  # fmt: skip
    assert Answer.objects.get(ok=True).via == "api"


def test_the_upload_link_allowance_is_shared_with_the_page_and_expiry_holds(
    campaign: Any, tmp_path: Path
) -> None:
    tokens = issue_tokens(campaign)
    client = Client()
    page = [client.post(f"/supplier/{tokens['KRS']}/", {}).status_code for _ in range(6)]
    api = [_post(client, SUPPLIER_URL, None, **_bearer(tokens["KRS"])).status_code
           for _ in range(5)]  # fmt: skip
    assert page == [400] * 6 and api[:4] == [400, 400, 400, 400] and api[4] == 429
    assert _post(client, SUPPLIER_URL, None, **_bearer(tokens["TWS"])).status_code == 400
    campaign.requests.filter(org_id="TWS").update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    gone = _post(client, SUPPLIER_URL + "?lang=zh", None, **_bearer(tokens["TWS"]))
    assert gone.status_code == 410 and "链接" in gone.json()["detail"]


def test_the_analyst_uploads_a_returned_workbook(
    campaign: Any, tmp_path: Path, client_for: Any
) -> None:
    good = _returned(campaign, "KRS", tmp_path, sources=K1_SOURCES)
    url = f"/api/survey/campaigns/{campaign.pk}/suppliers/KRS/answer"
    assert _post(client_for("viewer"), url, good).status_code == 403
    response = _post(client_for("analyst"), url, good)
    assert response.status_code == 200 and response.json()["status"] == "returned"
    bad = _returned(campaign, "KRS", tmp_path, sources=[dict(K1_SOURCES[0], share=0.5)])
    refused = _post(client_for("analyst"), url, bad, HTTP_ACCEPT_LANGUAGE="ja")
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert (error["sheet"], error["row"], error["column"], error["value"]) == (
        "sources",
        3,
        "K",
        "0.500",
    )
    assert "行" in error["message"]
    nobody = f"/api/survey/campaigns/{campaign.pk}/suppliers/NOPE/answer"
    assert _post(client_for("analyst"), nobody, good).status_code == 404
    huge = f"/api/survey/campaigns/{2**75}/suppliers/KRS/answer"  # past SQLite's 64 bits
    assert _post(client_for("analyst"), huge, good).status_code == 404


def test_both_uploads_are_in_the_openapi_schema(client_for: Any) -> None:
    schema = client_for("viewer").get("/api/openapi.json").json()
    supplier = schema["paths"]["/api/survey/supplier/answer"]["post"]
    analyst = schema["paths"]["/api/survey/campaigns/{campaign_id}/suppliers/{org_id}/answer"]
    assert {"200", "400", "410", "413", "429"} <= set(supplier["responses"])
    assert supplier["security"] == [{"SupplierAuth": []}]
    assert "multipart/form-data" in analyst["post"]["requestBody"]["content"]
