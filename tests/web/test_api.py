"""REST API: hashed bearer tokens, role rules as in the UI, keyset pages, OpenAPI."""

from __future__ import annotations

from typing import Any

from django.test import Client

from econsec.web.models import ApiToken, hash_token
from econsec.web.roles import ROLES


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tokens_are_stored_hashed_and_work_per_role(users: Any, chain: Any) -> None:
    for role in (*ROLES, "norole"):
        token, raw = ApiToken.issue(users[role], "ci")
        assert raw not in (token.digest, token.prefix) and token.digest == hash_token(raw)
        response = Client().get("/api/valuechain/sites", **bearer(raw))
        assert response.status_code == (403 if role == "norole" else 200), role
    assert Client().get("/api/valuechain/sites", **bearer("ecs_forged")).status_code == 401


def test_revoked_token_and_inactive_user_are_refused(users: Any) -> None:
    token, raw = ApiToken.issue(users["analyst"], "old")
    token.revoked = True
    token.save()
    assert Client().get("/api/valuechain/items", **bearer(raw)).status_code == 401
    _, raw2 = ApiToken.issue(users["viewer"], "x")
    users["viewer"].is_active = False
    users["viewer"].save()
    assert Client().get("/api/valuechain/items", **bearer(raw2)).status_code == 401


def test_keyset_pages_cover_all_links(users: Any, chain: Any) -> None:
    _, raw = ApiToken.issue(users["viewer"], "read")
    seen, after = [], None
    while True:
        params = {"limit": 4, **({"after": after} if after else {})}
        body = Client().get("/api/valuechain/supply-links", params, **bearer(raw)).json()
        seen.extend((x["supplier_site_id"], x["item_id"]) for x in body["items"])
        after = body["next"]
        if after is None:
            break
    assert len(seen) == 6 == len(set(seen))
    one = Client().get("/api/valuechain/organisations/SUP", **bearer(raw)).json()
    assert one["name"] == "<script>alert(1)</script>"  # JSON carries the text as data


def test_session_api_calls_need_csrf_for_writes(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["analyst"])
    assert client.get("/api/valuechain/items").status_code == 200
    assert client.post("/api/valuechain/import").status_code in (401, 403)


def test_openapi_document_lists_the_value_chain(client_for: Any) -> None:
    doc = client_for("viewer").get("/api/openapi.json").json()
    assert "/api/valuechain/supply-links" in doc["paths"]
    assert "/api/valuechain/import" in doc["paths"]
    assert any(
        "Bearer" in str(s) or "bearer" in str(s)
        for s in doc["components"]["securitySchemes"].values()
    )
