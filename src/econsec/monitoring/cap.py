"""Reading Common Alerting Protocol 1.2 alerts (as Japan's JMA and GDACS publish) into events.

A CAP body is an ``<alert>`` or any document holding ``<alert>`` elements (an Atom or RSS feed
that carries them inline). It is hostile input like any feed (see :mod:`feeds`): size capped,
no DOCTYPE or entities (byte probe, then defusedxml), nesting deeper than :data:`MAX_DEPTH`
refused while streaming (before a deep tree is built), every alert checked on its own so one bad
alert never loses the others.

What an alert gives the event:

- title and summary per ``<info>`` language (ja and en), ``<web>`` as the link;
- ``<sent>`` → announced, ``<onset>``/``<effective>`` → effective, ``<expires>`` → expected end;
- ``<category>`` → kind (hazards; Security → conflict; Infra/Transport → closure; CBRNE →
  plant incident); ``<severity>``, ``<urgency>``, ``<certainty>`` kept as read, with the words;
- ``<area>``: polygons, circles (the first as the footprint's circle, others as 32-sided
  polygons), geocodes (ISO country codes; Japanese JIS X 0401 prefecture and municipal codes)
  and the area description's place names through the classifier's gazetteer.

Alerts that are not ``Actual`` (exercises, tests, drafts) and cancellations are skipped and
counted, not stored as events.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from econsec.characters import unwanted
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.feeds import MAX_FEED_BYTES, _declares_doctype
from econsec.monitoring.footprint import Footprint

NAMESPACES = ("urn:oasis:names:tc:emergency:cap:1.2", "urn:oasis:names:tc:emergency:cap:1.1")
MAX_DEPTH = 32
MAX_ALERTS = 1_000
MAX_AREAS = 100
MAX_VERTICES = 5_000
MAX_TEXT = 20_000

_KINDS = {
    "geo": "natural_hazard",
    "met": "natural_hazard",
    "fire": "natural_hazard",
    "env": "natural_hazard",
    "health": "natural_hazard",
    "safety": "natural_hazard",
    "rescue": "natural_hazard",
    "other": "natural_hazard",
    "security": "conflict",
    "infra": "closure",
    "transport": "closure",
    "cbrne": "plant_incident",
}
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
_JIS = re.compile(r"^(0[1-9]|[1-3][0-9]|4[0-7])([0-9]{3,4})?$")


@dataclass(frozen=True)
class CapEvent:
    """One usable alert, read: ``footprint`` still lacks what the gazetteer adds from text."""

    key: str
    identifier: str
    titles: dict[str, str]
    summaries: dict[str, str]
    url: str
    sent: datetime | None
    onset: datetime | None
    expires: datetime | None
    footprint: Footprint
    area_text: str
    inferences: tuple[tuple[str, str, str], ...]
    severity: str


@dataclass
class CapResult:
    events: list[CapEvent] = field(default_factory=list)
    problems: list[MonitoringError] = field(default_factory=list)
    skipped: int = 0


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _read_tree(body: bytes, source: str) -> Element:
    if len(body) > MAX_FEED_BYTES:
        raise MonitoringError(
            "monitoring.feed.too_large", source=source, size=len(body), limit=MAX_FEED_BYTES
        )
    if _declares_doctype(body):
        raise MonitoringError("monitoring.feed.doctype", source=source)
    depth = 0
    root: Element | None = None
    try:
        for event, element in iterparse(
            io.BytesIO(body),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "start":
                depth += 1
                root = element if root is None else root
                if depth > MAX_DEPTH:
                    raise MonitoringError("monitoring.cap.too_deep", source=source, limit=MAX_DEPTH)
            else:
                depth -= 1
    except DefusedXmlException as exc:
        raise MonitoringError("monitoring.feed.doctype", source=source) from exc
    except (ParseError, ValueError) as exc:
        raise MonitoringError(
            "monitoring.cap.not_well_formed", source=source, detail=str(exc)[:200]
        ) from exc
    if root is None:
        raise MonitoringError("monitoring.cap.no_alerts", source=source)
    return root


def parse_cap(body: bytes, source: str) -> CapResult:
    """The alerts in a CAP document; raises :class:`MonitoringError` for a refused body."""
    root = _read_tree(body, source)
    alerts = [e for e in root.iter() if _local(e.tag) in {(ns, "alert") for ns in NAMESPACES}]
    if not alerts:
        raise MonitoringError("monitoring.cap.no_alerts", source=source)
    result = CapResult()
    for position, alert in enumerate(alerts[:MAX_ALERTS], start=1):
        try:
            read = _alert(alert, source)
        except MonitoringError as exc:
            result.problems.append(
                MonitoringError(
                    "monitoring.cap.alert_refused", source=source, position=position, detail=exc
                )
            )
            continue
        if read is None:
            result.skipped += 1
        else:
            result.events.append(read)
    if len(alerts) > MAX_ALERTS:
        result.problems.append(
            MonitoringError("monitoring.feed.too_many_items", source=source, limit=MAX_ALERTS)
        )
    return result


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag)[1] == name]


def _text(element: Element, name: str, where: str, limit: int = MAX_TEXT) -> str:
    found = _children(element, name)
    if not found:
        return ""
    text = unicodedata.normalize("NFC", "".join(found[0].itertext())).strip()
    bad = unwanted(text)
    if bad is not None:
        raise MonitoringError(
            "monitoring.cap.bad_character", where=where, field=name, at=bad[0], char=bad[1]
        )
    return text[:limit]


def _when(text: str, where: str, name: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise MonitoringError(
            "monitoring.cap.bad_value", where=where, field=name, value=text[:60]
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _alert(alert: Element, source: str) -> CapEvent | None:
    identifier = _text(alert, "identifier", "alert", 500)
    where = f"alert {identifier[:80] or '?'}"
    if not identifier:
        raise MonitoringError("monitoring.cap.missing", where=where, field="identifier")
    status = _text(alert, "status", where, 20)
    msg_type = _text(alert, "msgType", where, 20)
    if status != "Actual" or msg_type == "Cancel":
        return None
    sender = _text(alert, "sender", where, 500)
    sent = _when(_text(alert, "sent", where, 60), where, "sent")
    infos = _children(alert, "info")
    if not infos:
        raise MonitoringError("monitoring.cap.missing", where=where, field="info")
    titles: dict[str, str] = {}
    summaries: dict[str, str] = {}
    url = ""
    onset = expires = None
    kind = ""
    severity = "Unknown"
    inferences: list[tuple[str, str, str]] = []
    rings: list[tuple[tuple[float, float], ...]] = []
    circles: list[tuple[float, float, float]] = []
    countries: dict[str, str] = {}
    regions: dict[str, str] = {}
    area_text: list[str] = []
    for info in infos:
        lang = _text(info, "language", where, 35).lower() or "en-us"
        lang = "ja" if lang.startswith("ja") else "en"
        headline = _text(info, "headline", where, 500) or _text(info, "event", where, 500)
        if headline and lang not in titles:
            titles[lang] = headline
            summaries[lang] = _text(info, "description", where)
        link = _text(info, "web", where, 1000)
        if link and not url:
            if not link.lower().startswith(("http://", "https://")):
                raise MonitoringError(
                    "monitoring.cap.bad_value", where=where, field="web", value=link[:120]
                )
            url = link
        onset = onset or _when(
            _text(info, "onset", where, 60) or _text(info, "effective", where, 60), where, "onset"
        )
        expires = expires or _when(_text(info, "expires", where, 60), where, "expires")
        for category in _children(info, "category"):
            word = (category.text or "").strip()
            if not kind and word.lower() in _KINDS:
                kind = _KINDS[word.lower()]
                inferences.append(("kind", kind, f"<category>{word}</category>"))
        level = _text(info, "severity", where, 20)
        if level in SEVERITIES and SEVERITIES.index(level) < SEVERITIES.index(severity):
            severity = level
        for n, area in enumerate(_children(info, "area")[:MAX_AREAS], start=1):
            spot = f"{where} area {n}"
            desc = _text(area, "areaDesc", spot, 1000)
            if desc:
                area_text.append(desc)
            for polygon in _children(area, "polygon"):
                rings.append(_ring(polygon.text or "", spot))
            for circle in _children(area, "circle"):
                circles.append(_circle(circle.text or "", spot))
            for geocode in _children(area, "geocode"):
                name = _text(geocode, "valueName", spot, 100)
                value = _text(geocode, "value", spot, 100)
                _geocode(name, value, countries, regions)
    if not titles:
        raise MonitoringError("monitoring.cap.missing", where=where, field="headline")
    if severity != "Unknown":
        inferences.append(("cap_severity", severity, f"<severity>{severity}</severity>"))
    inferences += [("countries", c, w) for c, w in sorted(countries.items())]
    inferences += [("regions", r, w) for r, w in sorted(regions.items())]
    point = None
    if circles:
        from econsec.monitoring.footprint import Point

        lat, lon, radius = circles[0]
        point = Point(lat, lon, radius)
        rings += [_circle_ring(*c) for c in circles[1:]]
    if len(rings) > MAX_AREAS:
        raise MonitoringError("monitoring.cap.too_many_areas", where=where, limit=MAX_AREAS)
    footprint = Footprint(
        kind or "natural_hazard",
        countries=tuple(sorted(countries)),
        regions=tuple(sorted(regions)),
        point=point,
        polygons=tuple(rings),
    )
    key = hashlib.sha256(f"cap\x00{sender}\x00{identifier}".encode()).hexdigest()
    return CapEvent(
        key,
        identifier,
        titles,
        summaries,
        url,
        sent,
        onset,
        expires,
        footprint,
        "\n".join(area_text),
        tuple(inferences),
        severity,
    )


def _pair(text: str, spot: str, name: str) -> tuple[float, float]:
    try:
        lat_s, lon_s = text.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError as exc:
        raise MonitoringError(
            "monitoring.cap.bad_value", where=spot, field=name, value=text[:60]
        ) from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise MonitoringError("monitoring.cap.bad_value", where=spot, field=name, value=text[:60])
    return lat, lon


def _ring(text: str, spot: str) -> tuple[tuple[float, float], ...]:
    parts = text.split()
    if not 4 <= len(parts) <= MAX_VERTICES:  # CAP: at least four pairs, first equals last
        raise MonitoringError("monitoring.cap.bad_polygon", where=spot, limit=MAX_VERTICES)
    ring = tuple(_pair(p, spot, "polygon") for p in parts)
    return ring[:-1] if ring[0] == ring[-1] else ring


def _circle(text: str, spot: str) -> tuple[float, float, float]:
    centre, _, radius_s = text.strip().partition(" ")
    lat, lon = _pair(centre, spot, "circle")
    try:
        radius = float(radius_s)
    except ValueError as exc:
        raise MonitoringError(
            "monitoring.cap.bad_value", where=spot, field="circle", value=text[:60]
        ) from exc
    if not math.isfinite(radius) or not 0 <= radius <= 20_000:
        raise MonitoringError(
            "monitoring.cap.bad_value", where=spot, field="circle", value=text[:60]
        )
    return lat, lon, radius


def _circle_ring(lat: float, lon: float, radius_km: float) -> tuple[tuple[float, float], ...]:
    # A further circle of the same alert as a polygon: 32 points on the small circle.
    dlat = radius_km / 111.2
    dlon = radius_km / max(111.2 * math.cos(math.radians(lat)), 1e-6)
    return tuple(
        (
            max(-90.0, min(90.0, lat + dlat * math.sin(a))),
            max(-180.0, min(180.0, lon + dlon * math.cos(a))),
        )
        for a in (2 * math.pi * k / 32 for k in range(32))
    )


def _geocode(name: str, value: str, countries: dict[str, str], regions: dict[str, str]) -> None:
    """ISO 3166 country codes and JIS X 0401 prefecture (or municipal) codes; others ignored."""
    from econsec.reference.countries import normalise_country
    from econsec.reference.gazetteer import region

    lowered = name.lower()
    words = f"<geocode>{name}={value}</geocode>"
    if "iso" in lowered or "country" in lowered or "fips" in lowered:
        code = normalise_country(value) if value else None
        if code:
            countries.setdefault(code, words)
    elif "jis" in lowered or "prefecture" in lowered or "都道府県" in name or "市町村" in name:
        match = _JIS.match(value)
        place = region("JP", f"JP-{match.group(1)}") if match else None
        if place is not None:
            regions.setdefault(place.name_ja, words)
            countries.setdefault("JP", words)
