"""Read-side helpers shared by the web pages and the API: version changes, ad-hoc search.

The ad-hoc search keeps one index of the current list versions per process and rebuilds it only
when a list gets a new version, so a search box answers in milliseconds after the first query.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from econsec.screening.index import ScreeningIndex
from econsec.screening.models import ListEntry, ListVersion
from econsec.screening.scoring import Match, ScreeningConfig, Subject
from econsec.screening.service import config_from_store, version_entities

_LOCK = threading.Lock()
_INDEX: tuple[tuple[int, ...], ScreeningIndex] | None = None


def current_index() -> ScreeningIndex:
    """An index over every current list version (cached until a version changes)."""
    global _INDEX
    versions = list(ListVersion.objects.filter(is_current=True).select_related("screening_list"))
    key = tuple(sorted(v.pk for v in versions))
    with _LOCK:
        if _INDEX is not None and _INDEX[0] == key:
            return _INDEX[1]
        index = ScreeningIndex.build(
            [(v.screening_list.name, version_entities(v)) for v in versions]
        )
        _INDEX = (key, index)
        return index


def search(
    name: str,
    *,
    kind: str = "unknown",
    countries: tuple[str, ...] = (),
    near_misses: bool = False,
    config: ScreeningConfig | None = None,
    limit: int = 20,
) -> list[Match]:
    """Screen one typed name against the current lists; nothing is stored.

    ``near_misses`` also returns candidates down to 0.4 below the thresholds, marked by a score
    under the threshold, so an analyst sees what almost matched.
    """
    config = config or config_from_store()
    subject = Subject(name=name, kind=kind, countries=countries)
    floor = max(0.0, config.threshold - 0.2) if near_misses else None
    return current_index().screen(subject, config, all_above=floor)[:limit]


def match_dict(match: Match, threshold: float) -> dict[str, Any]:
    """A match as plain data (for templates and JSON)."""
    return {
        "list_name": match.list_name,
        "entity_id": match.entity_id,
        "entity_name": match.entity_name,
        "matched_name": match.matched_name,
        "subject_name": match.subject_name,
        "score": match.score,
        "name_score": match.name_score,
        "above_threshold": match.score >= threshold,
        "threshold": threshold,
        "transliteration": match.transliteration,
        "tokens": [
            {"query": t.query, "candidate": t.candidate, "similarity": t.similarity}
            for t in match.tokens
        ],
        "unmatched": list(match.unmatched),
        "features": [
            {"name": f.name, "effect": f.effect, "detail": f.detail} for f in match.features
        ],
        "algorithm": match.algorithm,
    }


@dataclass(frozen=True)
class VersionChanges:
    """What one list version added, changed and removed against the version before it."""

    previous: ListVersion | None
    added: list[ListEntry]
    changed: list[ListEntry]
    removed: list[tuple[str, str]]  # (entity id, name) as they stood in the previous version
    removed_total: int


def previous_version(version: ListVersion) -> ListVersion | None:
    return (
        ListVersion.objects.filter(screening_list=version.screening_list, pk__lt=version.pk)
        .order_by("-pk")
        .first()
    )


def version_changes(version: ListVersion, *, limit: int = 200) -> VersionChanges:
    """Added, changed and removed entries of ``version`` (at most ``limit`` of each)."""
    previous = previous_version(version)
    entries = version.entries.order_by("entity_id")
    added = list(entries.filter(change="added")[:limit])
    changed = list(entries.filter(change="changed")[:limit])
    removed: list[tuple[str, str]] = []
    total = 0
    if previous is not None:
        now_ids = set(version.entries.values_list("entity_id", flat=True))
        gone = [
            (eid, name)
            for eid, name in previous.entries.order_by("entity_id").values_list("entity_id", "name")
            if eid not in now_ids
        ]
        total, removed = len(gone), gone[:limit]
    return VersionChanges(previous, added, changed, removed, total)
