"""The notification settings pages: each user's own preferences (channels, per event or a daily
digest, language) and the administrators' webhook receivers (secret shown once, test delivery,
removal), checked against a real SMTP server and a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
from email.header import decode_header, make_header
from typing import Any

from django.urls import reverse

from econsec.governance import notify
from econsec.governance.models import AuditEvent, Notification, Preference, Webhook
from tests.governance.conftest import _Hook, _Inbox

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _red(n: int) -> dict[str, Any]:
    return {"key": f"k{n}", "value": "9", "name": {"ja": f"指標{n}", "en": f"indicator {n}"}}


def test_a_user_sets_digest_or_each_and_the_mail_follows(
    client_for: Any, users: Any, smtp: _Inbox
) -> None:
    viewer = client_for("viewer")
    url = reverse("web:governance_preferences")
    page = viewer.get(url, **EN)
    assert page.status_code == 200 and b"One digest a day" in page.content
    assert b"Webhooks" not in page.content  # the link is for administrators
    saved = viewer.post(url, {"email": "v@example.jp", "by_email": "on", "mode": "digest",
                              "language": "en"})  # fmt: skip
    assert saved.status_code == 303
    pref = Preference.objects.get(username="viewer")
    assert (pref.email, pref.by_email, pref.digest, pref.language) == (
        "v@example.jp", True, True, "en",
    )  # fmt: skip
    # Digest: the events reach the inbox now and the mailbox once a day.
    for n in (1, 2):
        notify.raise_event("kri_red", _red(n), recipients=["viewer"], dedupe=f"d{n}")
    assert not Notification.objects.filter(channel="email", kind="kri_red").exists()
    assert notify.daily_digest() == 1
    assert notify.deliver("w").sent == 1
    (rcpt, message), = smtp.messages  # fmt: skip
    assert rcpt == ["v@example.jp"] and _subject(message).startswith("[econsec] 2 notifications")

    # One by one, in Japanese.
    viewer.post(url, {"email": "v@example.jp", "by_email": "on", "mode": "each",
                      "language": "ja"})  # fmt: skip
    notify.raise_event("kri_red", _red(3), recipients=["viewer"], dedupe="e3")
    assert notify.deliver("w").sent == 1
    assert _subject(smtp.messages[-1][1]) == "[econsec] 指標が赤になりました:指標3"

    # Inbox only: nothing by mail.
    viewer.post(url, {"email": "v@example.jp", "mode": "each", "language": "ja"})
    notify.raise_event("kri_red", _red(4), recipients=["viewer"], dedupe="e4")
    assert notify.deliver("w").sent == 0 and len(smtp.messages) == 2


def test_preference_errors_are_located_and_change_nothing(client_for: Any, users: Any) -> None:
    analyst = client_for("analyst")
    url = reverse("web:governance_preferences")
    analyst.post(url, {"email": "a@example.jp", "mode": "each", "language": "ja"})
    before = Preference.objects.get(username="analyst")
    cases = [
        ({"email": "not-an-address", "by_email": "on"}, "the e-mail address 'not-an-address'"),
        ({"email": "", "by_email": "on"}, "an e-mail address is needed"),
        ({"email": "a\u202e@example.jp"}, "at position 2: U+202E"),
        ({"email": "a@example.jp", "language": "fr"}, "the language 'fr' is not available"),
        ({"email": "x" * 300 + "@example.jp"}, "at most 254 characters"),
    ]
    for data, expected in cases:
        answer = analyst.post(url, {"mode": "each", "language": "en", **data}, **EN)
        assert answer.status_code == 400, data
        assert expected in answer.content.decode().replace("&#x27;", "'"), data
    ja = analyst.post(url, {"email": "bad", "by_email": "on", "language": "ja"})
    assert "メールアドレス「bad」は使えません" in ja.content.decode()
    after = Preference.objects.get(username="analyst")
    assert (after.email, after.by_email, after.digest) == (before.email, before.by_email,
                                                          before.digest)  # fmt: skip


def test_webhook_receivers_added_tested_and_removed_by_an_administrator(
    client_for: Any, users: Any, receiver: tuple[str, type[_Hook]]
) -> None:
    url, handler = receiver
    assert client_for("analyst").get(reverse("web:governance_webhooks")).status_code == 403
    admin = client_for("administrator")
    added = admin.post(reverse("web:governance_webhook_add"),
                       {"url": url, "kinds": ["kri_red", "screening_hit"]}, **EN)  # fmt: skip
    assert added.status_code == 201
    assert added["Cache-Control"] == "no-store"
    hook = Webhook.objects.get()
    assert hook.kinds == ["kri_red", "screening_hit"] and len(hook.secret) >= 40
    assert hook.secret in added.content.decode()
    # Shown once: the page never shows it again, nor does the audit trail keep it.
    listing = admin.get(reverse("web:governance_webhooks"), **EN)
    assert hook.secret not in listing.content.decode() and url in listing.content.decode()
    assert not AuditEvent.objects.filter(detail__contains=hook.secret).exists()
    assert AuditEvent.objects.filter(action="webhook.added", actor="administrator").exists()

    tested = admin.post(reverse("web:governance_webhook_test", args=[hook.pk]), **EN)
    assert tested.status_code == 200 and b"Test delivered to" in tested.content
    headers, body = handler.received[-1]
    stamp = headers["X-Econsec-Timestamp"]
    mac = hmac.new(hook.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Econsec-Signature"] == "sha256=" + mac.hexdigest()
    assert json.loads(body)["kind"] == "webhook_test"

    handler.status = 500
    failed = admin.post(reverse("web:governance_webhook_test", args=[hook.pk]), **EN)
    assert b"failed: HTTPError: HTTP Error 500" in failed.content
    pending = Notification.objects.get(kind="webhook_test", status="pending")
    assert pending.attempts == 1 and pending.last_error

    # Removing the receiver fails what it still owed, visibly, instead of retrying forever.
    gone = admin.post(reverse("web:governance_webhook_remove", args=[hook.pk]))
    assert gone.status_code == 303 and not Webhook.objects.exists()
    pending.refresh_from_db()
    assert (pending.status, pending.last_error) == ("failed", "webhook removed")
    assert AuditEvent.objects.filter(action="webhook.removed").exists()


def test_webhook_errors_are_located_and_add_nothing(client_for: Any, users: Any) -> None:
    admin = client_for("administrator")
    add = reverse("web:governance_webhook_add")
    cases = [
        ({"url": "file:///etc/passwd"}, "the URL 'file:///etc/passwd' cannot be used"),
        ({"url": "javascript:alert(1)"}, "the URL 'javascript:alert(1)' cannot be used"),
        ({"url": "https://example.jp/\u200bhook"}, "U+200B"),
        ({"url": "https://example.jp/" + "a" * 600}, "at most 500 characters"),
        ({"url": "https://example.jp/h", "kinds": ["everything"]}, "no notification kind"),
    ]
    for data, expected in cases:
        answer = admin.post(add, data, **EN)
        assert answer.status_code == 400, data
        assert expected in answer.content.decode().replace("&#x27;", "'"), data
    ja = admin.post(add, {"url": "ftp://example.jp/"})
    assert "URL「ftp://example.jp/」は使えません" in ja.content.decode()
    assert not Webhook.objects.exists()
    assert not AuditEvent.objects.filter(action="webhook.added").exists()
