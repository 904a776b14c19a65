"""Notifications against real receivers: an aiosmtpd SMTP server and an HTTP server in this
process; the delivery queue's lease under competing workers (threads and processes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from econsec.governance import notify
from econsec.governance.models import Notification, Preference, Webhook
from tests.governance.conftest import _free_port, _Hook, _Inbox

ROOT = Path(__file__).resolve().parents[2]


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _event(n: int = 1, kind: str = "action_overdue") -> dict[str, Any]:
    return {"action": n, "title": {"ja": f"対応{n}", "en": f"action {n}"}, "due": "2026-01-01",
            "owner": "hanako"}  # fmt: skip


def test_email_goes_through_a_real_smtp_server_in_the_users_language(
    db: None, smtp: _Inbox
) -> None:
    Preference.objects.create(username="hanako", email="hanako@example.jp", by_email=True)
    Preference.objects.create(username="john", email="john@example.com", by_email=True,
                              language="en")  # fmt: skip
    made = notify.raise_event("action_overdue", _event(), recipients=["hanako", "john", "nobody"],
                              dedupe="t1")  # fmt: skip
    # One inbox row per recipient, one e-mail per recipient who asked for mail.
    assert sorted((n.channel, n.recipient) for n in made) == [
        ("email", "hanako"), ("email", "john"),
        ("inbox", "hanako"), ("inbox", "john"), ("inbox", "nobody"),
    ]  # fmt: skip
    result = notify.deliver("w1")
    assert result == notify.Delivery(sent=2, retried=0, failed=0)
    got = {tuple(rcpt): _subject(m) for rcpt, m in smtp.messages}
    assert got == {
        ("hanako@example.jp",): "[econsec] 対応の期限切れ:対応1",
        ("john@example.com",): "[econsec] Action overdue: action 1",
    }
    assert set(Notification.objects.filter(channel="email").values_list("status", flat=True)) == {
        "sent"
    }
    # Raising the same event again writes nothing and sends nothing.
    assert notify.raise_event("action_overdue", _event(), recipients=["hanako"], dedupe="t1") == []
    assert notify.deliver("w1").sent == 0 and len(smtp.messages) == 2


def test_a_failed_send_is_retried_with_backoff_and_stays_visible(
    db: None, settings: Any, smtp: _Inbox
) -> None:
    Preference.objects.create(username="hanako", email="hanako@example.jp", by_email=True)
    notify.raise_event("action_overdue", _event(), recipients=["hanako"], dedupe="t2")
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    assert notify.deliver("w1") == notify.Delivery(0, 1, 0)
    row = Notification.objects.get(channel="email")
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert notify.deliver("w1") == notify.Delivery(0, 0, 0)  # not due yet
    # Due again, the server back: delivered once.
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    settings.EMAIL_PORT = good_port
    assert notify.deliver("w1").sent == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""
    assert len(smtp.messages) == 1


def test_after_the_last_attempt_a_notification_is_failed_not_lost(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    Preference.objects.create(username="hanako", email="hanako@example.jp", by_email=True)
    notify.raise_event("action_overdue", _event(), recipients=["hanako"], dedupe="t3")
    for _ in range(notify.MAX_ATTEMPTS):
        Notification.objects.filter(channel="email").update(next_attempt_at=timezone.now())
        notify.deliver("w1")
    row = Notification.objects.get(channel="email")
    assert row.status == "failed" and row.attempts == notify.MAX_ATTEMPTS and row.last_error


def test_backoff_doubles() -> None:
    assert [notify.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_webhooks_are_signed_and_retried(db: None, receiver: tuple[str, type[_Hook]]) -> None:
    url, handler = receiver
    Webhook.objects.create(url=url, secret="s3cret", kinds=["kri_red"])
    Webhook.objects.create(url=url, secret="other", kinds=["review_due"])  # not this kind
    params = {"key": "k", "value": "9", "name": {"ja": "指標", "en": "indicator"}}
    notify.raise_event("kri_red", params, recipients=[], dedupe="h1")
    handler.status = 500
    assert notify.deliver("w1") == notify.Delivery(0, 1, 0)
    handler.status = 200
    Notification.objects.filter(channel="webhook").update(next_attempt_at=timezone.now())
    assert notify.deliver("w1").sent == 1
    assert len(handler.received) == 2
    headers, body = handler.received[-1]
    # The receiver's check, written out with hmac alone.
    stamp = headers["X-Econsec-Timestamp"]
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Econsec-Signature"] == "sha256=" + expected
    doc = json.loads(body)
    assert doc["kind"] == "kri_red" and doc["text"]["en"]["subject"].endswith("indicator")
    assert doc["text"]["ja"]["subject"].endswith("指標")


def test_a_claimed_row_is_not_claimed_again_until_its_lease_runs_out(db: None) -> None:
    Preference.objects.create(username="hanako", email="h@example.jp", by_email=True)
    notify.raise_event("action_overdue", _event(), recipients=["hanako"], dedupe="l1")
    now = timezone.now()
    assert [n.leased_by for n in notify.claim("a", now=now)] == ["a"]
    assert notify.claim("b", now=now + dt.timedelta(seconds=notify.LEASE_SECONDS - 1)) == []
    later = now + dt.timedelta(seconds=notify.LEASE_SECONDS + 1)
    assert [n.leased_by for n in notify.claim("b", now=later)] == ["b"]  # "a" died holding it


@pytest.mark.django_db(transaction=True)
def test_competing_threads_send_each_row_once(smtp: _Inbox) -> None:
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database has table locks; see the process test below")
    Preference.objects.create(username="hanako", email="h@example.jp", by_email=True)
    for n in range(40):
        notify.raise_event("action_overdue", _event(n), recipients=["hanako"], dedupe=f"c{n}")
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            while notify.deliver(name, limit=3).sent:
                pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    subjects = sorted(_subject(m) for _, m in smtp.messages)
    assert subjects == sorted(f"[econsec] 対応の期限切れ:対応{n}" for n in range(40))


_SEED = """
import sys
from econsec.store import open_store
open_store()
from econsec.governance import notify
from econsec.governance.models import Notification, Preference
Notification.objects.all().delete()
Preference.objects.all().delete()
Preference.objects.create(username="hanako", email="h@example.jp", by_email=True)
for n in range(int(sys.argv[1])):
    notify.raise_event("action_overdue", {"action": n, "title": {"ja": f"対応{n}", "en": "x"},
                       "due": "2026-01-01", "owner": "hanako"}, recipients=["hanako"],
                       dedupe=f"p{n}")
