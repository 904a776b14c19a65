"""What changed between two versions of a list: added, changed and removed entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ListDiff:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int

    @property
    def touched(self) -> frozenset[str]:
        """Entries a delta screen has to look at again (added or changed)."""
        return frozenset(self.added) | frozenset(self.changed)


def diff_fingerprints(old: dict[str, str], new: dict[str, str]) -> ListDiff:
    """Compare two versions given as entity id → content fingerprint."""
    added = sorted(k for k in new if k not in old)
    removed = sorted(k for k in old if k not in new)
    changed = sorted(k for k in new if k in old and old[k] != new[k])
    unchanged = sum(1 for k in new if k in old and old[k] == new[k])
    return ListDiff(tuple(added), tuple(changed), tuple(removed), unchanged)


def fingerprints(entities: Iterable[object]) -> dict[str, str]:
    """entity id → fingerprint for :class:`~econsec.screening.entity.ListEntity` objects."""
    return {e.entity_id: e.fingerprint() for e in entities}  # type: ignore[attr-defined]
