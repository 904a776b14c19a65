"""China's Ministry of Commerce (商务部, MOFCOM) lists: the Unreliable Entity List (不可靠实体清单),
the Export Control Control List (出口管制管控名单) and the Export Control Watch List (关注名单).

MOFCOM publishes no machine-readable file: each designation is an announcement (商务部公告
2025年第1号, 不可靠实体清单工作机制公告…) whose body names the list, the country of the entities
("将以下28家美国实体列入出口管制管控名单") and numbers the entries, each a Chinese name with the
English name in parentheses ("1. 洛克希德·马丁导弹与火控公司（Lockheed Martin Missiles and
Fire Control）；"), and ends with the ministry's name and the date. Two layouts are accepted:

- **announcement text** (.txt, UTF-8 or GB18030): the announcement as published. The list is
  read from the text (不可靠实体清单 / 出口管制管控名单 / 关注名单), the country from the
  "N家<country>实体" phrase, the version date from the last date written (2025年1月2日), and the
  entries from the numbered lines;
- **table** (.csv or .xlsx, first sheet): one row per entry, columns titled in Chinese or
  English — 中文名称 / Chinese name, 英文名称 / English name (one of the two is required),
  国家（地区）/ Country, 清单 / List, 公告 / Notice, 日期 / Date, 地址 / Address, 类型 / Type —
  as the entries of several announcements are kept together.

The English name is the entity's name and the Chinese its alias (or the other way when only
Chinese is given). Entries are keyed by country and names, not by the running number, which
restarts in every announcement; an entity named twice (on two lists, or in two announcements)
is one entity with each list, listed on its first date. The layout was built from the published announcements; it is
not an official schema, and a deviating file loads through the user-list importer.
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
from econsec.screening.loaders.common import csv_rows
from econsec.screening.loaders.user_list import LIMITS, xlsx_rows

LISTS = {
    "不可靠实体清单": "不可靠实体清单 Unreliable Entity List",
    "出口管制管控名单": "出口管制管控名单 Export Control Control List",
    "关注名单": "关注名单 Export Control Watch List",
}
_HEADERS = {
    "chinese": ("中文名称", "中文名", "名称", "chinese name", "name (chinese)"),
    "english": ("英文名称", "英文名", "english name", "name (english)", "name"),
    "country": ("国家", "国家(地区)", "国家/地区", "国别", "country", "country or region"),
    "list": ("清单", "名单", "list"),
    "notice": ("公告", "公告号", "notice", "announcement"),
    "date": ("日期", "公告日期", "date"),
    "address": ("地址", "address"),
    "kind": ("类型", "type"),
}
# An announcement's longest line is a paragraph of its preamble; a longer one is no announcement.
MAX_LINE = 5_000
_KINDS = {"个人": "person", "person": "person", "individual": "person"}
# "1. 中文名（English）；" — numbered entries; the English part may hold parentheses itself.
_ENTRY = re.compile(r"^\s*[(（]?\d{1,4}\s*[)）.、]?\s*(?P<body>\S.*?)[；;。,，]?\s*$")
_COUNTRY = re.compile(r"\d+\s*家\s*(?P<country>[^\d\s，,。实]{1,8}?)\s*(?:实体|企业|公司|机构)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ListLoadError("screening.load.encoding", source=source, detail="not UTF-8 or GB18030")


def _read(path: Path) -> str:
    size = path.stat().st_size
    if size > LIMITS.max_bytes:
        raise ListLoadError(
            "workbook.too_large", source=path.name, file=path.name, size=size,
            limit=LIMITS.max_bytes,
        )  # fmt: skip
    return unicodedata.normalize("NFKC", _decode(path.read_bytes(), path.name))


def _check(text: str, source: str, line: int, field: str) -> None:
    bad = unwanted(text)
    if bad is not None:
        raise ListLoadError(
            "text.unwanted_character", source=source, line=line, field=field, char=bad[1],
            position=bad[0],
        )  # fmt: skip


def _split_names(body: str) -> tuple[str, str]:
    """(Chinese, English) from "中文名(English (Detail))"; either may be empty."""
    start = body.find("(")
    if start < 0 or not body.rstrip().endswith(")"):
        latin = bool(re.search(r"[A-Za-z]{3}", body)) and not re.search(r"[\u4e00-\u9fff]", body)
        return ("", body.strip()) if latin else (body.strip(), "")
    return body[:start].strip(), body[start + 1 : body.rstrip().rfind(")")].strip()


def _iso(found: re.Match[str] | None) -> str:
    if found is None:
        return ""
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
    except ValueError:
        return ""


def _key(country: str, english: str, chinese: str) -> str:
    names = f"{english.casefold()}|{chinese}"
    return f"{country or 'xx'}-{hashlib.sha1(names.encode('utf-8')).hexdigest()[:12]}"


def _entity(
    line: int, *, chinese: str, english: str, country: str, programme: str, **extra: str
) -> ListEntity:
    name, alias = (english, chinese) if english else (chinese, "")
    return ListEntity(
        entity_id=_key(country, english, chinese),
        name=name,
        kind=_KINDS.get(extra.get("kind", "").casefold(), "organisation"),
        aliases=(alias,) if alias else (),
        countries=(country,) if country else (),
        addresses=(extra["address"],) if extra.get("address") else (),
        programmes=(programme,) if programme else (),
        listed_on=extra.get("listed_on", ""),
        source_line=line,
    )


def _programme(text: str) -> str:
    return next((label for word, label in LISTS.items() if word in text), "")


def _from_text(path: Path) -> tuple[list[ListEntity], date | None]:
    text = _read(path)
    source = path.name
    programme = _programme(text)
    country_match = _COUNTRY.search(text)
    country = to_iso2(country_match.group("country")) if country_match else ""
    dates = list(_DATE.finditer(text))
    when = _iso(dates[-1]) if dates else ""
    entities: list[ListEntity] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE:
            raise ListLoadError(
                "screening.load.line_too_long", source=source, line=line, length=len(raw),
                limit=MAX_LINE,
            )  # fmt: skip
        _check(raw, source, line, "text")
        found = _ENTRY.match(raw)
        if not found or not raw.lstrip()[:1].isdigit():
            continue
        chinese, english = _split_names(found.group("body"))
        if not (english and re.search(r"[A-Za-z]", english)):
            continue  # a numbered line without an English name in parentheses is no entry
        entities.append(
            _entity(
                line, chinese=chinese, english=english, country=country, programme=programme,
                listed_on=when,
            )
        )  # fmt: skip
    return entities, date.fromisoformat(when) if when else None


def _column(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = " ".join(unicodedata.normalize("NFKC", title).split()).casefold()
        for field, names in _HEADERS.items():
            if key in names and field not in found:
                found[field] = index
                break
    return found


def _from_table(path: Path) -> tuple[list[ListEntity], date | None]:
    source = path.name
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        rows = xlsx_rows(path)
    else:
        rows = list(csv_rows(_read(path), source))
        for line, row in rows:
            if len(row) > LIMITS.max_columns:
                raise ListLoadError(
                    "workbook.too_many_columns", source=source, line=line, file=source,
                    sheet=path.stem, cell=f"#{len(row)}", limit=LIMITS.max_columns,
                    last=str(LIMITS.max_columns),
                )  # fmt: skip
    if not rows:
        raise ListLoadError("screening.load.empty", source=source)
    header_line, header = rows[0]
    columns = _column(header)
    if "chinese" not in columns and "english" not in columns:
        raise ListLoadError(
            "screening.load.missing_columns", source=source, line=header_line,
            columns="中文名称 / 英文名称 (Chinese name / English name)",
        )  # fmt: skip
    entities: list[ListEntity] = []
    for line, row in rows[1:]:

        def cell(field: str, row: list[str] = row) -> str:
            index = columns.get(field)
            return row[index].strip() if index is not None and index < len(row) else ""

        for index, value in enumerate(row):
            _check(value, source, line, header[index] if index < len(header) else f"#{index + 1}")
        chinese, english = cell("chinese"), cell("english")
        if not (chinese or english):
            raise ListLoadError("screening.load.missing_name", source=source, line=line)
        listed = cell("list")
        entities.append(
            _entity(
                line, chinese=chinese, english=english, country=to_iso2(cell("country")),
                programme=_programme(listed) or listed, address=cell("address"),
                kind=cell("kind"), listed_on=_iso(_DATE.search(cell("date")))
                or cell("date")[:10],
            )
        )  # fmt: skip
    return entities, None


def looks_like_mofcom(path: Path) -> bool:
    """Whether a text file is a MOFCOM announcement, or a table has its name columns."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            rows = xlsx_rows(path)
        except ListLoadError:
            return False
        titles = {" ".join(c.split()).casefold() for c in rows[0][1]} if rows else set()
        return bool(titles & {"中文名称", "chinese name"})
    try:
        head = _decode(path.read_bytes()[:4000], path.name)
    except (ListLoadError, OSError):
        return False
    if path.suffix.lower() == ".txt":
        return bool(_programme(head))
    first = head.splitlines()[0] if head else ""
    return "中文名称" in first or "chinese name" in first.casefold()


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load a MOFCOM announcement (.txt) or a table of its entries (.csv, .xlsx)."""
    from econsec.screening.loaders import file_sha256

    if path.suffix.lower() == ".txt":
        entities, when = _from_text(path)
    else:
        entities, when = _from_table(path)
    if not entities:
        raise ListLoadError("screening.load.empty", source=path.name)
    merged: dict[str, ListEntity] = {}
    for entity in entities:
        earlier = merged.get(entity.entity_id)
        if earlier is not None:  # one entity named again, or on two lists (ECL and UEL)
            programmes = tuple(dict.fromkeys((*earlier.programmes, *entity.programmes)))
            entity = replace(earlier, programmes=programmes)
        merged[entity.entity_id] = entity
    return LoadedList(
        list_name, "cn_mofcom", tuple(merged.values()), version_date or when, file_sha256([path])
    )
