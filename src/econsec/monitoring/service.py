"""Events in the store: recording, importing, fetching sources, assessing, triage.

The engine (footprint, index, match, impact, feeds, classify) knows nothing of Django; this
module joins it to the stored value chain and to the response room's tables.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec import safe_yaml
from econsec.monitoring import models as m
from econsec.monitoring.classify import classify
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.feeds import parse_feed
from econsec.monitoring.fetch import fetch
from econsec.monitoring.footprint import Footprint, parse_footprint
from econsec.monitoring.impact import assess as assess_impact
from econsec.monitoring.impact import stress_document
from econsec.monitoring.index import ChainIndex, build_index
from econsec.monitoring.places import site_places

MAX_IMPORT_EVENTS = 5_000
DEFAULT_WEEKS = 12.0
_cache: dict[str, ChainIndex] = {}


def chain_index() -> tuple[ChainIndex, str]:
    """The stored value chain, compiled and indexed (cached by data version)."""
    from econsec.valuechain.store_io import compile_store, current_version, read_tables

    version = current_version()
    if version not in _cache:
        chain = compile_store()
        places = site_places(chain.site_ids, read_tables({"sites"}).get("sites", []))
        _cache.clear()
        _cache[version] = build_index(chain, places)
    return _cache[version], version


def org_names(index: ChainIndex) -> dict[str, str]:
    chain = index.chain
    return {name: org for org, name in zip(chain.org_ids, chain.org_names, strict=True) if name}


def _date(value: Any, where: str, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise MonitoringError(
            "monitoring.event.bad_date", where=where, field=name, value=str(value)[:40]
        ) from exc


_TEXT_FIELDS = ("title_ja", "title_en", "summary_ja", "summary_en", "url")
# The columns' lengths: a longer value is a located refusal, not a database error.
_LIMITS = {
    "title_ja": 500,
    "title_en": 500,
    "url": 1000,
    "summary_ja": 20_000,
    "summary_en": 20_000,
}
_EVENT_FIELDS = {
    *_TEXT_FIELDS,
    "footprint",
    "announced_on",
    "effective_on",
    "expected_end_on",
    "key",
}


def _event_fields(data: Any, where: str) -> dict[str, Any]:
    """Validated model fields from one event document; raises a located error."""
    from econsec.characters import unwanted

    if not isinstance(data, dict):
        raise MonitoringError("monitoring.footprint.not_mapping", where=where)
    unknown = set(data) - _EVENT_FIELDS
    if unknown:
        raise MonitoringError(
            "monitoring.footprint.unknown_field", where=where, field=sorted(unknown)[0]
        )
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name) or ""
        if not isinstance(value, str):
            raise MonitoringError(
                "monitoring.footprint.bad_value", where=where, field=name, value=str(value)[:80]
            )
        bad = unwanted(value)
        if bad is not None:
            raise MonitoringError(
                "monitoring.event.bad_character", where=where, field=name, at=bad[0], char=bad[1]
            )
        limit = _LIMITS.get(name)
        if limit is not None and len(value.strip()) > limit:
            raise MonitoringError("monitoring.event.too_long", where=where, field=name, limit=limit)
        fields[name] = value.strip()
    if not (fields["title_ja"] or fields["title_en"]):
        raise MonitoringError("monitoring.event.no_title", where=where)
    fp = parse_footprint(data.get("footprint"), f"{where}.footprint")
    fields["kind"] = fp.kind
    fields["footprint"] = fp.to_dict()
    for name in ("announced_on", "effective_on", "expected_end_on"):
        fields[name] = _date(data.get(name), where, name)
    if data.get("key"):
        import hashlib

        key = data["key"]
        if (
            not isinstance(key, str | int)
            or isinstance(key, bool)
            or len(str(key)) > 200
            or (unwanted(str(key)) is not None)
        ):
            raise MonitoringError(
                "monitoring.footprint.bad_value", where=where, field="key", value=repr(key)[:80]
            )

        fields["source_key"] = hashlib.sha256(f"import\x00{data['key']}".encode()).hexdigest()
    return fields


def footprint_of(event: m.Event) -> Footprint:
    return parse_footprint(event.footprint, f"event {event.pk}")


def weeks_of(event: m.Event) -> float:
    """The event's expected duration in weeks (from effective or announced to expected end)."""
    start = event.effective_on or event.announced_on
    if start and event.expected_end_on and event.expected_end_on > start:
        return max(1.0, (event.expected_end_on - start).days / 7)
    return DEFAULT_WEEKS


