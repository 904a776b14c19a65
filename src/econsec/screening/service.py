"""The stored side of screening: load list versions, screen the value chain, review hits.

The engine works on plain objects; this module moves data between it and the Django models.
Every state change writes a :class:`~econsec.screening.models.ScreeningEvent`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec.screening.diff import ListDiff, diff_fingerprints
from econsec.screening.entity import ListEntity, LoadedList
from econsec.screening.index import ScreeningIndex
from econsec.screening.models import (
    Decision,
    Hit,
    ListEntry,
    ListVersion,
    ScreeningEvent,
    ScreeningList,
    SubjectState,
)
from econsec.screening.ownership import fifty_percent_rule
from econsec.screening.scoring import DEFAULT_CONFIG, Match, ScreeningConfig, Subject

Progress = Callable[[int, int], None]


def _event(actor: str, action: str, ref: str, reason: str = "", **detail: Any) -> None:
    ScreeningEvent.objects.create(
        at=timezone.now(), actor=actor, action=action, object_ref=ref, reason=reason, detail=detail
    )


# --- lists --------------------------------------------------------------------------------------


def current_version(list_name: str) -> ListVersion | None:
    return ListVersion.objects.filter(screening_list__name=list_name, is_current=True).first()


def _entries_fingerprints(version: ListVersion | None) -> dict[str, str]:
    if version is None:
        return {}
    return dict(version.entries.values_list("entity_id", "fingerprint"))


@transaction.atomic
def store_list(loaded: LoadedList, *, actor: str, source_name: str) -> tuple[ListVersion, ListDiff]:
    """Store a parsed list as the new current version and record what changed.

    Parsing happens before this is called, so a malformed file never gets here and the previous
    version stays current; the store itself is one transaction.
    """
    screening_list, _ = ScreeningList.objects.get_or_create(
        name=loaded.list_name, defaults={"source_format": loaded.source_format}
    )
    previous = current_version(loaded.list_name)
    new_prints = {e.entity_id: e.fingerprint() for e in loaded.entities}
    diff = diff_fingerprints(_entries_fingerprints(previous), new_prints)
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    version = ListVersion.objects.create(
        screening_list=screening_list,
        version_date=loaded.version_date,
        loaded_at=timezone.now(),
        loaded_by=actor,
        source_name=source_name,
        source_sha256=loaded.source_sha256,
        entity_count=len(loaded.entities),
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
        is_current=True,
    )
    added, changed = set(diff.added), set(diff.changed)
    ListEntry.objects.bulk_create(
        (
            ListEntry(
                version=version,
                entity_id=e.entity_id,
                name=e.name[:1000],
                kind=e.kind,
                fingerprint=new_prints[e.entity_id],
                data=e.content(),
                change="added"
                if e.entity_id in added
                else "changed"
                if e.entity_id in changed
                else "",
            )
            for e in {e.entity_id: e for e in loaded.entities}.values()
        ),
        batch_size=2000,
    )
    if diff.removed:
        withdrawn = Hit.objects.filter(list_name=loaded.list_name, entity_id__in=diff.removed)
        for hit in withdrawn.exclude(status=Hit.WITHDRAWN):
            _event(actor, "hit_withdrawn", f"hit:{hit.pk}", detail_version=version.pk)
        withdrawn.update(status=Hit.WITHDRAWN)
    _event(
        actor,
        "list_loaded",
        f"list:{loaded.list_name}",
        version=version.pk,
        source=source_name,
        sha256=loaded.source_sha256,
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
    )
    return version, diff


def version_entities(version: ListVersion, only: Iterable[str] | None = None) -> list[ListEntity]:
    """The entities of a stored version (optionally only some ids)."""
    entries = version.entries.all()
    if only is not None:
        entries = entries.filter(entity_id__in=list(only))
    return [ListEntity(**_tuples(e.data)) for e in entries.order_by("entity_id")]


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def diff_versions(old: ListVersion, new: ListVersion) -> ListDiff:
    return diff_fingerprints(_entries_fingerprints(old), _entries_fingerprints(new))


def config_from_store(base: ScreeningConfig = DEFAULT_CONFIG) -> ScreeningConfig:
    """The base config with each list's stored threshold."""
    thresholds = tuple(
        (name, float(th or 0.0))
        for name, th in ScreeningList.objects.exclude(threshold=None).values_list(
            "name", "threshold"
        )
    )
    return ScreeningConfig(**{**base.__dict__, "list_thresholds": thresholds})


# --- subjects -----------------------------------------------------------------------------------


