"""Login throttling: count failures per (user name, client address), lock for a while.

Stored in the database rather than a per-process cache so every server worker sees the same
count. Counting per address as well as per name means an attacker cannot lock a colleague
out from elsewhere, while guessing one account from one address is slowed to a crawl.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure


def client_ip(request: HttpRequest) -> str:
    """The client address (REMOTE_ADDR; a proxy must set it, we do not trust X-Forwarded-For)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:45]


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str, ip: str, now: datetime | None = None) -> datetime | None:
    """When the lock on (username, ip) ends, or None if sign-in is allowed now."""
    now = now or timezone.now()
    row = LoginFailure.objects.filter(username=_key(username), ip=ip).first()
    if row and row.locked_until and row.locked_until > now:
        return row.locked_until
    return None


def record_failure(username: str, ip: str, now: datetime | None = None) -> datetime | None:
    """Count one failure; returns the lock's end when this failure triggers a lock."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.ECONSEC_LOGIN_LOCK_SECONDS)
    with transaction.atomic():
        row, _ = LoginFailure.objects.select_for_update().get_or_create(
            username=_key(username), ip=ip, defaults={"last_failure_at": now}
        )
        # Failures older than the lock window are forgotten: a typo last week does not count.
        if row.last_failure_at < now - window or (row.locked_until and row.locked_until <= now):
            row.failures = 0
            row.locked_until = None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= settings.ECONSEC_LOGIN_MAX_FAILURES:
            row.locked_until = now + window
        row.save()
        return row.locked_until


def record_success(username: str, ip: str) -> None:
    LoginFailure.objects.filter(username=_key(username), ip=ip).delete()