def assess(event: m.Event, *, with_tts: bool = False) -> m.Alert:
    """(Re)compute the event's impact on the current chain and store it on its alert."""
    index, version = chain_index()
    fp = footprint_of(event)
    impact = assess_impact(index, fp)
    payload = impact.to_dict()
    payload["weeks"] = weeks_of(event)
    payload["currency"] = index.chain.currency
    if with_tts and impact.stopped:
        payload["stress"] = stress_of(index, event, fp)
    alert, _ = m.Alert.objects.get_or_create(event=event)
    alert.impact = json.loads(json.dumps(payload, default=str))
    alert.severity = impact.severity
    alert.data_version = version
    alert.save()
    return alert


def stress_of(index: ChainIndex, event: m.Event, fp: Footprint) -> dict[str, Any] | None:
    """TTS against the event's duration, per product, from the stress test (None: not modelled)."""
    from econsec.stress.api import run_scenario
    from econsec.stress.scenario import scenario_from_document

    name = {"ja": event.title_ja or event.title_en, "en": event.title_en or event.title_ja}
    from econsec.monitoring.match import site_mask

    sites = [index.chain.site_ids[i] for i in site_mask(index, fp).nonzero()[0].tolist()]
    doc = stress_document(fp, name, weeks_of(event), sites)
    if doc is None:
        return None
    result = run_scenario(index.chain, scenario_from_document(doc, f"event {event.pk}"))

    def finite(x: Any) -> Any:
        return None if isinstance(x, float) and not math.isfinite(x) else x

    return {
        "weeks": doc["duration_weeks"],
        "tts_weeks": finite(result.get("tts_weeks")),
        "lost_margin": result.get("lost_margin"),
        "lost_revenue": result.get("lost_revenue"),
        "products": [
            {
                "item": p["item"],
                "tts_weeks": finite(p.get("tts_weeks")),
                "lost_units": p.get("lost_units"),
            }
            for p in result.get("products", [])
        ],
    }


@transaction.atomic
def record(fields: dict[str, Any], *, actor: str = "", with_tts: bool = False) -> m.Event:
    event = m.Event.objects.create(**fields)
    alert = assess(event, with_tts=with_tts)
    m.AlertNote.objects.create(alert=alert, author=actor, kind="created", text=alert.severity)
    return event


def load_documents(path: Path) -> list[dict[str, Any]]:
    """The events in a YAML or JSON file (a list, or a mapping with ``events``)."""
    try:
        data = safe_yaml.load_file(path)  # JSON is YAML too; sizes and nodes are capped
    except safe_yaml.YamlRefused:
        raise
    except ValueError as exc:  # e.g. a date YAML reads as one but the calendar does not have
        raise MonitoringError(
            "monitoring.import.bad_value", where=path.name, detail=str(exc)[:200]
        ) from exc
    events = data.get("events") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise MonitoringError("monitoring.import.no_events", where=path.name)
    if len(events) > MAX_IMPORT_EVENTS:
        raise MonitoringError(
            "monitoring.import.too_many", where=path.name, limit=MAX_IMPORT_EVENTS
        )
    return events


def import_events(
    documents: list[Any], where: str, *, actor: str = "", with_tts: bool = False
) -> tuple[list[m.Event], int]:
    """All or nothing: every document validated before any is written. Returns the new events
    and how many were already there (same ``key``)."""
    fields = [_event_fields(d, f"{where}: events[{i}]") for i, d in enumerate(documents)]
    created: list[m.Event] = []
    duplicates = 0
    with transaction.atomic():
        for f in fields:
            key = f.get("source_key")
            if key and m.Event.objects.filter(source_key=key).exists():
                duplicates += 1
                continue
            created.append(record(f, actor=actor, with_tts=with_tts))
    return created, duplicates


@dataclass
class FetchReport:
    source: str
    new: int = 0
    duplicates: int = 0
    not_modified: bool = False
    problems: list[MonitoringError] = field(default_factory=list)
    error: MonitoringError | None = None


def _back_off(source: m.Source, now: dt.datetime) -> dt.datetime:
    # Doubling up to 64 intervals: a broken source is asked less and less often.
    factor = 2 ** min(source.failures, 6)
    return now + dt.timedelta(minutes=source.interval_minutes * factor)


