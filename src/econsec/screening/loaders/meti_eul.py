"""METI's End User List (外国ユーザーリスト) in its official workbook layout.

The list METI publishes (PDF and Excel) is one table: No., country or region, company or
organisation, also known as, type of WMD concern. Its column titles are bilingual, Japanese
above English in one cell ("企業名、組織名" / "Company or Organization"); title and date rows
come before the header. A name may carry its Japanese rendering in parentheses; aliases are
separated by "・" or line breaks; the type of concern is B, C, M, N (or 生物, 化学, ミサイル, 核),
separated by commas, "、" or line breaks.

Entries are keyed by country and name, not by the running number, which METI renumbers in every
revision: so each revision loads as a version and the version diff shows what was added,
changed and removed. A workbook whose layout differs can still be loaded through the user-list
importer (``--format user``), whose column titles follow METI's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.user_list import HEADERS, xlsx_rows

_FIELDS = ("id", "countries", "name", "aliases", "programmes")
_CONCERNS = {
    "b": "biological",
    "生物": "biological",
    "c": "chemical",
    "化学": "chemical",
    "m": "missile",
    "ミサイル": "missile",
    "n": "nuclear",
    "核": "nuclear",
}
# A parenthesised part that holds no Latin letter: the name in Japanese or Chinese script.
_SCRIPT_PARENS = re.compile(r"[(（]([^()（）A-Za-z]*[^\x00-\x7f][^()（）A-Za-z]*)[)）]")
_ERA = {"令和": 2018, "平成": 1988}


def _cell_titles(cell: str) -> list[str]:
    lines = [" ".join(part.split()).casefold() for part in cell.replace("\r", "\n").split("\n")]
    whole = " ".join(" ".join(cell.split()).split()).casefold()
    return [t for t in [whole, *lines] if t]


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int]] | None:
    """The header row (its position in ``rows``) and the column of each field."""
    for position, (_, cells) in enumerate(rows[:30]):
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):
            for title in _cell_titles(cell):
                for name in _FIELDS:
                    if title in HEADERS[name] and name not in found:
                        found[name] = index
        if "name" in found and "countries" in found and "programmes" in found:
            return position, found
    return None


def looks_like_eul(path: Path) -> bool:
    """Whether the workbook's first sheet has the End User List's header."""
    try:
        return _header(xlsx_rows(path)) is not None
    except ListLoadError:
        return False


def _version_date(rows: list[tuple[int, list[str]]]) -> date | None:
    """The date written in the title rows (2024年1月31日, 令和6年1月31日 or 2024-01-31)."""
    for _, cells in rows:
        text = unicodedata.normalize("NFKC", " ".join(cells))
        match = re.search(r"(令和|平成)?\s*(\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
        if match:
            year = int(match.group(2)) + _ERA.get(match.group(1) or "", 0)
            try:
                return date(year, int(match.group(3)), int(match.group(4)))
            except ValueError:
                return None
        match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
        if match:
            try:
                return date.fromisoformat(match.group(0))
            except ValueError:
                return None
    return None


def _country(cell: str) -> str:
    """ISO code from a bilingual cell ("イラン\\nIran"); the first line that is a country."""
    lines = [line.strip() for line in cell.replace("\r", "\n").split("\n") if line.strip()]
    for line in reversed(lines):  # the English line is the more reliable lookup
        code = to_iso2(line)
        if len(code) == 2:
            return code
    return to_iso2(lines[-1]) if lines else ""


def _split_names(cell: str) -> list[str]:
    parts = re.split(r"[・\n\r;；／]|(?:\s/\s)", cell)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _concerns(cell: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in re.split(r"[,，、\n\r/・\s]+", cell):
        value = part.strip().strip(".")
        if value:
            out.append(_CONCERNS.get(value.casefold(), value))
    return tuple(dict.fromkeys(out))


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load an End User List workbook (first sheet)."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    rows = xlsx_rows(path)
    if not rows:
        raise ListLoadError("screening.load.empty", source=source)
    header = _header(rows)
    if header is None:
        raise ListLoadError(
            "screening.load.missing_columns",
            source=source,
            line=rows[0][0],
            columns="Country or Region / Company or Organization / Type of WMD",
        )
    position, columns = header
    entities: list[ListEntity] = []
    seen: dict[str, int] = {}
    for line, cells in rows[position + 1 :]:

        def cell(field: str, cells: list[str] = cells) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        raw_name = cell("name")
        if not raw_name:
            if not cell("countries") and not cell("aliases"):
                continue  # a note or footer row below the table
            raise ListLoadError("screening.load.missing_name", source=source, line=line)
        aliases = _split_names(cell("aliases"))
        script_names = [m.group(1).strip() for m in _SCRIPT_PARENS.finditer(raw_name)]
        name = " ".join(_SCRIPT_PARENS.sub(" ", raw_name).split()) or raw_name
        aliases = [*script_names, *aliases]
        country = _country(cell("countries"))
        key = f"{country}-{hashlib.sha1(name.casefold().encode('utf-8')).hexdigest()[:12]}"
        if key in seen:
            raise ListLoadError(
                "screening.load.duplicate_id", source=source, line=line, value=name, first=seen[key]
            )
        seen[key] = line
        entities.append(
            ListEntity(
                entity_id=key,
                name=name,
                kind="organisation",
                aliases=tuple(dict.fromkeys(a for a in aliases if a and a != name)),
                countries=(country,) if country else (),
                programmes=_concerns(cell("programmes")),
                source_line=line,
            )
        )
    if not entities:
        raise ListLoadError("screening.load.empty", source=source)
    when = version_date or _version_date(rows[:position])
    return LoadedList(list_name, "meti_eul", tuple(entities), when, file_sha256([path]))
