"""A campaign by e-mail against a real SMTP server (aiosmtpd): invitations in the supplier's
language with its workbook and a working upload link; reminders once each, retried on failure;
the scheduler queues the reminder job only when one is due."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from econsec.survey import mail
from econsec.survey.campaigns import find_by_token
from econsec.survey.models import Mailing, Request
from tests.governance.test_notify import _free_port, _Inbox, _subject

ADDRESSES = {"KRS": "sourcing@krs.example", "TWS": "buyer@tws.example"}


def _body(message: Any) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return str(part.get_payload(decode=True).decode(part.get_content_charset()))


def _workbook(message: Any) -> Any:
    part = next(p for p in message.walk() if p.get_filename())
    return part.get_filename(), load_workbook(BytesIO(part.get_payload(decode=True)))


def _sent(campaign: Any) -> Any:
    assert mail.set_addresses(campaign, ADDRESSES) == []
    return mail.send_invitations(campaign, base_url="https://wb.example/")


def test_invitations_carry_the_workbook_and_a_working_link_in_the_suppliers_language(
    campaign: Any, inbox: _Inbox
) -> None:
    outcome = _sent(campaign)
    assert sorted(outcome.sent) == ["KRS", "TWS"] and outcome.no_address == ["CNS"]
    assert not outcome.failed
    by_rcpt = {tuple(rcpt): m for rcpt, m in inbox.messages}
    assert set(by_rcpt) == {("sourcing@krs.example",), ("buyer@tws.example",)}
    krs, tws = by_rcpt[("sourcing@krs.example",)], by_rcpt[("buyer@tws.example",)]
    assert _subject(krs).startswith("[Mapping 2026] Supply chain questionnaire")  # en
    assert "供应链调查" in _subject(tws)  # zh: a Taiwanese supplier
    for org, message in (("KRS", krs), ("TWS", tws)):
        token = re.search(r"https://wb\.example/supplier/([\w-]+)/", _body(message))
        assert token is not None
        found = find_by_token(token.group(1))
        assert found is not None and found.org_id == org  # the link in the mail works
        name, book = _workbook(message)
        assert name == f"survey-{campaign.pk}-{org}.xlsx"
        assert book["about"]["B2"].value == org
    statuses = dict(campaign.requests.values_list("org_id", "status"))
    assert statuses == {"KRS": "sent", "TWS": "sent", "CNS": "not_sent"}
    assert Mailing.objects.filter(kind="invite", status="sent").count() == 2


def test_bad_addresses_are_refused() -> None:
    for bad in ("no-at-sign", "a@b", "x@y.example\nBcc: z@evil.example", "A <a@b.example>", ""):
        assert not mail.is_address(bad), bad
    assert mail.is_address("tanaka.k@kyoto-parts.co.jp")


def test_reminders_after_no_answer_and_before_expiry_each_sent_once(
    campaign: Any, inbox: _Inbox
) -> None:
    _sent(campaign)
    inbox.messages.clear()
    krs = campaign.requests.get(org_id="KRS")
    assert krs.sent_at is not None
    assert mail.reminders_due(krs.sent_at + dt.timedelta(days=13)) == []
    later = krs.sent_at + dt.timedelta(days=15)  # 14 days without an answer
    Request.objects.filter(org_id="TWS").update(status=Request.Status.RETURNED)
    assert [(r.org_id, k) for r, k in mail.reminders_due(later)] == [("KRS", "no_answer")]
    assert mail.remind(later) == {"sent": 1, "failed": 0}
    assert mail.remind(later) == {"sent": 0, "failed": 0}  # written once, not again
    assert [rcpt for rcpt, _ in inbox.messages] == [["sourcing@krs.example"]]
    body = _body(inbox.messages[0][1])
    assert krs.sent_at.date().isoformat() in body and "/supplier/" not in body
    near = krs.expires_at - dt.timedelta(days=6)  # within 7 days of the link's expiry
    assert mail.remind(near) == {"sent": 1, "failed": 0}
    assert krs.expires_at.date().isoformat() in _subject(inbox.messages[1][1])
    assert mail.remind(krs.expires_at + dt.timedelta(days=1)) == {"sent": 0, "failed": 0}
    assert Request.objects.get(pk=krs.pk).reminded_at == near


def test_a_failed_reminder_is_kept_and_retried(campaign: Any, inbox: _Inbox, settings: Any) -> None:
    _sent(campaign)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    later = timezone.now() + dt.timedelta(days=15)
    assert mail.remind(later) == {"sent": 0, "failed": 2}
    failed = Mailing.objects.filter(status="failed", kind="no_answer")
    assert failed.count() == 2 and all(m.error and m.next_attempt_at for m in failed)
    assert mail.remind(later + dt.timedelta(minutes=5)) == {"sent": 0, "failed": 0}  # pausing
    settings.EMAIL_PORT = port
    assert mail.remind(later + dt.timedelta(minutes=16)) == {"sent": 2, "failed": 0}
    assert set(Mailing.objects.filter(kind="no_answer").values_list("status", "attempts")) == {
        ("sent", 2)
    }


def test_the_scheduler_queues_the_reminder_job_only_when_one_is_due(
    campaign: Any, inbox: _Inbox
) -> None:
    from econsec.web.models import Job
    from econsec.web.scheduler import run_due

    def reminders(queued: list[int]) -> list[int]:
        # Other capabilities schedule their own jobs on the same poll; count only ours.
        kinds = dict(Job.objects.filter(pk__in=queued).values_list("pk", "kind"))
        return [pk for pk in queued if kinds[pk] == mail.JOB_KIND]

    _sent(campaign)
    assert reminders(run_due()) == []
    Request.objects.filter(org_id="KRS").update(sent_at=timezone.now() - dt.timedelta(days=20))
    assert len(reminders(run_due())) == 1
    assert mail.tick() == {"sent": 1, "failed": 0}
    assert reminders(run_due()) == []  # sent: nothing due any more


def test_the_campaign_page_queues_the_e_mails_and_shows_them(
    campaign: Any, inbox: _Inbox, client_for: Any
) -> None:
    from econsec.web.models import Job

    assert mail.set_addresses(campaign, ADDRESSES) == []
    client = client_for("analyst")
    response = client.post(f"/survey/{campaign.pk}/send/")
    assert response.status_code == 303
    (job,) = Job.objects.filter(kind=mail.SEND_KIND)  # only this kind: others may queue too
    assert job.params["campaign"] == campaign.pk
    assert mail.send_job(job) == {"sent": 2, "failed": 0, "no_address": 1}
    assert len(inbox.messages) == 2
    body = _body(inbox.messages[0][1])
    assert f"{job.params['base_url'].rstrip('/')}/supplier/" in body
    page = client.get(f"/survey/{campaign.pk}/").content.decode()
    assert "sourcing@krs.example" in page and page.count("依頼: 送信済") == 2
