"""Japan's Ministry of Finance (財務省) list of persons and entities subject to asset freezes
under the Foreign Exchange and Foreign Trade Act (経済制裁措置及び対象者リスト), in its
published workbook layout.

The workbook has one sheet per sanctions programme. Above each table stand the programme's
title rows ("北朝鮮のミサイル又は大量破壊兵器計画に関連する者", often ending in （個人） or
（団体）); the header row begins with 告示日付 (date of the public notice). Column titles are
Japanese, sometimes with spaces between the characters ("日 本 語 表 記"), and vary by sheet:
告示日付, 告示番号, 日本語表記, 英語表記, 別称/別名/旧称, 確定に十分でない別名, 生年月日,
出生地, 国籍, 旅券番号, 身分証番号, 住所/所在地, 役職, その他の情報, 国連参照番号,
リスト掲載日. A cell may stack several names or numbers on separate lines or as (a), (b)….

Read here: the English name (or, failing it, the Japanese one) as the name, the other script
and every alias and former name as aliases (weak aliases, which the list itself calls
insufficient to identify, are left out), nationality as countries, passport and ID numbers and
the UN reference as identifiers, address, and the programme title. A person is told from an
entity by the programme title (個人 / 団体) or, where it names neither, by a date of birth.
An entry is keyed by its UN reference number, else by its names, so each revision loads as a
version with a diff; an entry found twice (on several programmes' sheets, or repeated on one)
is one entity with each programme.
Sheets without a 告示日付 header (cover notes) are skipped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

from econsec.characters import unwanted
from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.user_list import xlsx_sheets

_COLUMNS = {
    "告示日付": "notice_date",
    "告示番号": "notice_number",
    "日本語表記": "name_ja",
    "英語表記": "name_en",
    "別称": "aliases",
    "別名": "aliases",
    "別称・別名": "aliases",
    "別名・別称": "aliases",
    "別称・旧称": "aliases",
    "確定可能な別名": "aliases",
    "旧称": "aliases",
    "旧称・以前の呼称": "aliases",
    "過去の別名": "aliases",
    "以前の別名": "aliases",
    "生年月日": "birth_date",
    "生年月日・出生地": "birth_date",
    "国籍": "countries",
    "旅券番号": "identifiers",
    "身分証番号": "identifiers",
    "id番号": "identifiers",
    "身分登録番号": "identifiers",
    "国連参照番号": "un_reference",
    "住所": "addresses",
    "所在地": "addresses",
    "住所・所在地": "addresses",
    "住所等": "addresses",
    "リスト掲載日": "listed_on",
}
# Enumerations and separators inside one cell: line breaks, (a) (b), a.k.a., semicolons.
_SPLIT = re.compile(
    r"\n|;|；|\(\s*[a-z]\s*\)|\(\s*(?:i|ii|iii|iv|v|vi|vii|viii)\s*\)|a\.k\.a\.?", re.I
)
_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")


def _title(cell: str) -> str:
    return "".join(unicodedata.normalize("NFKC", cell).split()).casefold()


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, list[int]]] | None:
    for position, (_, cells) in enumerate(rows[:30]):
        if not cells or "告示日付" not in _title(cells[0]):
            continue
        columns: dict[str, list[int]] = {}
        for index, cell in enumerate(cells):
            field = _COLUMNS.get(_title(cell))
            if field:
                columns.setdefault(field, []).append(index)
        return position, columns
    return None


def looks_like_mof(path: Path) -> bool:
    """Whether any sheet of the workbook has the asset-freeze list's 告示日付 header."""
    try:
        return any(_header(rows) is not None for _, rows in xlsx_sheets(path))
    except ListLoadError:
        return False


def _parts(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value).replace("\r", "\n")
    return [" ".join(p.split()).strip(" ,、") for p in _SPLIT.split(text) if p.strip(" ,、\n")]


def _iso_date(value: str) -> str:
    found = _DATE.search(unicodedata.normalize("NFKC", value))
    if not found:
        return ""
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
    except ValueError:
        return ""


def _kind(section: str, birth: str) -> str:
    person, entity = "個人" in section, "団体" in section or "銀行" in section
    if person != entity:
        return "person" if person else "organisation"
    return "person" if birth.strip() else "organisation"


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load the asset-freeze workbook (every sheet with a 告示日付 header)."""
    from econsec.screening.loaders import file_sha256

    sheets = xlsx_sheets(path)
    entities: dict[str, ListEntity] = {}
    found_header = False
    for sheet_name, rows in sheets:
        header = _header(rows)
        if header is None:
            continue
        found_header = True
        position, columns = header
        source = f"{path.name} [{sheet_name}]"
        section = (
            " ".join(c.strip() for _, cells in rows[:position] for c in cells if c.strip())
            or sheet_name
        )
        for line, cells in rows[position + 1 :]:

            def values(
                field: str, cells: list[str] = cells, columns: dict[str, list[int]] = columns
            ) -> list[str]:
                return [
                    part
                    for index in columns.get(field, [])
                    if index < len(cells)
                    for part in _parts(cells[index])
                ]

            for index, cell in enumerate(cells):
                bad = unwanted(cell)
                if bad is not None:
                    raise ListLoadError(
                        "text.unwanted_character", source=source, line=line,
                        field=rows[position][1][index] if index < len(rows[position][1]) else "",
                        char=bad[1], position=bad[0],
                    )  # fmt: skip
            english, japanese = values("name_en"), values("name_ja")
            if not english and not japanese:
                if sum(1 for c in cells if c.strip()) == 1:
                    section = next(c for c in cells if c.strip())  # a sub-heading row
                    continue
                raise ListLoadError("screening.load.missing_name", source=source, line=line)
            names = [*english, *japanese]
            name = names[0]
            reference = next(iter(values("un_reference")), "")
            key = (
                reference
                or "mof-"
                + hashlib.sha1("|".join(n.casefold() for n in names).encode("utf-8")).hexdigest()[
                    :16
                ]
            )
            aliases = [*names[1:], *values("aliases")]
            birth = " ".join(values("birth_date"))
            identifiers = [*values("identifiers"), *([f"UN {reference}"] if reference else [])]
            listed = values("listed_on") or values("notice_date")
            entity = ListEntity(
                entity_id=key,
                name=name,
                kind=_kind(section, birth),
                aliases=tuple(dict.fromkeys(a for a in aliases if a != name)),
                countries=tuple(dict.fromkeys(to_iso2(c) for c in values("countries"))),
                addresses=tuple(values("addresses")),
                identifiers=tuple(dict.fromkeys(identifiers)),
                programmes=(section,),
                listed_on=_iso_date(listed[0]) if listed else "",
                source_line=line,
            )
            earlier = entities.get(key)
            if earlier is not None:  # listed twice, or under another programme too
                programmes = tuple(dict.fromkeys((*earlier.programmes, section)))
                entity = replace(earlier, programmes=programmes)
            entities[key] = entity
    if not found_header:
        raise ListLoadError(
            "screening.load.missing_columns", source=path.name, line=None,
            columns="告示日付 / 日本語表記 / 英語表記",
        )  # fmt: skip
    if not entities:
        raise ListLoadError("screening.load.empty", source=path.name)
    return LoadedList(list_name, "mof", tuple(entities.values()), version_date, file_sha256([path]))