def subject_fingerprint(subject: Subject) -> str:
    payload = json.dumps(asdict(subject), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def value_chain_subjects() -> tuple[list[Subject], dict[str, list[tuple[str, float]]]]:
    """Every organisation of the value chain as a subject, and the ownership graph."""
    from econsec.valuechain.models import Organisation

    subjects: list[Subject] = []
    owners: dict[str, list[tuple[str, float]]] = {}
    for org in Organisation.objects.select_related("parent").order_by("org_id"):
        kind = "person" if org.kind == "person" else "organisation"
        aliases = (org.name_en,) if org.name_en else ()
        subjects.append(
            Subject(org.name, kind, (org.country.lower(),), (), aliases, ref=f"org:{org.org_id}")
        )
        if org.parent is not None:
            pct = 100.0 if org.ownership_pct is None else float(org.ownership_pct)
            owners.setdefault(f"org:{org.org_id}", []).append((f"org:{org.parent.org_id}", pct))
    return subjects, owners


# --- screening ----------------------------------------------------------------------------------


def _record_match(
    subject: Subject, fp: str, match: Match, entry_fp: str, now: datetime, actor: str
) -> Hit:
    explanation = {
        "lines": match.explain(),
        "transliteration": match.transliteration,
        "name_score": match.name_score,
        "matched_name": match.matched_name,
        "algorithm": match.algorithm,
        "features": [asdict(f) for f in match.features],
        "steps": list(match.steps),
    }
    hit = Hit.objects.filter(
        subject_ref=subject.ref, list_name=match.list_name, entity_id=match.entity_id, via="name"
    ).first()
    if hit is None:
        hit = Hit.objects.create(
            subject_ref=subject.ref,
            subject_name=subject.name,
            subject_fingerprint=fp,
            list_name=match.list_name,
            entity_id=match.entity_id,
            entity_name=match.entity_name[:1000],
            entry_fingerprint=entry_fp,
            score=match.score,
            explanation=explanation,
            first_seen_at=now,
            last_screened_at=now,
        )
        _event(actor, "hit_raised", f"hit:{hit.pk}", score=match.score, subject=subject.ref)
        return hit
    decided = hit.status in (Hit.CONFIRMED, Hit.DISMISSED)
    changed = hit.entry_fingerprint != entry_fp or hit.subject_fingerprint != fp
    if (decided and changed) or hit.status == Hit.WITHDRAWN:
        # The reviewed facts changed (or the entry came back): the decision no longer covers it.
        hit.status = Hit.OPEN
        _event(actor, "hit_reopened", f"hit:{hit.pk}", subject=subject.ref)
    hit.subject_name, hit.subject_fingerprint, hit.entry_fingerprint = subject.name, fp, entry_fp
    hit.score, hit.explanation, hit.last_screened_at = match.score, explanation, now
    hit.save()
    return hit


def screen_subjects(
    subjects: list[Subject],
    *,
    actor: str,
    config: ScreeningConfig | None = None,
    delta: bool = True,
    progress: Progress | None = None,
    owners: dict[str, list[tuple[str, float]]] | None = None,
) -> dict[str, int]:
    """Screen ``subjects`` against every current list version and record hits.

    With ``delta``, a subject whose content and list versions are unchanged since its last screen
    is skipped; one whose content is unchanged is screened only against the entries added or
    changed in the list versions it has not seen.
    """
    config = config or config_from_store()
    versions = list(ListVersion.objects.filter(is_current=True).select_related("screening_list"))
    version_ids = sorted(v.pk for v in versions)
    full_index: ScreeningIndex | None = None
    delta_indexes: dict[tuple[int, ...], ScreeningIndex] = {}
    prints: dict[tuple[str, str], str] = {}
    for v in versions:
        for eid, fp in v.entries.values_list("entity_id", "fingerprint"):
            prints[(v.screening_list.name, eid)] = fp
    now = timezone.now()
    counts = {"screened": 0, "skipped": 0, "hits": 0, "open": 0}
    states = {
        s.subject_ref: s
        for s in SubjectState.objects.filter(subject_ref__in=[s.ref for s in subjects])
    }
    for position, subject in enumerate(subjects, start=1):
        fp = subject_fingerprint(subject)
        state = states.get(subject.ref)
        index: ScreeningIndex
        if delta and state is not None and state.fingerprint == fp:
            unseen = tuple(v for v in version_ids if v not in state.version_ids)
            if not unseen:
                counts["skipped"] += 1
                if progress:
                    progress(position, len(subjects))
                continue
            if unseen not in delta_indexes:
                parts = []
                for v in versions:
                    if v.pk in unseen:
                        touched = v.entries.exclude(change="").values_list("entity_id", flat=True)
                        only = None if _is_first(v) else list(touched)
                        parts.append((v.screening_list.name, version_entities(v, only)))
                delta_indexes[unseen] = ScreeningIndex.build(parts)
            index = delta_indexes[unseen]
        else:
            if full_index is None:
                full_index = ScreeningIndex.build(
                    [(v.screening_list.name, version_entities(v)) for v in versions]
                )
            index = full_index
        # Match first, then write: the write transaction (which on SQLite holds the only write
        # lock) covers the writes only.
        matches = list(index.screen(subject, config))
        with transaction.atomic():
            for match in matches:
                hit = _record_match(
                    subject, fp, match, prints[(match.list_name, match.entity_id)], now, actor
                )
                counts["hits"] += 1
                counts["open"] += hit.status == Hit.OPEN
            SubjectState.objects.update_or_create(
                subject_ref=subject.ref,
                defaults={"fingerprint": fp, "version_ids": version_ids, "screened_at": now},
            )
        counts["screened"] += 1
        if progress:
            progress(position, len(subjects))
    if owners is not None:
        counts["ownership"] = apply_ownership_rule(
            owners, {s.ref: s for s in subjects}, actor=actor
        )
    _event(actor, "screen_run", "screen", counts=counts)
    return counts


def _is_first(version: ListVersion) -> bool:
    return not ListVersion.objects.filter(
        screening_list=version.screening_list, pk__lt=version.pk
    ).exists()


def apply_ownership_rule(
    owners: dict[str, list[tuple[str, float]]], subjects: dict[str, Subject], *, actor: str
) -> int:
    """Flag organisations owned ≥ 50% by parties with open or confirmed hits."""
    listed_hits = Hit.objects.filter(via="name", status__in=[Hit.OPEN, Hit.CONFIRMED])
    listed = set(listed_hits.values_list("subject_ref", flat=True))
    flags = fifty_percent_rule(owners, listed)
    now = timezone.now()
    for org, flag in flags.items():
        chain_fp = hashlib.sha256(json.dumps(flag.chains).encode()).hexdigest()[:32]
        subject = subjects.get(org)
        hit, created = Hit.objects.get_or_create(
            subject_ref=org,
            list_name="ownership_50",
            entity_id="|".join(sorted(o for o, _ in flag.owners)),
            via="ownership",
            defaults={
                "subject_name": subject.name if subject else org,
                "subject_fingerprint": subject_fingerprint(subject) if subject else "",
                "entity_name": ", ".join(o for o, _ in flag.owners),
                "entry_fingerprint": chain_fp,
                "score": 1.0,
                "explanation": {
                    "aggregate_pct": flag.aggregate_pct,
                    "chains": [list(c) for c in flag.chains],
                },
                "first_seen_at": now,
                "last_screened_at": now,
            },
        )
        if created:
            _event(actor, "ownership_flag", f"hit:{hit.pk}", pct=flag.aggregate_pct, org=org)
        elif hit.entry_fingerprint != chain_fp and hit.status != Hit.OPEN:
            hit.status, hit.entry_fingerprint = Hit.OPEN, chain_fp
            hit.save()
            _event(actor, "hit_reopened", f"hit:{hit.pk}", org=org)
    return len(flags)


# --- review -------------------------------------------------------------------------------------


class ReviewError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(key)


@transaction.atomic
def decide(hit_id: int, status: str, *, reviewer: str, reason: str) -> Decision:
    """Confirm or dismiss a hit. The decision holds until the entry or the subject changes."""
    if status not in (Hit.CONFIRMED, Hit.DISMISSED):
        raise ReviewError("screening.review.bad_status", status=status)
    if not reviewer.strip() or not reason.strip():
        raise ReviewError("screening.review.need_reviewer_reason")
    hit = Hit.objects.select_for_update().filter(pk=hit_id).first()
    if hit is None:
        raise ReviewError("screening.review.no_hit", hit=hit_id)
    hit.status = status
    hit.save(update_fields=["status"])
    decision = Decision.objects.create(
        hit=hit,
        status=status,
        reviewer=reviewer,
        reason=reason,
        decided_at=timezone.now(),
        entry_fingerprint=hit.entry_fingerprint,
        subject_fingerprint=hit.subject_fingerprint,
    )
    _event(reviewer, f"hit_{status}", f"hit:{hit.pk}", reason, decision=decision.pk)
    return decision
