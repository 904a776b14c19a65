"""The common entity form every list loader produces, and the errors loaders raise."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from econsec.i18n import t

Kind = Literal["person", "organisation", "vessel", "unknown"]
KINDS: tuple[str, ...] = ("person", "organisation", "vessel", "unknown")


@dataclass(frozen=True)
class ListEntity:
    """One listed party in the form all lists share.

    ``entity_id`` is the list's own stable key (OFAC ent_num, UN DATAID, FtM id…), so successive
    versions of a list can be compared entry by entry.
    """

    entity_id: str
    name: str
    kind: str = "unknown"
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    listed_on: str = ""
    source_line: int | None = field(default=None, compare=False)

    def all_names(self) -> tuple[str, ...]:
        """The primary name first, then every alias (deduplicated, order kept)."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(n for n in seen if n.strip())

    def content(self) -> dict[str, Any]:
        """The comparable content (no source line), for diffs and fingerprints."""
        data = asdict(self)
        data.pop("source_line")
        return data

    def fingerprint(self) -> str:
        """A hash of the content: equal fingerprints mean the entry did not change."""
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class LoadedList:
    """A parsed list file: its entities plus what the file says about its own version."""

    list_name: str
    source_format: str
    entities: tuple[ListEntity, ...]
    version_date: date | None = None
    source_sha256: str = ""


class ListLoadError(ValueError):
    """A list file is malformed. Carries the file, line (or element) and a bilingual message."""

    def __init__(self, key: str, *, source: str, line: int | None = None, **params: Any) -> None:
        self.key = key
        self.source = source
        self.line = line
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self) -> tuple[Any, ...]:  # keyword-only arguments: pickle needs help
        return (_list_load_error, (self.key, self.source, self.line, self.params))

    def message(self, lang: str | None = None) -> str:
        where = t("screening.load.where_line", lang, source=self.source, line=self.line)
        if self.line is None:
            where = t("screening.load.where_file", lang, source=self.source)
        return f"{where}: {t(self.key, lang, **self.params)}"


def _list_load_error(
    key: str, source: str, line: int | None, params: dict[str, Any]
) -> ListLoadError:
    return ListLoadError(key, source=source, line=line, **params)
