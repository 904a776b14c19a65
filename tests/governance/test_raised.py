"""Notifications other capabilities raise: a new screening hit and a sign-off requested (an
assessment handed in for review, a disclosure draft sent for approval), delivered to a real
SMTP server and a real HTTP receiver."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction

from econsec.governance import disclosure, notify
from econsec.governance.errors import GovernanceError
from econsec.governance.models import AuditEvent, Notification, Preference, Webhook
from tests.governance.conftest import _Hook, _Inbox

ROOT = Path(__file__).resolve().parents[2]
SCREENING = ROOT / "tests" / "screening" / "fixtures"


def _people() -> None:
    for name, role in (("kimura", "analyst"), ("sato", "administrator"), ("ito", "viewer"),
                       ("suzuki", "analyst")):  # fmt: skip
        User.objects.create_user(name).groups.add(Group.objects.get_or_create(name=role)[0])


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _inbox(kind: str) -> dict[str, Notification]:
    return {n.recipient: n for n in Notification.objects.filter(kind=kind, channel="inbox")}


def _screen() -> Any:
    from econsec.screening import service
    from econsec.screening.loaders import load_list
    from econsec.valuechain.models import Organisation

    service.store_list(
        load_list(SCREENING / "ofac_v1", list_name="sdn"), actor="tanaka", source_name="v1"
    )
    Organisation.objects.create(
        org_id="S1", name="三菱重工業株式会社", kind="supplier", country="JP"
    )
    subjects, owners = service.value_chain_subjects()
    return service.screen_subjects(subjects, actor="tanaka", owners=owners)


def test_a_new_screening_hit_tells_the_reviewers_by_inbox_email_and_webhook(
    db: None, smtp: _Inbox, receiver: tuple[str, type[_Hook]]
) -> None:
    from econsec.screening.models import Hit

    _people()
    Preference.objects.create(username="kimura", email="kimura@example.jp", by_email=True,
                              language="en")  # fmt: skip
    url, handler = receiver
    Webhook.objects.create(url=url, secret="k3y", kinds=["screening_hit"])
    _screen()
    hits = list(Hit.objects.all())
    assert hits, "the fixture list must match the supplier"
    inbox = Notification.objects.filter(kind="screening_hit", channel="inbox")
    # Analysts and administrators review hits; the viewer is not asked.
    assert {n.recipient for n in inbox} == {"kimura", "sato", "suzuki"}
    assert sorted({n.params["hit"] for n in inbox}) == sorted(h.pk for h in hits)
    hit = Hit.objects.get(subject_ref="org:S1", entity_id="101")
    mine = inbox.get(recipient="kimura", params__hit=hit.pk)
    assert mine.params["subject"] == "三菱重工業株式会社" and mine.params["list"] == "sdn"

    delivered = notify.deliver("w1")
    assert delivered.failed == delivered.retried == 0
    assert delivered.sent == len(hits) * 2  # one e-mail (kimura) and one webhook call per hit
    subjects = [_subject(m) for _, m in smtp.messages]
    assert f"[econsec] New screening hit: {hit.subject_name}" in subjects
    bodies = [json.loads(body) for _, body in handler.received]
    assert {b["params"]["hit"] for b in bodies} == {h.pk for h in hits}
    headers, body = handler.received[0]
    stamp = headers["X-Econsec-Timestamp"]
    mac = hmac.new(b"k3y", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Econsec-Signature"] == "sha256=" + mac

    # Screening again finds the same hits: nothing new is raised.
    from econsec.screening import service

    before = Notification.objects.count()
    subjects_again, owners = service.value_chain_subjects()
    service.screen_subjects(subjects_again, actor="tanaka", owners=owners, delta=False)
    assert Notification.objects.count() == before


def test_a_rolled_back_screening_raises_nothing(db: None) -> None:
    _people()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _screen()
        assert Notification.objects.filter(kind="screening_hit").exists()
        raise Abort
    assert not Notification.objects.filter(kind="screening_hit").exists()


def test_an_assessment_submitted_for_sign_off_asks_those_who_may_sign(
    db: None, smtp: _Inbox
) -> None:
    from econsec.guideline import campaigns

    _people()
    Preference.objects.create(username="sato", email="sato@example.jp", by_email=True)
    campaigns.sync_builtin_frameworks()
    framework = campaigns.StoredFramework.objects.order_by("pk").first()
    assert framework is not None
    c = campaigns.create_campaign(
        framework.framework_id, "FY2026 自己評価", dt.date(2026, 4, 1), ["suzuki"], actor="kimura"
    )
    campaigns.submit_for_review(c, actor="kimura")
    asked = _inbox("signoff_requested")
    # suzuki is the assessor and kimura submitted it: separation of duties leaves sato.
    assert set(asked) == {"sato"}
    subject, body = notify.text(asked["sato"], "en")
    assert subject == "[econsec] Sign-off requested: the self-assessment 'FY2026 自己評価'"
    assert "kimura asks you to sign off" in body and f"campaign:{c.pk}" in body
    assert notify.deliver("w1").sent == 1
    (rcpt, message), = smtp.messages  # fmt: skip
    assert rcpt == ["sato@example.jp"]
    assert _subject(message) == "[econsec] 承認の依頼:自己評価「FY2026 自己評価」"

    # Returned and handed in again: a second request, not swallowed by the first one's key.
    campaigns.review(c, "sato", approve=False, comment="根拠不足")
    campaigns.submit_for_review(c, actor="kimura")
    assert Notification.objects.filter(kind="signoff_requested", channel="inbox").count() == 2


def test_a_disclosure_draft_sent_for_approval_asks_the_administrators(
    db: None, receiver: tuple[str, type[_Hook]], client: Any
) -> None:
    _people()
    url, handler = receiver
    Webhook.objects.create(url=url, secret="s", kinds=[])  # every kind
    record = disclosure.save("securities", actor="kimura", text_ja="本文", text_en="text")
    client.force_login(User.objects.get(username="kimura"))
    page = client.get("/governance/disclosure/")
    assert b'data-testid="request-approval"' in page.content
    answer = client.post(f"/governance/disclosure/{record.pk}/request/")
    assert answer.status_code == 303
    record.refresh_from_db()
    assert record.status == "requested"
    assert set(_inbox("signoff_requested")) == {"sato"}
    ref = f"disclosure:securities:{record.version}"
    assert AuditEvent.objects.filter(action="disclosure.approval_requested", object_ref=ref)
    assert notify.deliver("w1").sent == 1
    doc = json.loads(handler.received[0][1])
    assert doc["kind"] == "signoff_requested" and doc["params"]["ref"] == ref
    assert doc["text"]["ja"]["subject"] == (
        "[econsec] 承認の依頼:開示文案「有価証券報告書「事業等のリスク」(経済安全保障)」第 1 版"
    )

    # A viewer may not ask; an approved version cannot be asked for again (located, 409).
    client.force_login(User.objects.get(username="ito"))
    assert client.post(f"/governance/disclosure/{record.pk}/request/").status_code == 403
    disclosure.approve(record, approver="sato", is_administrator=True)
    client.force_login(User.objects.get(username="kimura"))
    again = client.post(f"/governance/disclosure/{record.pk}/request/")
    assert again.status_code == 409
    assert "第 1 版はすでに承認されています" in again.content.decode()


def test_asking_to_accept_a_risk_asks_the_approvers_and_shows_in_the_board_report(
    db: None, smtp: _Inbox, client: Any, settings: Any
) -> None:
    from econsec.governance import risks
    from econsec.governance.models import Risk
    from econsec.reports.gather import pending_acceptances

    _people()
    settings.ECONSEC_RISK_APPROVER = "ito"
    Preference.objects.create(username="sato", email="sato@example.jp", by_email=True,
                              language="en")  # fmt: skip
    risks.create("R-Q", actor="kimura", title_ja="為替", title_en="FX", entered_impact=5e7)
    client.force_login(User.objects.get(username="kimura"))
    url = "/governance/risks/R-Q/request-acceptance/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "影響が小さく対策費が上回る"}).status_code == 303
    risk = Risk.objects.get(code="R-Q")
    assert (risk.treatment, risk.acceptance_requested_by, risk.accepted_by) == (
        "accept", "kimura", "",
    )  # fmt: skip
    # The administrators and the configured approver are asked; the board report lists it.
    assert set(_inbox("signoff_requested")) == {"sato", "ito"}
    assert [p.code for p in pending_acceptances()] == ["R-Q"]
    assert notify.deliver("w1").sent == 1
    assert (
        _subject(smtp.messages[0][1]) == "[econsec] Sign-off requested: accepting the risk R-Q 'FX'"
    )
    page = client.get("/governance/risks/R-Q/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"acceptance awaiting approval (asked by kimura)" in page.content
    assert b'data-testid="request-acceptance"' not in page.content  # asked already

    risks.accept(risk, approver="sato", is_administrator=True, reason="承認")
    assert pending_acceptances() == []
    events = AuditEvent.objects.filter(object_ref="risk:R-Q").values_list("action", flat=True)
    assert list(events) == ["risk.created", "risk.acceptance_requested", "risk.accepted"]
    # Once approved it cannot be asked again; leaving the treatment ends the acceptance.
    with pytest.raises(GovernanceError, match="already_accepted"):
        risks.request_acceptance(risk, actor="kimura", reason="again")
    risks.change(risk, actor="kimura", treatment="mitigate", reason="対策に切替")
    risk.refresh_from_db()
    assert (risk.accepted_by, risk.acceptance_requested_by, risk.accepted_at) == ("", "", None)
