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


def _decide(client: Any, ref: str, decision: str, reason: str = "", lang: str = "ja") -> Any:
    return client.post(reverse("web:governance_request_decide"),
                       {"ref": ref, "decision": decision, "reason": reason},
                       HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def test_a_risk_acceptance_is_decided_on_the_risks_page(
    client_for: Any, users: Any, settings: Any
) -> None:
    """The administrator sees the request in the inbox and on the risk's page, refuses it with
    a reason (the treatment before the request comes back, the requester is told); asked again,
    the configured approver approves it there."""
    analyst, admin = client_for("analyst"), client_for("administrator")
    _risk(analyst)
    url = reverse("web:governance_risk", args=["R-W"])
    asked = analyst.post(reverse("web:governance_risk_request_acceptance", args=["R-W"]),
                         {"reason": "cost exceeds benefit"})  # fmt: skip
    assert asked.status_code == 303
    assert 'data-testid="decide"' not in analyst.get(url).content.decode()
    inbox = admin.get(reverse("web:governance_inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for your decision" in inbox and "accepting the risk R-W" in inbox
    assert f'href="{url}"' in inbox
    page = admin.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="decide"' in page and 'value="refuse"' in page
    # Not the analyst's to decide; not without a reason.
    assert _decide(analyst, "risk:R-W", "refuse", "no").status_code == 403
    for lang, text in (("ja", "理由が必要"), ("en", "a reason is required")):
        bare = _decide(admin, "risk:R-W", "refuse", " ", lang)
        assert bare.status_code == 400 and text in bare.content.decode()
    assert Risk.objects.get(code="R-W").treatment == "accept"
    done = _decide(admin, "risk:R-W", "refuse", "mitigation is cheap")
    assert done.status_code == 303 and done["Location"] == url
    risk = Risk.objects.get(code="R-W")
    assert (risk.treatment, risk.acceptance_requested_by) == ("mitigate", "")
    told = Notification.objects.get(recipient="analyst", kind="request_decided")
    assert "mitigation is cheap" in json.dumps(told.params, ensure_ascii=False)
    assert (
        "Waiting for your decision"
        not in admin.get(
            reverse("web:governance_inbox"), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    )
    # Asked again, the configured approver (an analyst) decides it on the page.
    analyst.post(reverse("web:governance_risk_request_acceptance", args=["R-W"]),
                 {"reason": "again"})  # fmt: skip
    settings.ECONSEC_RISK_APPROVER = "analyst"
    assert 'data-testid="decide"' in analyst.get(url).content.decode()
    assert _decide(analyst, "risk:R-W", "approve", "within appetite").status_code == 303
    risk.refresh_from_db()
    assert (risk.treatment, risk.accepted_by) == ("accept", "analyst")
    # Nothing waits any more: deciding again is "not found", shown on the page.
    gone = _decide(admin, "risk:R-W", "approve", "x", "en")
    assert gone.status_code == 404 and "there is no request" in gone.content.decode()


def test_a_disclosure_approval_is_decided_on_the_disclosure_page(
    client_for: Any, users: Any
) -> None:
    analyst, admin = client_for("analyst"), client_for("administrator")
    assert analyst.post(reverse("web:governance_disclosure_save"),
                        {"kind": "integrated"}).status_code == 303  # fmt: skip
    record = Disclosure.objects.get()
    asked = analyst.post(reverse("web:governance_disclosure_request", args=[record.pk]))
    assert asked.status_code == 303
    ref = f"disclosure:integrated:{record.version}"
    page = admin.get(reverse("web:governance_disclosure")).content.decode()
    assert f'value="{ref}"' in page and 'data-testid="decide-refuse"' in page
    assert (
        'data-testid="decide"'
        not in analyst.get(reverse("web:governance_disclosure")).content.decode()
    )
    assert _decide(analyst, ref, "approve").status_code == 403
    bare = _decide(admin, ref, "refuse", "", "en")
    assert bare.status_code == 400 and "a reason is required" in bare.content.decode()
    assert _decide(admin, ref, "refuse", "numbers are stale").status_code == 303
    assert Disclosure.objects.get(pk=record.pk).status == "draft"
    analyst.post(reverse("web:governance_disclosure_request", args=[record.pk]))
    assert _decide(admin, ref, "approve").status_code == 303
    assert Disclosure.objects.get(pk=record.pk).status == "approved"
    assert _decide(admin, "elsewhere:1", "approve").status_code == 404
