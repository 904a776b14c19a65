"""A campaign by e-mail: each supplier's invitation (workbook attached, upload link) and reminders.

Mail goes through Django's mail backend (SMTP as configured: ``ECONSEC_SMTP_*``), in the
supplier's language (ja, en, zh). Upload tokens are kept only as hashes, so a reminder cannot
repeat the link: it points to the invitation's date instead, and the link stays valid (issuing a
new one would end the link the supplier already has).

Reminders: one when no valid answer came ``ECONSEC_SURVEY_REMIND_AFTER_DAYS`` (14) after the
invitation, one ``ECONSEC_SURVEY_REMIND_BEFORE_DAYS`` (7) before the link expires; never both at
once. The job worker's scheduler queues a ``survey.remind`` job when one is due (governance's
tick pattern). Two runs at once are harmless: each e-mail is claimed by writing its
:class:`~econsec.survey.models.Mailing` row, whose ``dedupe`` key is unique. A failed reminder is
tried again after 15 minutes, doubling, at most 6 times, and stays visible with its error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from econsec.survey.campaigns import brief, issue_tokens, load_chain
from econsec.survey.models import Campaign, Mailing, Request
from econsec.survey.questionnaire import fill
from econsec.survey.text import tr

JOB_KIND = "survey.remind"
MAX_ATTEMPTS = 6
SEND_TIMEOUT = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN = (Request.Status.SENT, Request.Status.ERRORS)  # no valid answer yet
_ADDRESS = re.compile(r"[^@\s<>,;\"']{1,64}@[^@\s<>,;\"'.]+(\.[^@\s<>,;\"'.]+)+")


def _days(name: str, default: float) -> dt.timedelta:
    value = getattr(settings, name, None) or os.environ.get(name)
    return dt.timedelta(days=float(value) if value else default)


def remind_after() -> dt.timedelta:
    return _days("ECONSEC_SURVEY_REMIND_AFTER_DAYS", 14)


def remind_before() -> dt.timedelta:
    return _days("ECONSEC_SURVEY_REMIND_BEFORE_DAYS", 7)


def is_address(text: str) -> bool:
    """A plain e-mail address (no display name, no header-breaking characters)."""
    return len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def set_addresses(campaign: Campaign, addresses: dict[str, str]) -> list[str]:
    """Store each supplier's address; the org ids or addresses refused (unknown or malformed)."""
    refused = []
    known = {r.org_id: r for r in campaign.requests.filter(org_id__in=list(addresses))}
    for org, address in addresses.items():
        address = address.strip()
        if org not in known or not is_address(address):
            refused.append(f"{org}={address}")
            continue
        known[org].email = address
        known[org].save(update_fields=["email"])
    return refused


def _line(text: str) -> str:
    return " ".join(str(text).split())  # no line breaks in a subject


def invitation(request: Request, link: str) -> tuple[str, str]:
    lang, c = request.language, request.campaign
    params = {"campaign": _line(c.name), "supplier": _line(request.org_name), "link": link,
              "due": request.expires_at.date().isoformat()}  # fmt: skip
    return tr("survey.mail.invite.subject", lang, **params), tr("survey.mail.invite.body", lang,
                                                                 **params)  # fmt: skip


def reminder(request: Request, kind: str) -> tuple[str, str]:
    lang, c = request.language, request.campaign
    params = {"campaign": _line(c.name), "supplier": _line(request.org_name),
              "due": request.expires_at.date().isoformat(),
              "sent": request.sent_at.date().isoformat() if request.sent_at else "-"}  # fmt: skip
    return (tr(f"survey.mail.{kind}.subject", lang, **params),
            tr(f"survey.mail.{kind}.body", lang, **params))  # fmt: skip


def _sender() -> str:
    return str(getattr(settings, "DEFAULT_FROM_EMAIL", "econsec@localhost"))


@dataclass
class Sent:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # org id → error
    no_address: list[str] = field(default_factory=list)


def send_invitations(
    campaign: Campaign,
    *,
    base_url: str,
    org_ids: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Sent:
    """E-mail each supplier not yet sent to (or those named) its workbook and a new upload link.

    A supplier whose invitation fails stays "not sent" (the failure is kept and shown); sending
    again tries it with a new link.
    """
    from econsec.survey.sending import earlier_answers, upload_path

    now = now or timezone.now()
    out = Sent()
    requests = campaign.requests.select_related("campaign")
    if org_ids is None:
        requests = requests.filter(status=Request.Status.NOT_SENT)
    else:
        requests = requests.filter(org_id__in=org_ids)
    chain, earlier = load_chain(), earlier_answers(campaign)
    connection = get_connection(timeout=SEND_TIMEOUT)
    root = base_url.rstrip("/")
    for request in requests:
        if not request.email:
            out.no_address.append(request.org_id)
            continue
        token = issue_tokens(campaign, [request.org_id])[request.org_id]
        request.refresh_from_db(fields=["token_sha256", "expires_at"])
        made = brief(request, chain, earlier.get(request.org_id))
        subject, body = invitation(request, root + upload_path(token))
        mailing = Mailing.objects.create(
            request=request, kind=Mailing.Kind.INVITE, address=request.email, created_at=now,
            dedupe=f"invite:{request.pk}:{request.token_sha256[:20]}",
        )  # fmt: skip
        message = EmailMessage(subject, body, _sender(), [request.email], connection=connection)
        message.attach(made.file_name(), fill(made), XLSX)
        try:
            message.send()
        except Exception as exc:  # SMTP, socket and backend errors alike: kept, shown
            _failed(mailing, exc, now, retry=False)
            out.failed[request.org_id] = str(exc)
            continue
        Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENT, sent_at=now)
        status = (
            Request.Status.SENT if request.status == Request.Status.NOT_SENT else request.status
        )
        Request.objects.filter(pk=request.pk).update(status=status, sent_at=now)
        out.sent.append(request.org_id)
    return out


