"""Login throttling: count failures per (user name, client address), lock for a while.

Stored in the database rather than a per-process cache so every server worker sees the same
count. Counting per address as well as per name means an attacker cannot lock a colleague
out from elsewhere, while guessing one account from one address is slowed to a crawl. Behind a
reverse proxy every request comes from the proxy's address, so the client's address is taken
from X-Forwarded-For when (and only when) the proxy is listed in ``ECONSEC_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def _trusted(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the address it forwarded.

    X-Forwarded-For is read only when REMOTE_ADDR is one of ``ECONSEC_TRUSTED_PROXIES``
    (anyone else could write anything there). Proxies append to the header, so it is read from
    the right: the first address that is not itself a trusted proxy is the client.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")[:45]
    trusted = _trusted(tuple(settings.ECONSEC_TRUSTED_PROXIES))
    address = _address(remote)
    if not trusted or address is None or not any(address in net for net in trusted):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:
            break  # garbled: do not read past it
        if not any(found in net for net in trusted):
            return str(found)
    return remote


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
