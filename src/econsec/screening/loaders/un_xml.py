"""The UN Security Council consolidated list XML, parsed with defusedxml (no DTDs, no external
or internal entities: a file that declares any is refused, not resolved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import parse_date


def safe_root(path: Path) -> Any:
    """The root element, parsed without DTDs or entities; errors located in the file."""
    source = path.name
    try:
        return SafeET.parse(str(path), forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise ListLoadError("screening.load.xml_forbidden", source=source, detail=str(exc)) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ListLoadError(
            "screening.load.bad_xml", source=source, line=line, detail=str(exc)
        ) from exc


def _text(element: Any, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _values(element: Any, path: str) -> list[str]:
    return [(v.text or "").strip() for v in element.findall(path) if v.text and v.text.strip()]


def _entity(element: Any, person: bool) -> ListEntity:
    parts = [_text(element, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    address_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    aliases = _values(element, f"{alias_tag}/ALIAS_NAME")
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append(original)
    countries = _values(element, "NATIONALITY/VALUE")
    addresses: list[str] = []
    for address in element.findall(address_tag):
        fields = [_text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
        if any(fields):
            addresses.append(", ".join(f for f in fields if f))
        if _text(address, "COUNTRY"):
            countries.append(_text(address, "COUNTRY"))
    identifiers = _values(element, "INDIVIDUAL_DOCUMENT/NUMBER")
    programmes = [
        p for p in (_text(element, "UN_LIST_TYPE"), _text(element, "REFERENCE_NUMBER")) if p
    ]
    return ListEntity(
        entity_id=_text(element, "DATAID"),
        name=name,
        kind="person" if person else "organisation",
        aliases=tuple(dict.fromkeys(aliases)),
        countries=tuple(dict.fromkeys(to_iso2(c) for c in countries)),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
        programmes=tuple(programmes),
        listed_on=parse_date(_text(element, "LISTED_ON")),
    )


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load a UN consolidated list XML file."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    root = safe_root(path)
    if root.tag != "CONSOLIDATED_LIST":
        raise ListLoadError("screening.load.un_root", source=source, found=root.tag)
    entities: list[ListEntity] = []
    for tag, person in (("INDIVIDUALS/INDIVIDUAL", True), ("ENTITIES/ENTITY", False)):
        for index, element in enumerate(root.findall(tag), start=1):
            entity = _entity(element, person)
            if not entity.entity_id or not entity.name:
                raise ListLoadError(
                    "screening.load.un_incomplete", source=source, element=f"{tag}[{index}]"
                )
            entities.append(entity)
    generated = parse_date(root.get("dateGenerated", ""))
    when = version_date or (date.fromisoformat(generated) if generated else None)
    return LoadedList(list_name, "un", tuple(entities), when, file_sha256([path]))