def _failed(mailing: Mailing, exc: Exception, now: dt.datetime, *, retry: bool) -> None:
    pause = dt.timedelta(minutes=15 * 2 ** (mailing.attempts - 1))
    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
        next_attempt_at=now + pause if retry and mailing.attempts < MAX_ATTEMPTS else None,
    )  # fmt: skip


# ---- reminders ------------------------------------------------------------------------------


def _rule(request: Request, now: dt.datetime) -> str | None:
    if request.expires_at <= now or request.sent_at is None:
        return None
    if now >= request.expires_at - remind_before():
        return Mailing.Kind.EXPIRY
    if now >= request.sent_at + remind_after():
        return Mailing.Kind.NO_ANSWER
    return None


def _dedupe(request: Request, kind: str) -> str:
    assert request.sent_at is not None
    when = request.sent_at if kind == Mailing.Kind.NO_ANSWER else request.expires_at
    return f"{kind}:{request.pk}:{when.isoformat()}"


def reminders_due(now: dt.datetime | None = None) -> list[tuple[Request, str]]:
    """The requests a reminder is due for now, with its kind (none already written)."""
    now = now or timezone.now()
    found = []
    for request in (
        Request.objects.select_related("campaign")
        .filter(status__in=OPEN, sent_at__isnull=False, expires_at__gt=now)
        .exclude(email="")
        .filter(Q(sent_at__lte=now - remind_after()) | Q(expires_at__lte=now + remind_before()))
    ):
        kind = _rule(request, now)
        if kind is not None:
            found.append((request, kind))
    written = set(
        Mailing.objects.filter(dedupe__in=[_dedupe(r, k) for r, k in found]).values_list(
            "dedupe", flat=True
        )
    )
    return [(r, k) for r, k in found if _dedupe(r, k) not in written]


def _retries(now: dt.datetime) -> Any:
    return Mailing.objects.select_related("request__campaign").filter(
        status=Mailing.Status.FAILED, next_attempt_at__lte=now,
        kind__in=(Mailing.Kind.NO_ANSWER, Mailing.Kind.EXPIRY),
    )  # fmt: skip


def due() -> list[tuple[str, dict[str, Any]]]:
    """The scheduler's poll: a ``survey.remind`` job when a reminder or a retry is due."""
    now = timezone.now()
    return [(JOB_KIND, {})] if reminders_due(now) or _retries(now).exists() else []


def remind(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder due now and retry failed ones; counts sent and failed."""
    now = now or timezone.now()
    connection = get_connection(timeout=SEND_TIMEOUT)
    counts = {"sent": 0, "failed": 0}
    claimed: list[tuple[Mailing, Request, str]] = []
    for request, kind in reminders_due(now):
        try:
            with transaction.atomic():
                mailing = Mailing.objects.create(request=request, kind=kind, created_at=now,
                                                 address=request.email,
                                                 dedupe=_dedupe(request, kind))  # fmt: skip
        except IntegrityError:  # another run claimed it
            continue
        claimed.append((mailing, request, kind))
    for mailing in _retries(now):
        taken = Mailing.objects.filter(
            pk=mailing.pk, status=Mailing.Status.FAILED, attempts=mailing.attempts
        ).update(status=Mailing.Status.SENDING, attempts=mailing.attempts + 1)
        if taken:
            mailing.attempts += 1
            claimed.append((mailing, mailing.request, mailing.kind))
    for mailing, request, kind in claimed:
        subject, body = reminder(request, kind)
        try:
            EmailMessage(subject, body, _sender(), [mailing.address],
                         connection=connection).send()  # fmt: skip
        except Exception as exc:  # kept with its error, tried again later
            _failed(mailing, exc, now, retry=True)
            counts["failed"] += 1
            continue
        Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENT, sent_at=now,
                                                     error="")  # fmt: skip
        Request.objects.filter(pk=request.pk).update(reminded_at=now)
        counts["sent"] += 1
    return counts


def tick(job: Any = None, progress: Any = None) -> dict[str, int]:
    """The scheduled job (``survey.remind``)."""
    return remind()


SEND_KIND = "survey.send"


def send_job(job: Any, progress: Any = None) -> dict[str, Any]:
    """The background job (``survey.send``) the campaign page queues: invitations not yet sent."""
    from econsec.jobs import JobFailed

    campaign = Campaign.objects.filter(pk=int(job.params.get("campaign", 0))).first()
    if campaign is None:
        raise JobFailed("survey.mail.job.no_campaign")
    outcome = send_invitations(campaign, base_url=str(job.params.get("base_url", "")))
    result = {"sent": len(outcome.sent), "failed": len(outcome.failed),
              "no_address": len(outcome.no_address)}  # fmt: skip
    if outcome.failed:
        raise JobFailed("survey.mail.job.failed", result, suppliers=", ".join(outcome.failed))
    return result
