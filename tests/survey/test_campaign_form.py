"""The new-campaign page: filters, the suppliers they pick (some unticked), addresses,
language and expiry; refused fields named; only the edit role creates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from econsec.survey.models import Campaign


def _form(**changes: Any) -> dict[str, Any]:
    expires = timezone.localdate() + dt.timedelta(days=30)
    return {"name": "Mapping 2027", "year": "2027", "tiers": "1", "tags": "", "countries": "",
            "min_spend": "0", "language": "", "expires": expires.isoformat(), **changes}  # fmt: skip


def test_preview_untick_and_create(stored: Any, client_for: Any) -> None:
    client = client_for("analyst")
    assert client.get("/survey/new/").status_code == 200
    preview = client.post("/survey/new/", _form(action="preview"))
    assert preview.status_code == 200
    body = preview.content.decode()
    for org in ("CNS", "KRS", "TWS"):  # tier 1 of the mini chain
        assert f'value="{org}" checked' in body
    created = client.post("/survey/new/", _form(
        action="create", picked="1", org=["KRS", "TWS"], language="en",
        **{"email-KRS": "sourcing@krs.example", "email-CNS": "x@cns.example"},
    ))  # fmt: skip
    assert created.status_code == 303
    campaign = Campaign.objects.get()
    assert created["Location"] == f"/survey/{campaign.pk}/"
    rows = sorted(campaign.requests.values_list("org_id", "language", "email"))
    assert rows == [("KRS", "en", "sourcing@krs.example"), ("TWS", "en", "")]
    expires = {r.expires_at.date() for r in campaign.requests.all()}
    # 30 days from now; the stored instant may fall on the next UTC date late in the day.
    assert expires <= {timezone.localdate() + dt.timedelta(days=d) for d in (29, 30, 31)}
    assert campaign.created_by == "analyst" and campaign.selection["tiers"] == [1]


def test_refused_fields_are_named_and_nothing_is_stored(stored: Any, client_for: Any) -> None:
    client = client_for("analyst")
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    bad = client.post("/survey/new/", _form(
        action="create", name="", year="1999", tiers="1,x", countries="JP,XX", min_spend="-1",
        language="fr", expires=past,
    ), HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert bad.status_code == 400
    body = bad.content.decode()
    for field in ("name", "year", "tiers", "countries", "min_spend", "language", "expires"):
        assert f'data-field="{field}"' in body, field
    assert "XX" in body and "not ISO country codes" in body
    forged = client.post("/survey/new/", _form(action="create", picked="1", org=["NOPE"]))
    assert forged.status_code == 400 and 'data-field="org"' in forged.content.decode()
    header = client.post("/survey/new/", _form(
        action="create", picked="1", org=["KRS"], **{"email-KRS": "a@b.example\nBcc: c@d.example"}
    ))  # fmt: skip
    assert header.status_code == 400 and 'data-field="email"' in header.content.decode()
    none = client.post("/survey/new/", _form(action="create", picked="1"))
    assert none.status_code == 400 and 'data-field="org"' in none.content.decode()
    assert not Campaign.objects.exists()


def test_only_the_edit_role_sees_the_button(stored: Any, client_for: Any) -> None:
    assert 'data-testid="new-campaign"' in client_for("analyst").get("/survey/").content.decode()
    assert 'data-testid="new-campaign"' not in client_for("viewer").get("/survey/").content.decode()
    assert client_for("viewer").post("/survey/new/", _form(action="create")).status_code == 403
    assert not Campaign.objects.exists()
