"""FollowTheMoney entities as JSON lines (the OpenSanctions export format).

OpenSanctions publishes METI's End User List as dataset ``jp_meti_eul``; pass ``dataset`` to
keep only the entities of one dataset from a combined export. Non-party schemas (Address,
Sanction, Identification…) are skipped; each line must be a JSON object with an id and schema.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import parse_date

_KINDS = {
    "Person": "person",
    "Organization": "organisation",
    "Company": "organisation",
    "LegalEntity": "organisation",
    "PublicBody": "organisation",
    "Vessel": "vessel",
    "Airplane": "unknown",
}
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")
_ID_PROPS = (
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "passportNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "imoNumber",
    "dunsCode",
    "uniqueEntityId",
    "vatCode",
    "corporateNumber",
)


def _strings(props: dict[str, Any], key: str) -> list[str]:
    values = props.get(key) or []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        if isinstance(value, dict):  # nested export: an entity in place of a value
            value = value.get("caption") or ""
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return out


def load(
    path: Path, *, list_name: str, version_date: date | None = None, dataset: str | None = None
) -> LoadedList:
    """Load FtM JSON lines (``dataset`` keeps one OpenSanctions dataset, e.g. jp_meti_eul)."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    entities: list[ListEntity] = []
    latest = ""
    with path.open("rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ListLoadError(
                    "screening.load.bad_json", source=source, line=line_number, detail=str(exc)
                ) from exc
            if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
                raise ListLoadError(
                    "screening.load.ftm_not_entity", source=source, line=line_number
                )
            schema = str(data["schema"])
            if schema not in _KINDS:
                continue
            if dataset and dataset not in (data.get("datasets") or []):
                continue
            props = data.get("properties") or {}
            if not isinstance(props, dict):
                raise ListLoadError(
                    "screening.load.ftm_not_entity", source=source, line=line_number
                )
            names = _strings(props, "name") or [str(data.get("caption") or "")]
            names = [n for n in names if n]
            if not names:
                raise ListLoadError("screening.load.missing_name", source=source, line=line_number)
            aliases = names[1:] + [
                a for key in ("alias", "weakAlias", "previousName") for a in _strings(props, key)
            ]
            countries = [to_iso2(c) for key in _COUNTRY_PROPS for c in _strings(props, key)]
            listed = ""
            for key in ("listingDate", "createdAt", "startDate"):
                found = [parse_date(v) for v in _strings(props, key)]
                if found and found[0]:
                    listed = min(f for f in found if f) if any(found) else ""
                    break
            listed = listed or parse_date(str(data.get("first_seen") or ""))
            latest = max(latest, parse_date(str(data.get("last_change") or "")))
            entities.append(
                ListEntity(
                    entity_id=str(data["id"]),
                    name=names[0],
                    kind=_KINDS[schema],
                    aliases=tuple(dict.fromkeys(aliases)),
                    countries=tuple(dict.fromkeys(c for c in countries if c)),
                    addresses=tuple(_strings(props, "address")),
                    identifiers=tuple(i for key in _ID_PROPS for i in _strings(props, key)),
                    programmes=tuple(_strings(props, "program") + _strings(props, "topics")),
                    listed_on=listed,
                    source_line=line_number,
                )
            )
    when = version_date or (date.fromisoformat(latest) if latest else None)
    return LoadedList(list_name, "ftm", tuple(entities), when, file_sha256([path]))
