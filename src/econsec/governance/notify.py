"""Notifications: in-app inbox, e-mail (Django's mail framework) and HMAC-signed webhooks.

An event (:func:`raise_event`) becomes one row per recipient and channel; its ``dedupe`` key
is unique, so raising the same event again (every scheduled scan finds the same overdue
action) adds nothing. Inbox rows are delivered when written. E-mail and webhook rows form the
delivery queue (:func:`deliver`): a worker *claims* a row with a compare-and-set update of its
lease (``lease_until``), so any number of workers on any number of machines never send a row
twice while the lease holds; the lease is longer than any send may take (the SMTP and HTTP
timeouts are shorter). A failed send is retried with exponential back-off and stays visible
(``attempts``, ``last_error``); after ``MAX_ATTEMPTS`` the row is marked failed, never deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from econsec.governance.models import Notification, Preference, Webhook
from econsec.i18n import t

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 60  # 1, 2, 4, 8, 16 minutes between attempts
SEND_TIMEOUT = 20  # seconds, for SMTP and HTTP alike
LEASE_SECONDS = 120  # > SEND_TIMEOUT: a live worker never loses its lease mid-send
SIGNATURE_HEADER = "X-Econsec-Signature"
TIMESTAMP_HEADER = "X-Econsec-Timestamp"


def _create(now: dt.datetime, **fields: Any) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(created_at=now, next_attempt_at=now, **fields)
    except IntegrityError:  # raised before: nothing new
        return None


def raise_event(
    kind: str,
    params: dict[str, Any],
    *,
    recipients: Iterable[str],
    dedupe: str,
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Write the notifications for one event; those that existed already are skipped."""
    now = now or timezone.now()
    made = []
    prefs = {p.username: p for p in Preference.objects.filter(username__in=list(recipients))}
    for user in dict.fromkeys(recipients):
        if not user:
            continue
        inbox = _create(now, kind=kind, params=params, channel="inbox", recipient=user,
                        dedupe=f"{dedupe}:inbox:{user}", status="sent", sent_at=now)  # fmt: skip
        made.append(inbox)
        pref = prefs.get(user)
        if pref is not None and pref.by_email and pref.email and not pref.digest:
            made.append(_create(now, kind=kind, params=params, channel="email", recipient=user,
                                address=pref.email, dedupe=f"{dedupe}:email:{user}"))  # fmt: skip
    for hook in Webhook.objects.filter(active=True):
        if not hook.kinds or kind in hook.kinds:
            made.append(_create(now, kind=kind, params=params, channel="webhook", webhook=hook,
                                address=hook.url, dedupe=f"{dedupe}:webhook:{hook.pk}"))  # fmt: skip
    return [n for n in made if n is not None]


def text(n: Notification, lang: str) -> tuple[str, str]:
    """Subject and body of a notification in ``lang``."""
    # A bilingual value ({"ja": …, "en": …}) is read in the language of the message.
    params = {
        k: v.get(lang, "") if isinstance(v, dict) else v
        for k, v in n.params.items()
        if k != "lines"
    }
    subject = t(f"governance.notify.{n.kind}.subject", lang, **params)
    body = t(f"governance.notify.{n.kind}.body", lang, **params)
    if n.kind == "digest":
        body += "\n\n" + "\n".join(f"- {line.get(lang, '')}" for line in n.params.get("lines", []))
    return subject, body


def link(n: Notification, *, absolute: bool = False) -> str:
    """The page a notification points at ("" for none). Only a same-site path is ever used;
    ``absolute`` (e-mail, webhook) puts ``ECONSEC_BASE_URL`` in front when that is a plain
    http(s) origin, so a reader outside the browser session can follow it."""
    path = str(n.params.get("path") or "")
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    if not absolute:
        return path
    base = base_url()
    return base + path if base else path


def base_url() -> str:
    """``ECONSEC_BASE_URL`` without its trailing slash, or "" when unset or not an origin."""
    value = str(getattr(settings, "ECONSEC_BASE_URL", "") or "").strip().rstrip("/")
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return ""
    if parts.username or parts.password or any(c.isspace() for c in value):
        return ""
    return value


# --- the delivery queue ---------------------------------------------------------------------


def claim(worker: str, *, limit: int = 50, now: dt.datetime | None = None) -> list[Notification]:
    """Take up to ``limit`` due rows for ``worker``: a row is claimed only if its lease was free
    at the moment of the update (compare-and-set), so each row goes to exactly one worker."""
    now = now or timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Notification.objects.filter(
        free, status="pending", channel__in=("email", "webhook"), next_attempt_at__lte=now
    )
    claimed = []
    until = now + dt.timedelta(seconds=LEASE_SECONDS)
    for pk in due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[: limit * 2]:
        won = (
            Notification.objects.filter(free, pk=pk, status="pending")
            .update(lease_until=until, leased_by=worker)
        )  # fmt: skip
        if won:
            claimed.append(pk)
            if len(claimed) >= limit:
                break
    return list(Notification.objects.filter(pk__in=claimed).select_related("webhook"))


