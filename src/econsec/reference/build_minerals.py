"""Rebuild ``data/mineral_production.csv`` from the USGS Mineral Commodity Summaries tables.

Usage::

    python -m econsec.reference.build_minerals /path/to/usgs_mcs [--output FILE]

The input folder holds the USGS MCS data-release CSVs (``mcs2022_world_selected/``,
``mcs2023_world/``, ``mcs2024_world/``) and the MCS 2026 values transcribed from the chapter
PDFs (``mcs2026_transcribed/``). The output is one tidy row per mineral, source edition, year
and country as published, with the USGS markers kept as a status (W = withheld, NA = not
available, — = zero, "( )" = included in another figure) rather than turned into numbers.

Shares are computed per (mineral, edition, year) as value ÷ denominator, where the
denominator is the published world total, or the sum of the listed figures when that sum is
larger (USGS rounds world totals). No share is given where the world total is not published.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from econsec.reference.countries import normalise_country

OUTPUT = Path(__file__).resolve().parent / "data" / "mineral_production.csv"

WORLD = "WORLD"
OTHER = "OTHER"

# mineral tag -> (USGS file code, text the Type column must contain or None for "any")
_RELEASE_FILES: dict[str, tuple[str, str | None]] = {
    "rare_earths": ("raree", None),
    "gallium": ("galli", None),
    "germanium": ("germa", None),
    "graphite": ("graph", None),
    "cobalt": ("cobal", None),
    "lithium": ("lithi", None),
    "nickel": ("nicke", None),
    "tungsten": ("tungs", None),
    "antimony": ("antim", None),
    "manganese": ("manga", None),
    "platinum": ("plati", "Platinum"),
    "palladium": ("plati", "Palladium"),
}
_RELEASE_DIRS = {
    "MCS2022": "mcs2022_world_selected",
    "MCS2023": "mcs2023_world",
    "MCS2024": "mcs2024_world",
}
_MCS2026_COMMODITIES = {
    "rare earths": "rare_earths",
    "gallium": "gallium",
    "graphite (natural)": "graphite",
    "antimony": "antimony",
    "tungsten": "tungsten",
    "cobalt": "cobalt",
    "lithium": "lithium",
}
_PROD_HEADER = re.compile(r"^Prod_(?P<unit>[A-Za-z]+)_(?P<est>[Ee]st_)?(?P<year>\d{4})$")

COLUMNS = (
    "mineral",
    "country",
    "country_as_published",
    "year",
    "value",
    "unit",
    "estimated",
    "status",
    "share",
    "edition",
    "source_table",
    "note",
)


@dataclass(frozen=True, slots=True)
class Row:
    mineral: str
    country: str
    country_as_published: str
    year: int
    value: float | None
    unit: str
    estimated: bool
    status: str
    edition: str
    source_table: str
    note: str
    share: float | None = None


def usgs_country(raw: str) -> tuple[str, bool]:
    """Alpha-2 (or WORLD/OTHER) for a USGS country label, and whether it carried an 'e' marker.

    USGS labels keep footnote residue: "Japane" (e = estimated), "Other countries4",
    "New Caledonia11", "Kazakhstan, concentrate", "New Caledonia (overseas territory of France)".
    """
    text = re.sub(r"\d+$", "", raw.strip()).strip()
    lowered = text.lower()
    if lowered.startswith("world total") or lowered == "world":
        return WORLD, False
    if lowered.startswith("other"):
        return OTHER, False
    # Whole label first (with and without a trailing "e" marker), then its head before a
    # parenthesis or comma: "Korea, Republic ofe" must not stop at "Korea".
    for candidate in (text, text.split(" (")[0], text.split(", ")[0]):
        code = normalise_country(candidate)
        if code:
            return code, False
        if candidate.endswith("e") and (code := normalise_country(candidate[:-1])):
            return code, True
    raise ValueError(f"unrecognised USGS country label {raw!r}")


def parse_value(raw: str) -> tuple[float | None, str, str]:
    """(value, status, note) for one USGS cell; markers are kept as a status, never a number."""
    text = raw.strip()
    if text in {"W"}:
        return None, "withheld", ""
    if text in {"NA", ""}:
        return None, "not_available", ""
    if text in {"XX"}:
        return None, "not_applicable", ""
    if text in {"—", "–", "-", "--"}:
        return 0.0, "reported", "USGS: zero (—)"
    if text.replace(" ", "") in {"()", "( )"} or text.lower().startswith("included"):
        return None, "included_elsewhere", ""
    lower_bound = text.startswith(">")
    number = text.lstrip(">").replace(",", "").strip()
    try:
        value = float(number)
    except ValueError:
        return None, "not_available", f"USGS text: {text}"
    return value, ("lower_bound" if lower_bound else "reported"), ""


def _read_release_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def release_rows(root: Path) -> Iterator[Row]:
    """Rows from the MCS 2022–2024 data-release world tables."""
    for edition, folder in _RELEASE_DIRS.items():
        year_code = edition[3:]
        for mineral, (code, type_filter) in _RELEASE_FILES.items():
            matches = sorted((root / folder).glob(f"*mcs{year_code}-{code}_world.csv"))
            if not matches:
                continue
            path = matches[0]
            records = _read_release_csv(path)
            prod_columns = [
                (column, m)
                for column in (records[0].keys() if records else [])
                if column and (m := _PROD_HEADER.match(column.strip()))
            ]
            for record in records:
                label = (record.get("Country") or "").strip()
                if not label:
                    continue
                kind = (record.get("Type") or "").strip()
                if type_filter and type_filter.lower() not in kind.lower():
                    continue
                country, e_marker = usgs_country(label)
                notes = (record.get("Prod_notes") or record.get("Prod_note") or "").strip()
                for column, match in prod_columns:
                    value, status, value_note = parse_value(record.get(column) or "")
                    note = "; ".join(
                        n for n in (value_note, "USGS 'e' marker" if e_marker else "", notes) if n
                    )
                    yield Row(
                        mineral=mineral,
                        country=country,
                        country_as_published=label,
                        year=int(match["year"]),
                        value=value,
                        unit=match["unit"],
                        estimated=bool(match["est"]) or e_marker,
                        status=status,
                        edition=edition,
                        source_table=f"{folder}/{path.name} ({kind})",
                        note=note,
                    )


def _unit_of(text: str) -> str:
    lowered = text.lower()
    if lowered.startswith("kilogram"):
        return "kg"
    if lowered.startswith("metric ton"):
        return "t"
    raise ValueError(f"unrecognised unit text {text!r}")


def mcs2026_rows(root: Path) -> Iterator[Row]:
    """Rows from the MCS 2026 values transcribed from the chapter PDFs."""
    path = root / "mcs2026_transcribed" / "mcs2026_world_production_selected.csv"
    if not path.exists():
        return
    for record in _read_release_csv(path):
        mineral = _MCS2026_COMMODITIES.get(record["commodity"].strip())
        if mineral is None:
            continue
        label = record["country"].strip()
        country, e_marker = usgs_country(label)
        for column, year, estimated in (
            ("prod_2024_raw", 2024, False),
            ("prod_2025e_raw", 2025, True),
        ):
            value, status, value_note = parse_value(record[column])
            note = "; ".join(n for n in (value_note, record.get("note", "").strip()) if n)
            yield Row(
                mineral=mineral,
                country=country,
                country_as_published=label,
                year=year,
                value=value,
                unit=_unit_of(record["unit"]),
                estimated=estimated or e_marker,
                status=status,
                edition="MCS2026",
                source_table=f"MCS 2026 {record['commodity']} chapter: {record['table_label']}",
                note=note,
            )


def with_shares(rows: Iterable[Row]) -> list[Row]:
    """Attach shares per (mineral, edition, year); see the module docstring for the rule."""
    grouped: dict[tuple[str, str, int], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row.mineral, row.edition, row.year)].append(row)
    result: list[Row] = []
    for key, members in sorted(grouped.items()):
        listed = [r for r in members if r.country != WORLD]
        seen: set[str] = set()
        for r in listed:
            if r.country != OTHER and r.country in seen:
                raise ValueError(f"{key}: country {r.country} listed twice")
            seen.add(r.country)
        world = [r for r in members if r.country == WORLD]
        if len(world) != 1:
            raise ValueError(f"{key}: expected one world total row, found {len(world)}")
        world_value = world[0].value if world[0].status == "reported" else None
        listed_sum = sum(r.value for r in listed if r.value is not None)
        denominator = max(world_value, listed_sum) if world_value is not None else None
        for r in members:
            share = (
                r.value / denominator
                if denominator and r.value is not None and r.country != WORLD
                else None
            )
            if r.country == WORLD and denominator:
                share = world_value / denominator if world_value is not None else None
            result.append(replace(r, share=share))
    return result


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(value)


def write_csv(rows: list[Row], output: Path) -> None:
    """Write the tidy CSV with its provenance header."""
    buffer = io.StringIO()
    buffer.write(
        "# World production by country for critical minerals, from the USGS Mineral Commodity\n"
        "# Summaries (US public domain). Generated by econsec.reference.build_minerals; do not\n"
        "# edit by hand. See PROVENANCE.md for editions, files and how shares are computed.\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in sorted(
        rows, key=lambda r: (r.mineral, r.year, r.edition, r.country == WORLD, r.country)
    ):
        writer.writerow(
            [
                r.mineral,
                r.country,
                r.country_as_published,
                r.year,
                _format_number(r.value),
                r.unit,
                "1" if r.estimated else "0",
                r.status,
                "" if r.share is None else f"{r.share:.6f}",
                r.edition,
                r.source_table,
                r.note,
            ]
        )
    output.write_text(buffer.getvalue(), encoding="utf-8")


def build(root: Path) -> list[Row]:
    """All rows with shares, from the USGS folder ``root``."""
    return with_shares([*release_rows(root), *mcs2026_rows(root)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("usgs_dir", type=Path, help="folder holding the USGS MCS tables")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not args.usgs_dir.is_dir():
        print(f"not a folder: {args.usgs_dir}", file=sys.stderr)
        return 2
    rows = build(args.usgs_dir)
    write_csv(rows, args.output)
    editions = sorted({(r.mineral, r.edition) for r in rows})
    print(f"wrote {len(rows)} rows ({len(editions)} mineral-editions) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