def ingest(source: m.Source | None, body: bytes, name: str = "") -> FetchReport:
    """Parse, classify and store the items of one feed body (duplicates skipped)."""
    if source is None or source.kind == "cap":
        return ingest_cap(source, body, name)
    report = FetchReport(source.name)
    parsed = parse_feed(body, source.name)
    report.problems = parsed.problems
    index, _ = chain_index()
    names = org_names(index)
    for item in parsed.items:
        if m.Event.objects.filter(source_key=item.key).exists():
            report.duplicates += 1
            continue
        result = classify(item.title, item.summary, names)
        japanese = any("\u3040" <= ch <= "\u9fff" for ch in item.title)
        record(
            {
                "kind": result.footprint.kind,
                "title_ja" if japanese else "title_en": item.title,
                "summary_ja" if japanese else "summary_en": item.summary,
                "source": source,
                "source_key": item.key,
                "url": item.url,
                "announced_on": item.published.date() if item.published else None,
                "footprint": result.footprint.to_dict(),
                "inferred": result.footprint.to_dict(),
                "inferences": [list(x) for x in result.inferences],
            }
        )
        report.new += 1
    return report


def ingest_cap(source: m.Source | None, body: bytes, name: str = "") -> FetchReport:
    """Store the alerts of a CAP document as events; places named in the area descriptions
    are read through the gazetteer and added (with why) to what the geometry gives."""
    from econsec.monitoring.cap import parse_cap

    label = source.name if source is not None else name
    parsed = parse_cap(body, label)
    report = FetchReport(label, problems=parsed.problems)
    for alert in parsed.events:
        if m.Event.objects.filter(source_key=alert.key).exists():
            report.duplicates += 1
            continue
        places = classify(alert.area_text)
        fp = alert.footprint
        found = places.footprint
        merged = replace(
            fp,
            countries=tuple(sorted({*fp.countries, *found.countries})),
            regions=tuple(sorted({*fp.regions, *found.regions})),
        )
        why = [x for x in places.inferences if x[0] in ("countries", "regions")]
        record(
            {
                "kind": merged.kind,
                "title_ja": alert.titles.get("ja", ""),
                "title_en": alert.titles.get("en", ""),
                "summary_ja": alert.summaries.get("ja", ""),
                "summary_en": alert.summaries.get("en", ""),
                "source": source,
                "source_key": alert.key,
                "url": alert.url,
                "announced_on": alert.sent.date() if alert.sent else None,
                "effective_on": alert.onset.date() if alert.onset else None,
                "expected_end_on": alert.expires.date() if alert.expires else None,
                "footprint": merged.to_dict(),
                "inferred": merged.to_dict(),
                "inferences": [list(x) for x in (*alert.inferences, *why)],
            }
        )
        report.new += 1
    return report


def fetch_source(source: m.Source, *, now: dt.datetime | None = None) -> FetchReport:
    """Fetch and ingest one source; a failure is recorded on the source, never raised."""
    now = now or timezone.now()
    try:
        got = fetch(source.url, source.name, etag=source.etag, last_modified=source.last_modified)
        if got.body is None:
            report = FetchReport(source.name, not_modified=True)
        else:
            report = ingest(source, got.body)
        source.etag, source.last_modified = got.etag, got.last_modified
        note_outcome(source, report, now)
    except MonitoringError as exc:
        report = FetchReport(source.name, error=exc)
        note_outcome(source, report, now)
    source.next_run_at = _back_off(source, now)
    source.save()
    return report


def note_outcome(source: m.Source, report: FetchReport, now: dt.datetime) -> None:
    """What a run did to the source's state: success or failure, the errors in ja and en."""
    errors = [report.error] if report.error is not None else report.problems
    text = {lang: "; ".join(e.message(lang) for e in errors)[:2000] for lang in ("ja", "en")}
    if report.error is not None:
        source.failures += 1
    else:
        source.last_success_at = now
        source.failures = 0
    source.last_error, source.last_error_text = text["en"], text if errors else {}
    source.last_error_at = now if errors else source.last_error_at


def fetch_due(now: dt.datetime | None = None, *, force: bool = False) -> list[FetchReport]:
    """Fetch every enabled source that is due (all of them with ``force``); one failing source
    never stops the others."""
    now = now or timezone.now()
    reports = []
    for source in m.Source.objects.filter(enabled=True):
        if force or source.next_run_at is None or source.next_run_at <= now:
            reports.append(fetch_source(source, now=now))
    return reports


