"""OFAC legacy delimited files: SDN (sdn.csv, alt.csv, add.csv) or the consolidated non-SDN list
(cons_prim.csv, cons_alt.csv, cons_add.csv). Files have no header; ``-0-`` is null."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import csv_rows, null, read_text

_KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "unknown", "": "organisation"}
# Identifiers quoted in the remarks: "Passport P0017003 (Belize); National ID No. 10100722073".
_ID_PATTERN = re.compile(
    r"(?:Passport|National ID No\.|Registration (?:ID|Number)|Tax ID No\.|Cedula No\.|"
    r"NIT #|RFC|C\.U\.R\.P\.|SWIFT/BIC|IMO|Business Registration Number|Company Number|"
    r"LEI|D-U-N-S Number|Identification Number)\s*:?\s*([A-Z0-9][A-Z0-9./ -]{3,40}?)"
    r"\s*(?:\(|;|$)"
)


def _files(path: Path) -> tuple[Path, Path | None, Path | None]:
    folder = path if path.is_dir() else path.parent
    for prim, alt, add in (
        ("sdn.csv", "alt.csv", "add.csv"),
        ("cons_prim.csv", "cons_alt.csv", "cons_add.csv"),
    ):
        if (path.is_dir() and (folder / prim).exists()) or path.name.lower() == prim:
            alt_path, add_path = folder / alt, folder / add
            return (
                folder / prim,
                alt_path if alt_path.exists() else None,
                add_path if add_path.exists() else None,
            )
    raise ListLoadError("screening.load.ofac_no_primary", source=str(path.name))


def _ent_num(value: str, source: str, line: int) -> str:
    value = value.strip()
    if not value.isdigit():
        raise ListLoadError("screening.load.ofac_bad_id", source=source, line=line, value=value)
    return value


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    source = path.name
    rows = []
    for line, row in csv_rows(read_text(path.read_bytes(), source), source):
        if len(row) != width:
            raise ListLoadError(
                "screening.load.bad_width",
                source=source,
                line=line,
                expected=width,
                found=len(row),
            )
        rows.append((line, row))
    return rows


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load an OFAC SDN or non-SDN file set (``path`` is the folder or the primary file)."""
    from econsec.screening.loaders import file_sha256

    prim, alt, add = _files(path)
    aliases: dict[str, list[str]] = {}
    addresses: dict[str, list[str]] = {}
    countries: dict[str, list[str]] = {}
    if alt is not None:
        for line, row in _rows(alt, 5):
            ent = _ent_num(row[0], alt.name, line)
            name = null(row[3])
            if name:
                aliases.setdefault(ent, []).append(name)
    if add is not None:
        for line, row in _rows(add, 6):
            ent = _ent_num(row[0], add.name, line)
            text = ", ".join(p for p in (null(row[2]), null(row[3]), null(row[4])) if p)
            if text:
                addresses.setdefault(ent, []).append(text)
            if null(row[4]):
                countries.setdefault(ent, []).append(to_iso2(null(row[4])))
    entities: list[ListEntity] = []
    for line, row in _rows(prim, 12):
        ent = _ent_num(row[0], prim.name, line)
        name = null(row[1])
        if not name:
            raise ListLoadError("screening.load.missing_name", source=prim.name, line=line)
        remarks = null(row[11])
        programmes = tuple(p.strip() for p in null(row[3]).split("] [") if p.strip())
        vessel_flag = null(row[9])
        found_countries = list(countries.get(ent, []))
        if vessel_flag:
            found_countries.append(to_iso2(vessel_flag))
        entities.append(
            ListEntity(
                entity_id=ent,
                name=name,
                kind=_KINDS.get(null(row[2]).lower(), "unknown"),
                aliases=tuple(aliases.get(ent, [])),
                countries=tuple(dict.fromkeys(found_countries)),
                addresses=tuple(addresses.get(ent, [])),
                identifiers=tuple(dict.fromkeys(m.strip() for m in _ID_PATTERN.findall(remarks))),
                programmes=programmes,
                source_line=line,
            )
        )
    paths = [p for p in (prim, alt, add) if p is not None]
    return LoadedList(list_name, "ofac", tuple(entities), version_date, file_sha256(paths))
