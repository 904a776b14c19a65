"""How notifications reach people: each user's preferences, and the webhook receivers.

A webhook's secret is made here (never typed), shown to the administrator once when the
receiver is added, and kept only to sign deliveries. Adding, changing and removing receivers
goes to the audit trail (without the secret): where notifications are sent is evidence too. Removing one
fails its pending deliveries with a visible reason instead of retrying them against nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from econsec.characters import unwanted
from econsec.governance import notify
from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Notification, Preference, Webhook

LANGUAGES = ("ja", "en")
# What a receiver may ask for: every kind a person can be told, plus the test delivery.
WEBHOOK_KINDS = tuple(k for k in Notification.KINDS if k != "digest")
_URL = URLValidator(schemes=["http", "https"])


def _clean(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise GovernanceError("governance.field.too_long", field=field, limit=limit)
    bad = unwanted(value, identifier=True)
    if bad is not None:
        raise GovernanceError("governance.field.bad_character", field=field, position=bad[0],
                              character=bad[1])  # fmt: skip
    return value


def save_preferences(
    username: str, *, email: str, by_email: bool, digest: bool, language: str
) -> Preference:
    """A user's channels (inbox always; e-mail on or off), per event or a daily digest."""
    email = _clean("email", email, 254)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise GovernanceError("governance.prefs.bad_email", value=email[:100]) from exc
    if by_email and not email:
        raise GovernanceError("governance.prefs.email_required")
    if language not in LANGUAGES:
        raise GovernanceError("governance.prefs.bad_language", value=language[:20],
                              allowed=", ".join(LANGUAGES))  # fmt: skip
    pref, _ = Preference.objects.update_or_create(
        username=username,
        defaults={"email": email, "by_email": by_email, "digest": digest, "language": language},
    )
    return pref


def preferences(username: str) -> Preference:
    return Preference.objects.filter(username=username).first() or Preference(username=username)


def _url(url: str) -> str:
    url = _clean("url", url, 500)
    try:
        _URL(url)
    except ValidationError as exc:
        raise GovernanceError("governance.webhook.bad_url", value=url[:100]) from exc
    return url


def _kinds(kinds: Iterable[str]) -> list[str]:
    chosen = sorted(set(kinds))
    for kind in chosen:
        if kind not in WEBHOOK_KINDS:
            raise GovernanceError("governance.webhook.bad_kind", value=kind[:40],
                                  allowed=", ".join(WEBHOOK_KINDS))  # fmt: skip
    return chosen


def add_webhook(url: str, kinds: Iterable[str], *, actor: str) -> tuple[Webhook, str]:
    """Add a receiver; returns it with its new secret (the one time the secret is given out)."""
    url, chosen = _url(url), _kinds(kinds)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        hook = Webhook.objects.create(url=url, secret=secret, kinds=chosen)
        append("webhook.added", f"webhook:{hook.pk}", actor=actor,
               detail={"url": url, "kinds": chosen})  # fmt: skip
    return hook, secret


def change_webhook(
    hook: Webhook,
    *,
    actor: str,
    url: str | None = None,
    kinds: Iterable[str] | None = None,
    active: bool | None = None,
) -> Webhook:
    """Change a receiver's address, kinds or whether it is active (``webhook.changed`` in the
    audit trail, with each field before and after; the secret stays as it was, and is never
    written there). Deliveries already queued keep the address they were queued for."""
    changes: dict[str, object] = {}
    if url is not None:
        changes["url"] = _url(url)
    if kinds is not None:
        changes["kinds"] = _kinds(kinds)
    if active is not None:
        changes["active"] = bool(active)
    if not changes:
        raise GovernanceError("governance.webhook.nothing_changed")
    diff = {k: [getattr(hook, k), v] for k, v in changes.items() if getattr(hook, k) != v}
    if not diff:
        return hook
    with transaction.atomic():
        for name, value in changes.items():
            setattr(hook, name, value)
        hook.save()
        append("webhook.changed", f"webhook:{hook.pk}", actor=actor, detail=diff)
    return hook


def remove_webhook(hook: Webhook, *, actor: str) -> int:
    """Remove a receiver; its pending deliveries become failed (kept, with the reason)."""
    with transaction.atomic():
        pending = Notification.objects.filter(webhook=hook, status="pending").update(
            status="failed", last_error="webhook removed", lease_until=None
        )
        append("webhook.removed", f"webhook:{hook.pk}", actor=actor,
               detail={"url": hook.url, "failed_pending": pending})  # fmt: skip
        hook.delete()
    return pending


def send_test(hook: Webhook, *, actor: str) -> Notification:
    """Send a signed test message to this receiver now; the row keeps the outcome."""
    now = timezone.now()
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    n = Notification.objects.create(
        kind="webhook_test", params={"webhook": hook.pk, "by": actor}, channel="webhook",
        webhook=hook, address=hook.url, dedupe=f"webhook_test:{hook.pk}:{stamp}",
        created_at=now, next_attempt_at=now,
    )  # fmt: skip
    return notify.deliver_now(n)
