"""Country groups (G7, EU, OECD, ASEAN, user-defined) with dated membership.

The shipped groups live in ``data/country_groups.yaml``. A user's own file of the same shape at
``<ECONSEC_DATA_DIR>/reference/country_groups.yaml`` (and any ``extra`` file passed in) is read
after it: a group with the same id replaces the shipped one, new ids add groups. That is how an
organisation keeps its own "countries of concern" list, which econsec ships empty.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from econsec.i18n import label
from econsec.reference._data import data_text
from econsec.reference.countries import normalise_country
from econsec.reference.errors import ReferenceDataError

__all__ = [
    "CONCERN_GROUP",
    "CountryGroup",
    "Membership",
    "group_members",
    "load_groups",
    "user_groups_path",
]

CONCERN_GROUP = "countries_of_concern"
_SHIPPED = "country_groups.yaml (econsec)"


@dataclass(frozen=True, slots=True)
class Membership:
    """One country's membership period (both ends inclusive; ``end`` None = still a member)."""

    country: str
    start: dt.date
    end: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        """True when the country is a member on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class CountryGroup:
    """A named, versioned group of countries."""

    id: str
    version: str
    effective_from: dt.date
    names: Mapping[str, str]
    members: tuple[Membership, ...]
    notes: Mapping[str, str]
    user_defined: bool
    source: str

    def name(self, lang: str | None = None) -> str:
        """Display name in ``lang``."""
        return label(dict(self.names), lang) if self.names else self.id

    def members_on(self, day: dt.date) -> frozenset[str]:
        """Alpha-2 codes of the members on ``day`` (none before ``effective_from``)."""
        if day < self.effective_from:
            return frozenset()
        return frozenset(m.country for m in self.members if m.active_on(day))

    def ever_members(self) -> frozenset[str]:
        """Every country that has been a member at any time."""
        return frozenset(m.country for m in self.members)


def _date(value: Any, *, path: str, group: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ReferenceDataError(
            "reference.groups.bad_date", path=path, group=group, field=field, value=value
        ) from None


def _member(entry: Any, *, path: str, group: str, default_start: dt.date) -> Membership:
    raw = entry.get("country") if isinstance(entry, dict) else entry
    if raw is False:
        # YAML 1.1 reads an unquoted NO (Norway) as boolean false.
        raw = "NO"
    code = normalise_country(str(raw)) if raw is not None else None
    if code is None:
        raise ReferenceDataError(
            "reference.groups.unknown_country", path=path, group=group, value=raw
        )
    if not isinstance(entry, dict):
        return Membership(code, default_start)
    start = (
        _date(entry["from"], path=path, group=group, field="from")
        if entry.get("from") is not None
        else default_start
    )
    end = (
        _date(entry["to"], path=path, group=group, field="to")
        if entry.get("to") is not None
        else None
    )
    if end is not None and end < start:
        raise ReferenceDataError(
            "reference.groups.bad_period",
            path=path,
            group=group,
            country=code,
            start=start,
            end=end,
        )
    return Membership(code, start, end)


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if value is None:
        return {}
    return {"ja": str(value), "en": str(value)}


class _TextDateLoader(yaml.SafeLoader):
    """Safe loader that leaves dates as text, so a bad date gets our own error message."""


_TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_groups(text: str, source: str) -> dict[str, CountryGroup]:
    """Parse a country-groups YAML document; ``source`` names it in error messages."""
    try:
        document = yaml.load(text, Loader=_TextDateLoader) or {}
    except yaml.YAMLError as exc:
        raise ReferenceDataError("reference.file.unreadable", path=source, reason=exc) from None
    entries = document.get("groups", []) if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ReferenceDataError("reference.groups.bad_shape", path=source)
    groups: dict[str, CountryGroup] = {}
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ReferenceDataError("reference.groups.bad_shape", path=source)
        group_id = str(entry.get("id") or f"#{index}")
        for required in ("id", "members"):
            if required not in entry:
                raise ReferenceDataError(
                    "reference.groups.missing_field", path=source, group=group_id, field=required
                )
        effective_from = _date(
            entry.get("effective_from", "1900-01-01"),
            path=source,
            group=group_id,
            field="effective_from",
        )
        members = tuple(
            _member(m, path=source, group=group_id, default_start=effective_from)
            for m in entry["members"] or []
        )
        groups[group_id] = CountryGroup(
            id=group_id,
            version=str(entry.get("version", "")),
            effective_from=effective_from,
            names=_texts(entry.get("name")),
            members=members,
            notes=_texts(entry.get("note")),
            user_defined=bool(entry.get("user_defined", False)),
            source=source,
        )
    return groups


def user_groups_path() -> Path:
    """Where a user's own groups file is looked for (it need not exist)."""
    configured = os.environ.get("ECONSEC_DATA_DIR")
    if configured:
        base = Path(configured)
    else:
        import platformdirs

        base = Path(platformdirs.user_data_dir("econsec"))
    return base / "reference" / "country_groups.yaml"


@cache
def _shipped() -> dict[str, CountryGroup]:
    return parse_groups(data_text("country_groups.yaml"), _SHIPPED)


@cache
def _from_file(path: str, _mtime_ns: int) -> dict[str, CountryGroup]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError("reference.file.unreadable", path=path, reason=exc) from None
    return parse_groups(text, path)


def _read(path: Path) -> dict[str, CountryGroup]:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ReferenceDataError("reference.file.unreadable", path=path, reason=exc) from None
    return _from_file(str(path), mtime)


def load_groups(extra: Path | None = None) -> dict[str, CountryGroup]:
    """All groups: shipped, then the user's file if it exists, then ``extra`` (later wins)."""
    groups = dict(_shipped())
    user_file = user_groups_path()
    if user_file.is_file():
        groups.update(_read(user_file))
    if extra is not None:
        groups.update(_read(extra))
    return groups


def group_members(
    group_id: str, on: dt.date | None = None, *, extra: Path | None = None
) -> frozenset[str]:
    """Alpha-2 members of ``group_id`` on day ``on`` (default: today)."""
    groups = load_groups(extra)
    group = groups.get(group_id)
    if group is None:
        raise ReferenceDataError(
            "reference.groups.unknown_group", group=group_id, known=", ".join(sorted(groups))
        )
    return group.members_on(on or dt.date.today())