def triage(
    alert: m.Alert,
    *,
    actor: str,
    status: str | None = None,
    owner: str | None = None,
    due_on: dt.date | None = None,
    note: str = "",
    measure_ref: str | None = None,
    risk_ref: str | None = None,
) -> m.Alert:
    """Change what the response room knows of an alert; every change joins its timeline."""
    changes: list[tuple[str, str]] = []
    if status is not None and status != alert.status:
        if status not in m.STATUSES:
            raise MonitoringError(
                "monitoring.triage.bad_status", value=status, expected=", ".join(m.STATUSES)
            )
        changes.append(("status", f"{alert.status} → {status}"))
        alert.status = status
    owner = owner[:200] if owner is not None else None
    measure_ref = measure_ref[:200] if measure_ref is not None else None
    risk_ref = risk_ref[:200] if risk_ref is not None else None
    if owner is not None and owner != alert.owner:
        changes.append(("owner", owner))
        alert.owner = owner
    if due_on is not None and due_on != alert.due_on:
        changes.append(("due", due_on.isoformat()))
        alert.due_on = due_on
    for name, value in (("measure_ref", measure_ref), ("risk_ref", risk_ref)):
        if value is not None and value != getattr(alert, name):
            changes.append((name.removesuffix("_ref"), value))
            setattr(alert, name, value)
    with transaction.atomic():
        alert.save()
        for kind, text in changes:
            m.AlertNote.objects.create(alert=alert, author=actor, kind=kind, text=text)
        if note.strip():
            m.AlertNote.objects.create(alert=alert, author=actor, kind="note", text=note.strip())
    return alert


def correct(event: m.Event, footprint: Any, *, actor: str) -> m.Event:
    """The analyst's correction of an event's footprint; the classifier's reading is kept."""
    fp = parse_footprint(footprint, f"event {event.pk}")
    with transaction.atomic():
        if event.inferred is None:
            event.inferred = event.footprint
        event.footprint = fp.to_dict()
        event.kind = fp.kind
        event.corrected_by = actor
        event.save()
        alert = assess(event)
        m.AlertNote.objects.create(
            alert=alert,
            author=actor,
            kind="corrected",
            text=json.dumps(fp.to_dict(), ensure_ascii=False),
        )
    return event


def acknowledge(alert: m.Alert, *, actor: str, note: str = "", **changes: Any) -> m.Alert:
    """Record that ``actor`` has seen the alert (on its timeline), with optional triage."""
    from econsec.characters import unwanted

    for name, value in (("note", note), *changes.items()):
        if isinstance(value, str) and unwanted(value) is not None:
            at, char = unwanted(value) or (0, "")
            raise MonitoringError(
                "monitoring.event.bad_character", where="acknowledge", field=name, at=at, char=char
            )
    # The columns are 200 characters long; a longer reference is cut, not a server error.
    changes = {k: v[:200] if isinstance(v, str) else v for k, v in changes.items()}
    with transaction.atomic():
        m.AlertNote.objects.create(alert=alert, author=actor, kind="acknowledged", text="")
        return triage(alert, actor=actor, note=note[:5000], **changes)


SOURCE_KINDS = ("feed", "cap")
MAX_INTERVAL_MINUTES = 7 * 24 * 60


def add_source(
    name: str, url: str, *, kind: str = "feed", interval_minutes: int = 60, enabled: bool = True
) -> m.Source:
    """A new feed or CAP source; refused with a located message when a value cannot be used."""
    from econsec.characters import unwanted

    name = name.strip()
    if not name or len(name) > 100 or unwanted(name) is not None:
        raise MonitoringError("monitoring.source.bad_name", value=name[:100])
    if (
        len(url) > 1000
        or unwanted(url) is not None
        or not url.lower().startswith(("http://", "https://"))
    ):
        raise MonitoringError("monitoring.fetch.bad_url", source=name, url=url[:200])
    if kind not in SOURCE_KINDS:
        raise MonitoringError(
            "monitoring.source.bad_kind", value=kind[:40], expected=", ".join(SOURCE_KINDS)
        )
    if not 1 <= interval_minutes <= MAX_INTERVAL_MINUTES:
        raise MonitoringError(
            "monitoring.source.bad_interval", value=interval_minutes, limit=MAX_INTERVAL_MINUTES
        )
    if m.Source.objects.filter(name=name).exists():
        raise MonitoringError("monitoring.source.exists", value=name)
    return m.Source.objects.create(
        name=name, url=url, kind=kind, interval_minutes=interval_minutes, enabled=enabled
    )
