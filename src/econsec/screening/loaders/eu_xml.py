"""The EU consolidated financial sanctions list (FSF XML export, namespace
``http://eu.europa.ec/fpi/fsd/export``): one ``sanctionEntity`` per listed party with its
``subjectType`` (person / enterprise), ``nameAlias`` elements (``wholeName``), citizenships and
addresses with ISO country codes, ``identification`` numbers and the ``regulation`` programme.
Parsed with defusedxml like the UN list."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import parse_date
from econsec.screening.loaders.un_xml import safe_root

_KINDS = {"person": "person", "enterprise": "organisation", "vessel": "vessel"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _entity(element: Any) -> ListEntity:
    subject = next(iter(_children(element, "subjectType")), None)
    kind = _KINDS.get(subject.get("code", "") if subject is not None else "", "organisation")
    names = [a.get("wholeName", "").strip() for a in _children(element, "nameAlias")]
    names = [n for n in dict.fromkeys(names) if n]
    countries = [
        c.get("countryIso2Code", "").lower()
        for tag in ("citizenship", "address")
        for c in _children(element, tag)
    ]
    addresses = [
        ", ".join(
            v
            for v in (a.get("street", ""), a.get("city", ""), a.get("countryDescription", ""))
            if v
        )
        for a in _children(element, "address")
    ]
    identifiers = [i.get("number", "").strip() for i in _children(element, "identification")]
    programmes = [r.get("programme", "") for r in _children(element, "regulation")]
    return ListEntity(
        entity_id=element.get("logicalId", "").strip(),
        name=names[0] if names else "",
        kind=kind,
        aliases=tuple(names[1:]),
        countries=tuple(dict.fromkeys(c for c in countries if len(c) == 2 and c != "00")),
        addresses=tuple(a for a in addresses if a),
        identifiers=tuple(i for i in identifiers if i),
        programmes=tuple(dict.fromkeys(p for p in programmes if p)),
        listed_on=parse_date(element.get("designationDate", "")),
    )


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load an EU consolidated financial sanctions list XML file."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    root = safe_root(path)
    if _local(root.tag) != "export":
        raise ListLoadError("screening.load.eu_root", source=source, found=_local(root.tag))
    entities: list[ListEntity] = []
    for index, element in enumerate(_children(root, "sanctionEntity"), start=1):
        entity = _entity(element)
        if not entity.entity_id or not entity.name:
            raise ListLoadError(
                "screening.load.eu_incomplete", source=source, element=f"sanctionEntity[{index}]"
            )
        entities.append(entity)
    generated = parse_date(root.get("generationDate", ""))
    when = version_date or (date.fromisoformat(generated) if generated else None)
    return LoadedList(list_name, "eu", tuple(entities), when, file_sha256([path]))