def _language(n: Notification) -> str:
    pref = Preference.objects.filter(username=n.recipient).first()
    return pref.language if pref is not None else "ja"


def _send_email(n: Notification) -> None:
    lang = _language(n)
    subject, body = text(n, lang)
    if url := link(n, absolute=True):
        body += "\n\n" + t("governance.notify.link", lang, url=url)
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "econsec@localhost")
    connection = get_connection(timeout=SEND_TIMEOUT)
    EmailMessage(subject, body, sender, [n.address], connection=connection).send()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a receiver recomputes: HMAC-SHA256 over ``timestamp.body``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def webhook_body(n: Notification) -> bytes:
    texts = {
        lang: dict(zip(("subject", "body"), text(n, lang), strict=True)) for lang in ("ja", "en")
    }
    doc = {"id": n.pk, "kind": n.kind, "params": n.params, "created_at": n.created_at.isoformat(),
           "text": texts, "url": link(n, absolute=True)}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str).encode()


def _send_webhook(n: Notification) -> None:
    if n.webhook is None:
        raise RuntimeError("webhook removed")
    body = webhook_body(n)
    stamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(n.address, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Econsec-Event": n.kind,
        "X-Econsec-Delivery": str(n.pk), TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(n.webhook.secret, stamp, body),
    })  # fmt: skip
    with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"HTTP {response.status}")


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


@dataclass(frozen=True)
class Delivery:
    sent: int
    retried: int
    failed: int


def _send(n: Notification, worker: str) -> str:
    """Send one claimed row and write the outcome while the lease is ours: sent, retry, failed."""
    mine = Notification.objects.filter(pk=n.pk, leased_by=worker, status="pending")
    try:
        _send_email(n) if n.channel == "email" else _send_webhook(n)
    except (OSError, RuntimeError, urllib.error.URLError) as exc:
        attempts = n.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("notification %s not delivered: %s", n.pk, error)
        if attempts >= MAX_ATTEMPTS:
            mine.update(status="failed", attempts=attempts, last_error=error, lease_until=None)
            return "failed"
        later = timezone.now() + backoff(attempts)
        mine.update(attempts=attempts, last_error=error, next_attempt_at=later,
                    lease_until=None)  # fmt: skip
        return "retried"
    mine.update(status="sent", sent_at=timezone.now(), attempts=F("attempts") + 1,
                lease_until=None, last_error="")  # fmt: skip
    return "sent"


def deliver(worker: str | None = None, *, limit: int = 50) -> Delivery:
    """Send what is due; every outcome is written back only while this worker holds the lease."""
    worker = worker or uuid.uuid4().hex[:16]
    outcomes = [_send(n, worker) for n in claim(worker, limit=limit)]
    return Delivery(outcomes.count("sent"), outcomes.count("retried"), outcomes.count("failed"))


def deliver_now(n: Notification) -> Notification:
    """Send one row at once (a test delivery), through the same lease as the queue."""
    worker = uuid.uuid4().hex[:16]
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    until = now + dt.timedelta(seconds=LEASE_SECONDS)
    if Notification.objects.filter(free, pk=n.pk, status="pending").update(
        lease_until=until, leased_by=worker
    ):
        claimed = Notification.objects.select_related("webhook").get(pk=n.pk)
        _send(claimed, worker)
    n.refresh_from_db()
    return n


def daily_digest(now: dt.datetime | None = None) -> int:
    """One e-mail per digest user with the last day's inbox; the number of digests queued."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    queued = 0
    for pref in Preference.objects.filter(by_email=True, digest=True).exclude(email=""):
        inbox = Notification.objects.filter(
            recipient=pref.username, channel="inbox", created_at__gte=since
        ).exclude(kind="digest")
        lines = [
            {lang: text(n, lang)[0] for lang in ("ja", "en")} for n in inbox.order_by("created_at")
        ]
        if not lines:
            continue
        day = timezone.localdate(now).isoformat()
        made = _create(now, kind="digest", params={"count": len(lines), "day": day, "lines": lines},
                       channel="email", recipient=pref.username, address=pref.email,
                       dedupe=f"digest:{pref.username}:{day}")  # fmt: skip
        queued += made is not None
    return queued


def inbox(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=username, channel="inbox")[:200])


def mark_read(username: str, pk: int) -> bool:
    rows = Notification.objects.filter(pk=pk, recipient=username, channel="inbox")
    return bool(rows.filter(read_at__isnull=True).update(read_at=timezone.now()))
