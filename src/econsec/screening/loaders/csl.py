"""The US Consolidated Screening List CSV (trade.gov), with or without the ``_id`` column."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import csv_rows, parse_date, read_text, split_multi

_REQUIRED = ("source", "name", "type")
_KINDS = {"individual": "person", "entity": "organisation", "vessel": "vessel"}


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load a CSL CSV file (a ``.gz`` file is decompressed first)."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        import gzip

        from econsec.screening.loaders import MAX_LIST_BYTES

        try:
            # Read one byte past the limit, so a gzip bomb is refused without unpacking it all.
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = handle.read(MAX_LIST_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise ListLoadError("screening.load.bad_gzip", source=source, detail=str(exc)) from exc
        if len(data) > MAX_LIST_BYTES:
            raise ListLoadError(
                "workbook.too_large_unpacked", source=source, file=source,
                size=f"> {MAX_LIST_BYTES}", limit=MAX_LIST_BYTES,
            )  # fmt: skip
    rows = csv_rows(read_text(data, source), source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ListLoadError("screening.load.empty", source=source) from None
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise ListLoadError(
            "screening.load.missing_columns", source=source, line=1, columns=", ".join(missing)
        )
    entities: list[ListEntity] = []
    for line, row in rows:
        if len(row) != len(header):
            raise ListLoadError(
                "screening.load.bad_width",
                source=source,
                line=line,
                expected=len(header),
                found=len(row),
            )

        def cell(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None else ""

        name = cell("name")
        if not name:
            raise ListLoadError("screening.load.missing_name", source=source, line=line)
        key = cell("_id") or cell("entity_number")
        if not key:
            # Some sources carry no number: a hash of source and name is stable across files.
            key = hashlib.sha1(f"{cell('source')}|{name}".encode()).hexdigest()[:16]
        countries = [
            to_iso2(c)
            for c in split_multi(cell("citizenships")) + split_multi(cell("nationalities"))
        ]
        addresses = split_multi(cell("addresses"))
        for address in addresses:
            tail = address.rsplit(",", 1)[-1].strip()
            if len(tail) == 2 and tail.isalpha():
                countries.append(tail.lower())
        entities.append(
            ListEntity(
                entity_id=key,
                name=name,
                kind=_KINDS.get(cell("type").lower(), "unknown"),
                aliases=split_multi(cell("alt_names")),
                countries=tuple(dict.fromkeys(countries)),
                addresses=addresses,
                identifiers=split_multi(cell("ids")),
                programmes=tuple(p for p in (cell("source"), *split_multi(cell("programs"))) if p),
                listed_on=parse_date(cell("start_date")),
                source_line=line,
            )
        )
    return LoadedList(list_name, "csl", tuple(entities), version_date, file_sha256([path]))
