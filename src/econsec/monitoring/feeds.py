"""Reading RSS and Atom feeds without trusting them.

A feed is fetched from a server someone else runs, so the body is hostile until proven
otherwise:

- a body over :data:`MAX_FEED_BYTES` is refused before parsing;
- a document type declaration (the door to entity expansion and external entities) is refused
  outright — no feed needs one — checked by defusedxml on a strict parse, and on the raw bytes
  too, so a declaration in a document too broken for the strict parse is still refused;
- a document that is not well-formed XML is parsed leniently by feedparser (as feed readers
  do), and the problem is reported as a source warning;
- each item is checked on its own: without a title, without a link or id, or with characters
  that make text lie (bidi overrides, zero-width, controls), it is refused with the item's
  position and what was wrong, and the other items still come through.
"""

from __future__ import annotations

import calendar
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as strict_parse

from econsec.characters import unwanted
from econsec.monitoring.errors import MonitoringError

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 2_000
MAX_TITLE = 500
MAX_SUMMARY = 20_000


@dataclass(frozen=True)
class FeedItem:
    """One usable item: text already checked, ``key`` identifies it across fetches."""

    key: str
    title: str
    summary: str
    url: str
    published: datetime | None
    position: int


@dataclass
class FeedResult:
    items: list[FeedItem] = field(default_factory=list)
    problems: list[MonitoringError] = field(default_factory=list)
    """Item-level refusals and source warnings; the good items are still in ``items``."""


def _declares_doctype(body: bytes) -> bool:
    probes = [body[:65536].lower()]
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        probes.append(body[:131072].decode("utf-16", "replace").lower().encode())
    return any(b"<!doctype" in p or b"<!entity" in p for p in probes)


def _clean(text: str, limit: int) -> str:
    return unicodedata.normalize("NFC", text).strip()[:limit]


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_feed(body: bytes, source: str) -> FeedResult:
    """The items of an RSS/Atom document; raises :class:`MonitoringError` for a refused body."""
    if len(body) > MAX_FEED_BYTES:
        raise MonitoringError(
            "monitoring.feed.too_large", source=source, size=len(body), limit=MAX_FEED_BYTES
        )
    if _declares_doctype(body):
        raise MonitoringError("monitoring.feed.doctype", source=source)
    result = FeedResult()
    try:
        strict_parse(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MonitoringError("monitoring.feed.doctype", source=source) from exc
    except (ParseError, ValueError) as exc:
        result.problems.append(
            MonitoringError("monitoring.feed.not_well_formed", source=source, detail=str(exc)[:200])
        )
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries and result.problems:
        raise result.problems[0]
    for position, entry in enumerate(parsed.entries[:MAX_ITEMS], start=1):
        item = _item(entry, position, source, result.problems)
        if item is not None:
            result.items.append(item)
    if len(parsed.entries) > MAX_ITEMS:
        result.problems.append(
            MonitoringError("monitoring.feed.too_many_items", source=source, limit=MAX_ITEMS)
        )
    return result


def _item(
    entry: Any, position: int, source: str, problems: list[MonitoringError]
) -> FeedItem | None:
    title = _clean(str(entry.get("title") or ""), MAX_TITLE)
    summary = _clean(str(entry.get("summary") or ""), MAX_SUMMARY)
    url = str(entry.get("link") or "").strip()
    guid = str(entry.get("id") or "").strip()
    if not title:
        problems.append(
            MonitoringError("monitoring.feed.item_no_title", source=source, position=position)
        )
        return None
    if not (url or guid):
        problems.append(
            MonitoringError("monitoring.feed.item_no_link", source=source, position=position)
        )
        return None
    for name, text in (("title", title), ("summary", summary), ("link", url)):
        bad = unwanted(text)
        if bad is not None:
            problems.append(
                MonitoringError(
                    "monitoring.feed.item_bad_character",
                    source=source,
                    position=position,
                    field=name,
                    at=bad[0],
                    char=bad[1],
                )
            )
            return None
    if url and not url.lower().startswith(("http://", "https://")):
        problems.append(
            MonitoringError(
                "monitoring.feed.item_bad_link", source=source, position=position, value=url[:120]
            )
        )
        return None
    key = hashlib.sha256(f"{source}\x00{guid or url}".encode()).hexdigest()
    return FeedItem(key, title, summary, url, _published(entry), position)
