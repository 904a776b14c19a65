"""Polite fetching of a feed: timeouts, conditional requests, a size cap, no hopping hosts.

Pure of Django: takes the source's URL and validators, returns the body (or "not modified")
and the new validators; errors come back as :class:`MonitoringError` naming the source.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.feeds import MAX_FEED_BYTES

TIMEOUT_SECONDS = 10.0
USER_AGENT = "econsec-monitoring/1 (+https://github.com/econsec)"


@dataclass(frozen=True)
class Fetched:
    body: bytes | None  # None: not modified since the validators
    etag: str
    last_modified: str


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the host (and scheme family) the source names."""

    def __init__(self, source: str, host: str) -> None:
        self.source = source
        self.host = host

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers, newurl
    ):
        target = urllib.parse.urlsplit(newurl)
        if target.hostname != self.host or target.scheme not in ("http", "https"):
            raise MonitoringError(
                "monitoring.fetch.redirect", source=self.source, target=newurl[:200]
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    source: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = TIMEOUT_SECONDS,
) -> Fetched:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonitoringError("monitoring.fetch.bad_url", source=source, url=url[:200])
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_SameHostRedirects(source, parts.hostname))
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_FEED_BYTES:
                raise MonitoringError(
                    "monitoring.feed.too_large",
                    source=source,
                    size=int(length),
                    limit=MAX_FEED_BYTES,
                )
            body = response.read(MAX_FEED_BYTES + 1)
            if len(body) > MAX_FEED_BYTES:
                raise MonitoringError(
                    "monitoring.feed.too_large", source=source, size=len(body), limit=MAX_FEED_BYTES
                )
            info: Any = response.headers
            return Fetched(body, info.get("ETag", "") or "", info.get("Last-Modified", "") or "")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, etag, last_modified)
        raise MonitoringError("monitoring.fetch.http", source=source, status=exc.code) from exc
    except MonitoringError:
        raise
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MonitoringError(
            "monitoring.fetch.failed", source=source, detail=str(reason)[:200]
        ) from exc
