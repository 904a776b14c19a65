"""The notifications API: webhook receivers (secret once, audit trail, a signed test delivery
to a real HTTP receiver), the delivery log, each user's own preferences and inbox, and the
requests waiting for a decision (refusing needs a reason and restores the earlier state)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.urls import reverse

from econsec.governance import chain, disclosure, notify, risks
from econsec.governance.models import AuditEvent, Disclosure, Notification, Risk, Webhook
from tests.governance.conftest import _Hook

JSON = "application/json"


def _post(client: Any, name: str, body: Any, lang: str = "en", **kwargs: Any) -> Any:
    return client.post(reverse(f"api:{name}", kwargs=kwargs), json.dumps(body),
                        content_type=JSON, HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def _put(client: Any, name: str, body: Any, lang: str = "en", **kwargs: Any) -> Any:
    return client.put(reverse(f"api:{name}", kwargs=kwargs), json.dumps(body),
                      content_type=JSON, HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def _details(action: str) -> list[dict[str, Any]]:
    return [json.loads(e.detail) for e in AuditEvent.objects.filter(action=action)]


def test_a_webhook_secret_is_given_once_and_never_again(
    client_for: Any, users: Any, receiver: tuple[str, type[_Hook]]
) -> None:
    url, _hook_class = receiver
    admin = client_for("administrator")
    made = _post(admin, "governance_webhook_create", {"url": url, "kinds": ["kri_red"]})
    assert made.status_code == 201, made.content
    assert made["Cache-Control"] == "no-store"
    created = made.json()
    secret = created.pop("secret")
    assert len(secret) >= 40
    assert created == {"id": created["id"], "url": url, "kinds": ["kri_red"], "active": True}
    hook_id = created["id"]
    # No other answer, and no audit record, carries the secret.
    answers = [
        admin.get(reverse("api:governance_webhooks")),
        admin.get(reverse("api:governance_webhook", kwargs={"hook_id": hook_id})),
        _put(admin, "governance_webhook_change", {"active": False}, hook_id=hook_id),
        _put(
            admin, "governance_webhook_change", {"url": url + "2", "active": True}, hook_id=hook_id
        ),
        admin.get(reverse("api:governance_deliveries")),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.content
        assert secret.encode() not in answer.content
    assert all(secret not in e.detail for e in AuditEvent.objects.all())
    assert _details("webhook.added") == [{"url": url, "kinds": ["kri_red"]}]
    assert _details("webhook.changed") == [
        {"active": [True, False]},
        {"url": [url, url + "2"], "active": [False, True]},
    ]
    assert Webhook.objects.get(pk=hook_id).secret == secret  # the secret stays


def test_a_test_delivery_reaches_a_real_receiver_signed_with_the_secret(
    client_for: Any, users: Any, receiver: tuple[str, type[_Hook]]
) -> None:
    url, hook_class = receiver
    admin = client_for("administrator")
    made = _post(admin, "governance_webhook_create", {"url": url}).json()
    sent = admin.post(reverse("api:governance_webhook_test", kwargs={"hook_id": made["id"]}))
    assert sent.status_code == 200, sent.content
    outcome = sent.json()
    assert (outcome["status"], outcome["attempts"], outcome["kind"]) == ("sent", 1, "webhook_test")
    (headers, body), = hook_class.received  # fmt: skip
    # The receiver's own check: HMAC-SHA256 over "timestamp.body" with the secret it was given.
    stamp = headers["X-Econsec-Timestamp"]
    mac = hmac.new(made["secret"].encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Econsec-Signature"] == "sha256=" + mac.hexdigest()
    doc = json.loads(body)
    assert doc["kind"] == "webhook_test" and doc["params"]["by"] == "administrator"

    # A receiver that fails: the delivery stays pending with the error, visible in the log.
    hook_class.status = 500
    failed = admin.post(reverse("api:governance_webhook_test", kwargs={"hook_id": made["id"]}))
    row = failed.json()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "500" in row["last_error"] and row["next_attempt_at"]
    log = admin.get(reverse("api:governance_deliveries"), {"status": "pending"}).json()
    assert [d["id"] for d in log] == [row["id"]]
    every = admin.get(reverse("api:governance_deliveries"), {"channel": "webhook"}).json()
    assert {d["status"] for d in every} == {"sent", "pending"}
    bad = admin.get(reverse("api:governance_deliveries"), {"status": "lost"})
    assert bad.status_code == 400 and "lost" in bad.json()["detail"]

    # Removed: its pending delivery fails with the reason, and stays in the log.
    gone = admin.delete(reverse("api:governance_webhook_delete", kwargs={"hook_id": made["id"]}))
    assert gone.status_code == 204
    assert Notification.objects.get(pk=row["id"]).last_error == "webhook removed"
    assert admin.get(reverse("api:governance_webhook", kwargs={"hook_id": made["id"]})).status_code == 404  # fmt: skip
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["webhook.added",
                                                                       "webhook.removed"]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "ja", "en"),
    [
        ({"url": "ftp://example.jp/x"}, "ftp://example.jp/x", "cannot be used"),
        ({"url": "https://example.jp/x", "kinds": ["nope"]}, "nope", "no notification kind"),
        ({"url": "https://example.jp/x", "kinds": "kri_red"}, "kinds", "kinds: must be an array"),
        ({"kinds": []}, "url：必須です", "url: is required"),
    ],
)
def test_a_bad_webhook_is_refused_located_and_nothing_stored(
    client_for: Any, users: Any, body: dict[str, Any], ja: str, en: str
) -> None:
    admin = client_for("administrator")
    for lang, wanted in (("ja", ja), ("en", en)):
        answer = _post(admin, "governance_webhook_create", body, lang)
        assert answer.status_code == 400 and wanted in answer.json()["detail"], answer.content
    assert not Webhook.objects.exists() and not AuditEvent.objects.exists()


def test_changing_nothing_is_refused(client_for: Any, users: Any) -> None:
    admin = client_for("administrator")
    made = _post(admin, "governance_webhook_create", {"url": "https://example.jp/h"}).json()
    answer = _put(admin, "governance_webhook_change", {}, "ja", hook_id=made["id"])
    assert answer.status_code == 400 and "変更する項目がありません" in answer.json()["detail"]
    same = _put(admin, "governance_webhook_change", {"active": True}, hook_id=made["id"])
    assert same.status_code == 200 and not AuditEvent.objects.filter(action="webhook.changed")


def test_each_user_sees_and_sets_only_their_own_preferences(client_for: Any, users: Any) -> None:
    viewer, analyst = client_for("viewer"), client_for("analyst")
    url = reverse("api:governance_preferences")
    assert viewer.get(url).json() == {"email": "", "by_email": False, "digest": False,
                                      "language": "ja"}  # fmt: skip
    wanted = {"email": "v@example.jp", "by_email": True, "digest": True, "language": "en"}
    saved = _put(viewer, "governance_preferences_change", wanted)
    assert saved.status_code == 200 and saved.json() == wanted
    assert viewer.get(url).json() == wanted
    assert analyst.get(url).json()["email"] == ""
    for lang, text in (("ja", "メールアドレスが必要"), ("en", "an e-mail address is needed")):
        refused = _put(analyst, "governance_preferences_change", {"by_email": True}, lang)
        assert refused.status_code == 400 and text in refused.json()["detail"]
    refused = _put(analyst, "governance_preferences_change", {"language": "de"})
    assert refused.status_code == 400 and "'de'" in refused.json()["detail"]
    assert analyst.get(url).json()["language"] == "ja"


def test_each_user_reads_and_marks_only_their_own_notifications(
    client_for: Any, users: Any
) -> None:
    params = {"key": "k", "value": "9", "name": {"ja": "指標", "en": "indicator"}}
    notify.raise_event("kri_red", params, recipients=["viewer", "analyst"], dedupe="r1")
    viewer, analyst = client_for("viewer"), client_for("analyst")
    url = reverse("api:governance_notifications")
    mine = viewer.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(mine) == 1
    assert mine[0]["subject"] == "[econsec] Indicator turned red: indicator"
    assert mine[0]["kind_label"] == "indicator turned red" and mine[0]["read_at"] is None
    theirs = analyst.get(url).json()[0]["id"]
    assert theirs != mine[0]["id"]
    # Another user's notification is not found, and stays unread.
    other = viewer.post(reverse("api:governance_notification_read",
                                kwargs={"notification_id": theirs}))  # fmt: skip
    assert other.status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None
    read = viewer.post(reverse("api:governance_notification_read",
                               kwargs={"notification_id": mine[0]["id"]}))  # fmt: skip
    assert read.status_code == 200 and read.json()["read_at"]
    assert viewer.get(url, {"unread": "true"}).json() == []
    assert len(analyst.get(url, {"unread": "true"}).json()) == 1


def _requested(code: str, treatment: str = "avoid") -> Risk:
    risk = risks.create(code, actor="analyst", title_ja="受容候補", title_en="to accept",
                        entered_impact=1e8, treatment=treatment)  # fmt: skip
    return risks.request_acceptance(risk, actor="analyst", reason="cost exceeds benefit")


def test_refusing_a_risk_acceptance_needs_a_reason_and_restores_the_treatment(
    client_for: Any, users: Any
) -> None:
    _requested("R-A")
    analyst, admin = client_for("analyst"), client_for("administrator")
    listed = analyst.get(reverse("api:governance_requests"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert [(r["ref"], r["kind"], r["requested_by"], r["reason"], r["may_decide"])
            for r in listed] == [("risk:R-A", "risk_acceptance", "analyst",
                                  "cost exceeds benefit", False)]  # fmt: skip
    assert listed[0]["what"] == "accepting the risk R-A 'to accept'"
    assert admin.get(reverse("api:governance_requests")).json()[0]["may_decide"] is True
    # An analyst may not decide; an administrator may not refuse without a reason.
    refused = _post(analyst, "governance_request_decide", {"ref": "risk:R-A", "decision": "refuse",
                                                           "reason": "no"})  # fmt: skip
    assert refused.status_code == 403 and "cannot decide" in refused.json()["detail"]
    for lang, text in (("ja", "理由が必要"), ("en", "a reason is required")):
        bare = _post(admin, "governance_request_decide", {"ref": "risk:R-A", "decision": "refuse",
                                                          "reason": "  "}, lang)  # fmt: skip
        assert bare.status_code == 400 and text in bare.json()["detail"]
    risk = Risk.objects.get(code="R-A")
    assert (risk.treatment, risk.acceptance_requested_by) == ("accept", "analyst")
    events = AuditEvent.objects.count()

    done = _post(admin, "governance_request_decide",
                 {"ref": "risk:R-A", "decision": "refuse", "reason": "mitigation is cheap"})  # fmt: skip
    assert done.status_code == 200, done.content
    risk.refresh_from_db()
    assert (risk.treatment, risk.acceptance_requested_by, risk.accepted_by) == ("avoid", "", "")
    (event,) = AuditEvent.objects.filter(seq__gt=events)
    assert (event.action, event.actor, event.reason) == (
        "risk.acceptance_refused", "administrator", "mitigation is cheap")  # fmt: skip
    assert json.loads(event.detail) == {"treatment": ["accept", "avoid"]}
    assert analyst.get(reverse("api:governance_requests")).json() == []
    told = Notification.objects.get(recipient="analyst", kind="request_decided", channel="inbox")
    assert notify.text(told, "en")[1] == (
        "administrator refused your request about accepting the risk R-A 'to accept' "
        "(risk:R-A). Reason: mitigation is cheap"
    )
    gone = _post(admin, "governance_request_decide", {"ref": "risk:R-A", "decision": "approve",
                                                      "reason": "x"})  # fmt: skip
    assert gone.status_code == 404
    assert chain.verify().ok


def test_asked_twice_a_refusal_restores_the_treatment_before_the_first_request(
    client_for: Any, users: Any
) -> None:
    risk = _requested("R-B", treatment="transfer")
    risks.request_acceptance(risk, actor="analyst", reason="asked again")
    _post(client_for("administrator"), "governance_request_decide",
          {"ref": "risk:R-B", "decision": "refuse", "reason": "no"})  # fmt: skip
    assert Risk.objects.get(code="R-B").treatment == "transfer"


def test_approving_goes_through_the_objects_own_approval(
    client_for: Any, users: Any, settings: Any
) -> None:
    _requested("R-C")
    record = disclosure.save("securities", actor="analyst", text_ja="本文", text_en="text")
    disclosure.request_approval(record, actor="analyst")
    settings.ECONSEC_RISK_APPROVER = "analyst"  # approves risks, not disclosures
    approver = client_for("analyst")
    ref = f"disclosure:securities:{record.version}"
    listed = {r["ref"]: r["may_decide"]
              for r in approver.get(reverse("api:governance_requests")).json()}  # fmt: skip
    assert listed == {"risk:R-C": True, ref: False}
    answer = _post(approver, "governance_request_decide",
                   {"ref": ref, "decision": "approve"})  # fmt: skip
    assert answer.status_code == 403
    # A risk's acceptance is approved with a reason, as on the risk's page.
    no_reason = _post(approver, "governance_request_decide",
                      {"ref": "risk:R-C", "decision": "approve"})  # fmt: skip
    assert no_reason.status_code == 400
    ok = _post(approver, "governance_request_decide",
               {"ref": "risk:R-C", "decision": "approve", "reason": "within appetite"})  # fmt: skip
    assert ok.status_code == 200
    risk = Risk.objects.get(code="R-C")
    assert (risk.treatment, risk.accepted_by) == ("accept", "analyst")
    # The administrator refuses the disclosure: back to a draft, with the reason kept.
    admin = client_for("administrator")
    refused = _post(admin, "governance_request_decide",
                    {"ref": ref, "decision": "refuse", "reason": "numbers are stale"})  # fmt: skip
    assert refused.status_code == 200
    assert Disclosure.objects.get(pk=record.pk).status == "draft"
    assert AuditEvent.objects.get(action="disclosure.approval_refused").reason == (
        "numbers are stale")  # fmt: skip
    disclosure.request_approval(Disclosure.objects.get(pk=record.pk), actor="analyst")
    approved = _post(admin, "governance_request_decide", {"ref": ref, "decision": "approve"})
    assert approved.status_code == 200
    assert Disclosure.objects.get(pk=record.pk).status == "approved"
    decided = Notification.objects.filter(recipient="analyst", kind="request_decided",
                                          channel="inbox")  # fmt: skip
    assert decided.count() == 3
    assert chain.verify().ok


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"ref": "risk:NOPE", "decision": "refuse", "reason": "x"}, 404, "risk:NOPE"),
        ({"ref": "risk:R-D", "decision": "maybe", "reason": "x"}, 400, "maybe"),
        (
            {"ref": "disclosure:securities:x", "decision": "refuse", "reason": "x"},
            404,
            "disclosure:securities:x",
        ),
        ({"decision": "refuse"}, 400, "ref: is required"),
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(
    client_for: Any, users: Any, body: dict[str, Any], status: int, text: str
) -> None:
    _requested("R-D")
    events = AuditEvent.objects.count()
    answer = _post(client_for("administrator"), "governance_request_decide", body)
    assert answer.status_code == status and text in answer.json()["detail"], answer.content
    assert AuditEvent.objects.count() == events
    assert Risk.objects.get(code="R-D").acceptance_requested_by == "analyst"


def test_an_unknown_delivery_filter_is_refused_by_name_in_both_languages(
    client_for: Any, users: Any
) -> None:
    admin = client_for("administrator")
    url = reverse("api:governance_deliveries")
    for query, lang, text in (("?status=lost", "ja", "絞り込み「status」に「lost」は使えません"),
                              ("?channel=fax", "en", "the filter 'channel' cannot be 'fax'")):  # fmt: skip
        answer = admin.get(url + query, HTTP_ACCEPT_LANGUAGE=lang)
        assert answer.status_code == 400 and text in answer.json()["detail"], answer.content
    assert admin.get(url + "?status=sent&channel=webhook").status_code == 200
