"""Governance pages and API as each role uses them: register, acceptance, actions whose
completion moves the residual rating, indicators with reasons, inbox, audit status, drafts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.urls import reverse

from econsec.governance.models import Action, Disclosure, Notification, Risk


def _risk(client: Any) -> Risk:
    response = client.post(reverse("web:governance_risk_new"), {
        "code": "R-W", "title_ja": "港湾の停止", "title_en": "Port stoppage", "owner": "analyst",
        "area": "1-2", "likelihood": "4", "entered_impact": "2,000,000,000", "treatment": "mitigate",
    })  # fmt: skip
    assert response.status_code == 303, response.content[:500]
    return Risk.objects.get(code="R-W")


def test_register_action_and_residual_rating_through_the_pages(client_for: Any, users: Any) -> None:
    analyst = client_for("analyst")
    risk = _risk(analyst)
    assert risk.entered_impact == 2e9
    page = analyst.get(reverse("web:governance_risk", args=["R-W"]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Port stoppage" in page.content and b"4 \xc3\x97 4 = 16" in page.content
    response = analyst.post(reverse("web:governance_action_new"), {
        "title_ja": "代替港の確保", "title_en": "Secure a second port", "owner": "analyst",
        "due": (dt.date.today() + dt.timedelta(days=30)).isoformat(), "risk": "R-W",
        "target_likelihood": "2",
    })  # fmt: skip
    assert response.status_code == 303
    action = Action.objects.get()
    # The owner finds it in the inbox.
    inbox = analyst.get(reverse("web:governance_inbox"))
    assert "代替港の確保".encode() in inbox.content
    done = analyst.post(reverse("web:governance_action_change", args=[action.pk]),
                        {"status": "done", "evidence": "contract signed"})  # fmt: skip
    assert done.status_code == 303
    risk.refresh_from_db()
    assert risk.residual_likelihood == 2
    page = analyst.get(reverse("web:governance_risk", args=["R-W"]))
    assert page.context["r"].residual == 8
    assert b"risk.changed" in page.content and b"action.changed" in page.content


def test_form_errors_are_named_in_the_readers_language(client_for: Any, users: Any) -> None:
    analyst = client_for("analyst")
    bad = {"code": "R-X", "title_ja": "x", "title_en": "x", "likelihood": "9"}
    response = analyst.post(reverse("web:governance_risk_new"), bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b"&#x27;likelihood&#x27; cannot be 9" in response.content
    assert not Risk.objects.exists()


def test_only_an_administrator_accepts_and_approves(client_for: Any, users: Any) -> None:
    _risk(client_for("analyst"))
    url = reverse("web:governance_risk_accept", args=["R-W"])
    assert client_for("analyst").post(url, {"reason": "cheap"}).status_code == 403
    assert client_for("administrator").post(url, {"reason": "cheap"}).status_code == 303
    risk = Risk.objects.get(code="R-W")
    assert (risk.treatment, risk.accepted_by) == ("accept", "administrator")
    saved = client_for("analyst").post(reverse("web:governance_disclosure_save"),
                                       {"kind": "integrated"})  # fmt: skip
    assert saved.status_code == 303
    record = Disclosure.objects.get()
    assert "R-W" in record.text_ja and "Port stoppage" in record.text_en
    approve = reverse("web:governance_disclosure_approve", args=[record.pk])
    assert client_for("analyst").post(approve).status_code == 403
    assert client_for("administrator").post(approve).status_code == 303


def test_indicators_page_shows_colours_and_reasons(client_for: Any, users: Any) -> None:
    analyst = client_for("analyst")
    Action.objects.create(title_ja="遅れ", title_en="late one", owner="viewer",
                          due=dt.date.today() - dt.timedelta(days=3))  # fmt: skip
    assert analyst.post(reverse("web:governance_kri_compute")).status_code == 303
    page = client_for("viewer").get(reverse("web:governance_kris"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Overdue actions" in text and "late one" in text and "kri-amber" in text


def test_audit_page_and_api(client_for: Any, users: Any) -> None:
    _risk(client_for("analyst"))
    page = client_for("auditor").get(reverse("web:governance_audit"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"The audit trail is intact" in page.content
    api = client_for("auditor").get(reverse("api:governance_audit_verify"))
    assert api.json()["ok"] is True and api.json()["count"] >= 1


def test_api_creates_and_lists(client_for: Any, users: Any) -> None:
    analyst = client_for("analyst")
    created = analyst.post(reverse("api:governance_risk_create"), json.dumps({
        "code": "R-A", "title_ja": "あ", "title_en": "a", "entered_impact": 5e7, "likelihood": 2,
    }), content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and created.json()["inherent"] == 2 * 2
    action = analyst.post(reverse("api:governance_action_create"), json.dumps({
        "title_ja": "い", "title_en": "b", "owner": "viewer", "due": "2020-01-01", "risk": "R-A",
    }), content_type="application/json")  # fmt: skip
    assert action.status_code == 201 and action.json()["overdue"] is True
    listed = client_for("viewer").get(reverse("api:governance_actions") + "?status=overdue")
    assert [a["risk"] for a in listed.json()] == ["R-A"]
    bad = analyst.post(reverse("api:governance_action_change", args=[action.json()["id"]]),
                       json.dumps({"status": "finished"}), content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert bad.status_code == 400 and "finished" in bad.json()["detail"]
    assert Notification.objects.filter(recipient="viewer", kind="action_assigned").count() == 1