"""

_WORKER = """
import sys
from econsec.store import open_store
open_store()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(sys.argv[2])
from econsec.governance import notify
sent = 0
while True:
    result = notify.deliver(sys.argv[1], limit=2)
    sent += result.sent
    if not result.sent:
        break
print(sent)
"""

_STATE = """
from econsec.store import open_store
open_store()
from econsec.governance.models import Notification
rows = Notification.objects.filter(channel="email")
print(rows.count(), rows.filter(status="sent").count(), len(set(rows.values_list("leased_by", flat=True))))
"""


@pytest.mark.db
def test_competing_worker_processes_send_each_row_exactly_once(
    tmp_path: Path, smtp: _Inbox, settings: Any
) -> None:
    """Four worker processes drain one queue (the SQLite file, or PostgreSQL when
    DATABASE_URL names it) against one SMTP server: every row is sent, none twice."""
    env = dict(os.environ)
    env["ECONSEC_DATA_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = str(ROOT / "src")
    rows = 60
    subprocess.run([sys.executable, "-c", _SEED, str(rows)], env=env, check=True, timeout=300)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, f"p{i}", str(settings.EMAIL_PORT)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    counts = [int(p.communicate(timeout=300)[0].strip()) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(counts) == rows
    subjects = [_subject(m) for _, m in smtp.messages]
    assert sorted(subjects) == sorted(f"[econsec] 対応の期限切れ:対応{n}" for n in range(rows))
    state = subprocess.run([sys.executable, "-c", _STATE], env=env, capture_output=True,
                           text=True, check=True, timeout=300).stdout.split()  # fmt: skip
    total, sent, workers = map(int, state)
    assert (total, sent) == (rows, rows) and workers >= 1


def test_daily_digest_collects_the_days_inbox(db: None, smtp: _Inbox) -> None:
    Preference.objects.create(username="hanako", email="h@example.jp", by_email=True,
                              digest=True, language="en")  # fmt: skip
    for n in range(3):
        notify.raise_event("action_overdue", _event(n), recipients=["hanako"], dedupe=f"d{n}")
    assert not Notification.objects.filter(channel="email").exists()  # not one by one
    assert notify.daily_digest() == 1 and notify.daily_digest() == 0  # once a day
    assert notify.deliver("w").sent == 1
    ((_, message),) = smtp.messages
    assert _subject(message).startswith("[econsec] 3 notifications today")
    body = message.get_payload(decode=True).decode()
    assert all(f"Action overdue: action {n}" in body for n in range(3))


def test_inbox_and_mark_read(db: None) -> None:
    notify.raise_event("action_overdue", _event(), recipients=["hanako"], dedupe="i1")
    (n,) = notify.inbox("hanako")
    assert notify.inbox("john") == []
    assert not notify.mark_read("john", n.pk)  # not someone else's
    assert notify.mark_read("hanako", n.pk) and not notify.mark_read("hanako", n.pk)
