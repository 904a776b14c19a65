"""Read an official or auditor's checklist workbook (xlsx, its own columns) into a framework.

Shapes accepted (decision 0043):

* **flat** — one row per check (question). The area comes from an area (and/or area id)
  column, the item from an item (and/or item id) column; blank area/item cells mean "same as
  above" unless the mapping sets ``fill_down: false``. Without an item column every row is an
  item of its own whose single question is ``<row id>.q``. Without an area column all items go
  into one area ``ALL``. Generated ids: areas ``A1, A2…``, items ``<area id>-1, -2…``.
* **tree** — a parent column: rows without a parent are areas, their children items, the
  items' children questions (an item row without children becomes its own question
  ``<row id>.q``). The question column holds each row's text.

An item's importance is the highest given on its rows (else the mapping's default); its
typical evidence joins the distinct evidence texts of its rows. The result goes through the
framework validator; every problem comes back located by sheet, row, column and value. The
function is pure: it reads the workbook and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from econsec import isolated
from econsec.characters import unwanted
from econsec.guideline.checklist_mapping import (
    IMPORTANCE_LEVELS,
    TEXT_FIELDS,
    ChecklistMapping,
    builtin_importance_values,
    guess_heading,
    has_japanese,
    normalise_heading,
)
from econsec.guideline.frameworks import (
    IMPORTANCE_WEIGHT,
    LANGUAGES,
    SCHEMA_TAG,
    Framework,
    FrameworkError,
    framework_from_dict,
)
from econsec.guideline.interchange_errors import ImportProblems, Located
from econsec.i18n import t
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

HEADER_SCAN_ROWS = 20
# Official checklists run to a few hundred rows; an auditor's own, a few thousand.
LIMITS = Limits(
    max_bytes=20 * 1024 * 1024,
    max_uncompressed=400 * 1024 * 1024,
    max_rows=50_000,
    max_columns=256,
    max_cells=4_000_000,
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DATA = resources.files("econsec.guideline") / "data" / "checklist"


@dataclass(frozen=True)
class Column:
    """One workbook column read as a field (text fields carry their language)."""

    field: str
    lang: str | None
    index: int
    heading: str
    guessed: bool

    @property
    def label(self) -> str:
        return f"{self.heading} ({get_column_letter(self.index + 1)})"


@dataclass(frozen=True)
class ChecklistImport:
    """The framework read from a workbook and how it was read (for the user to check)."""

    framework: Framework
    sheet: str
    header_row: int
    columns: tuple[Column, ...]
    rows: int


@cache
def default_maturity_scale() -> list[dict[str, Any]]:
    raw = yaml.safe_load((_DATA / "maturity_scale.yaml").read_text(encoding="utf-8"))
    scale: list[dict[str, Any]] = raw["maturity_scale"]
    return scale


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates ISO, everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _clean_id(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# --------------------------------------------------------------------------- columns


def _header_cells(ws: Worksheet, row: int) -> list[tuple[int, str]]:
    values = next(ws.iter_rows(min_row=row, max_row=row, values_only=True), ())
    return [(i, cell_text(v)) for i, v in enumerate(values) if cell_text(v)]


def _header_score(cells: list[tuple[int, str]], mapping: ChecklistMapping) -> int:
    named = {normalise_heading(h) for h in mapping.named_headings()}
    score = 0
    fields = set()
    for _, heading in cells:
        if normalise_heading(heading) in named:
            score += 2
            continue
        guess = guess_heading(heading)
        if guess:
            fields.add(guess[0])
            score += 1
    # A header row must at least offer an id and a text to ask.
    if not named and not ({"id"} <= fields and fields & {"question", "item"}):
        return 0
    return score


def _find_header(ws: Worksheet, mapping: ChecklistMapping) -> int | None:
    best, best_row = 0, None
    for row in range(1, min(ws.max_row, HEADER_SCAN_ROWS) + 1):
        score = _header_score(_header_cells(ws, row), mapping)
        if score > best:
            best, best_row = score, row
    return best_row


def _resolve_columns(
    cells: list[tuple[int, str]], mapping: ChecklistMapping, sheet: str, header_row: int
) -> tuple[list[Column], list[Located]]:
    problems: list[Located] = []
    found = ", ".join(h for _, h in cells)
    by_norm: dict[str, list[tuple[int, str]]] = {}
    for index, heading in cells:
        by_norm.setdefault(normalise_heading(heading), []).append((index, heading))

    def locate(heading: str, name: str) -> tuple[int, str] | None:
        hits = by_norm.get(normalise_heading(heading), [])
        if not hits:
            problems.append(
                Located(
                    (sheet, header_row, heading),
                    "guideline.checklist.missing_column",
                    {"heading": heading, "field": name, "found": found},
                )
            )
            return None
        if len(hits) > 1:
            letters = ", ".join(get_column_letter(i + 1) for i, _ in hits)
            problems.append(
                Located(
                    (sheet, header_row, heading),
                    "guideline.checklist.ambiguous_heading",
                    {"heading": heading, "columns": letters},
                )
            )
        return hits[0]

    columns: list[Column] = []
    for name, plain in mapping.columns.items():
        if plain is not None and (hit := locate(plain, name)):
            columns.append(Column(name, None, hit[0], hit[1], guessed=False))
    for name, per_lang in mapping.text_columns.items():
        for lang, heading in (per_lang or {}).items():
            if hit := locate(heading, name):
                columns.append(Column(name, lang, hit[0], hit[1], guessed=False))
    taken = {c.index for c in columns}
    named = set(mapping.columns) | set(mapping.text_columns)
    guessed: dict[tuple[str, str | None, int], Column] = {}
    for index, heading in cells:
        guess = guess_heading(heading)
        if index in taken or guess is None or guess[0] in named:
            continue
        # Two unlabelled text columns of one field may be two languages; that is settled once
        # their cells have been read (see the same-language check).
        key = (*guess, index if guess[0] in TEXT_FIELDS and guess[1] is None else -1)
        if key in guessed:
            problems.append(
                Located(
                    (sheet, header_row, heading),
                    "guideline.checklist.ambiguous_guess",
                    {
                        "field": key[0],
                        "heading": heading,
                        "other": guessed[key].heading,
                    },
                )
            )
            continue
        guessed[key] = Column(key[0], key[1], index, heading, guessed=True)
    columns.extend(guessed.values())
    fields = {c.field for c in columns}
    # A checklist whose only text column is headed like an item (「項目」) asks that text.
    if (
        "question" not in fields
        and "question" not in named
        and "parent" not in fields
        and any(c.field == "item" and c.guessed for c in columns)
    ):
        columns = [
            Column("question", c.lang, c.index, c.heading, True) if c.field == "item" else c
            for c in columns
        ]
        fields = {c.field for c in columns}
    for required in ("id", "question"):
        if required not in fields and not any(p.params.get("field") == required for p in problems):
            problems.append(
                Located(
                    (sheet, header_row, "-"),
                    "guideline.checklist.no_column",
                    {"field": required, "found": found},
                )
            )
    return columns, problems


def _detect_languages(
    columns: list[Column], rows: list[tuple[int, tuple[Any, ...]]], mapping: ChecklistMapping
) -> list[Column]:
    """Give each text column without a stated language one: the only declared language, else
    the language most of its cells are written in."""
    out = []
    for column in columns:
        if column.field in TEXT_FIELDS and column.lang is None:
            if mapping.languages and len(mapping.languages) == 1:
                lang = mapping.languages[0]
            else:
                texts = [
                    cell_text(values[column.index])
                    for _, values in rows
                    if column.index < len(values)
                ]
                texts = [x for x in texts if x]
                japanese = sum(1 for x in texts if has_japanese(x))
                lang = "ja" if texts and japanese * 2 >= len(texts) else "en"
                if not texts:
                    lang = "ja" if has_japanese(column.heading) else "en"
            column = Column(column.field, lang, column.index, column.heading, column.guessed)
        out.append(column)
    return out


# --------------------------------------------------------------------------- rows


@dataclass
class _Row:
    number: int
    id: str
    parent: str
    importance: str | None
    area_id: str
    item_id: str
    texts: dict[str, dict[str, str]]  # field → lang → text


@dataclass
class _Item:
    id: str
    row: int
    name: dict[str, str]
    importance: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    questions: list[tuple[str, dict[str, str], int]] = field(default_factory=list)


@dataclass
class _Area:
    id: str
    row: int
    name: dict[str, str]
    items: dict[str, _Item] = field(default_factory=dict)


class _Reader:
    def __init__(
        self,
        sheet: str,
        columns: list[Column],
        mapping: ChecklistMapping,
        languages: tuple[str, ...],
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.mapping = mapping
        self.languages = languages
        self.problems: list[Located] = []
        self.by_field: dict[str, list[Column]] = {}
        for column in columns:
            self.by_field.setdefault(column.field, []).append(column)
        self.importance = {**builtin_importance_values(), **mapping.importance_values}

    def where(self, row: int, name: str, lang: str | None = None) -> tuple[str, int, str]:
        for column in self.by_field.get(name, []):
            if lang is None or column.lang == lang:
                return (self.sheet, row, column.label)
        return (self.sheet, row, name)

    def problem(
        self, row: int, name: str, key: str, lang: str | None = None, **params: Any
    ) -> None:
        self.problems.append(Located(self.where(row, name, lang), key, params))

    def value(self, values: tuple[Any, ...], name: str) -> str:
        column = self.by_field.get(name, [None])[0]
        if column is None or column.index >= len(values):
            return ""
        return cell_text(values[column.index])

    def parse(self, number: int, values: tuple[Any, ...]) -> _Row | None:
        raw_id = self.value(values, "id")
        texts: dict[str, dict[str, str]] = {}
        for name in TEXT_FIELDS:
            for column in self.by_field.get(name, []):
                text = cell_text(values[column.index]) if column.index < len(values) else ""
                hit = unwanted(text)
                if hit is not None:
                    self.problem(
                        number, name, "text.unwanted_character", column.lang,
                        field=column.label, char=hit[1], position=hit[0],
                    )  # fmt: skip
                    return None
                if text and column.lang:
                    texts.setdefault(name, {})[column.lang] = text
        identifier = _clean_id(raw_id)
        if not identifier:
            self.problem(number, "id", "guideline.checklist.empty_id")
            return None
        if not _ID.match(identifier) or len(identifier) > 56:
            self.problem(number, "id", "guideline.checklist.bad_id", value=raw_id)
            return None
        raw_importance = self.value(values, "importance")
        importance: str | None = None
        if raw_importance:
            importance = self.importance.get(normalise_heading(raw_importance))
            if importance is None:
                allowed = ", ".join(
                    sorted(
                        {k for k, v in self.importance.items() if v in IMPORTANCE_LEVELS}
                        | set(IMPORTANCE_LEVELS)
                    )
                )
                self.problem(
                    number,
                    "importance",
                    "guideline.checklist.bad_importance",
                    value=raw_importance,
                    allowed=allowed,
                )
        return _Row(
            number=number,
            id=identifier,
            parent=_clean_id(self.value(values, "parent")),
            importance=importance,
            area_id=_clean_id(self.value(values, "area_id")),
            item_id=_clean_id(self.value(values, "item_id")),
            texts=texts,
        )

    def require_text(self, row: _Row, name: str) -> dict[str, str]:
        """The row's text of ``name`` in every language it has; a declared language that is
        empty is reported."""
        texts = row.texts.get(name, {})
        for lang in self.languages:
            if not texts.get(lang):
                self.problem(
                    row.number, name, "guideline.checklist.empty_text", lang, language=lang
                )
        return dict(texts)


def _strongest(levels: list[str], default: str) -> str:
    return max(levels, key=lambda level: IMPORTANCE_WEIGHT[level]) if levels else default


def _check_id(reader: _Reader, row: int, name: str, value: str) -> bool:
    if _ID.match(value) and len(value) <= 56:
        return True
    reader.problem(row, name, "guideline.checklist.bad_id", value=value)
    return False


def _build_flat(reader: _Reader, rows: list[_Row], default_area: dict[str, str]) -> list[_Area]:
    has_area = "area" in reader.by_field or "area_id" in reader.by_field
    has_item = "item" in reader.by_field or "item_id" in reader.by_field
    areas: dict[str, _Area] = {}
    previous: _Row | None = None
    for row in rows:
        if has_area and not row.area_id and "area" not in row.texts:
            if reader.mapping.fill_down and previous is not None:
                row.area_id = previous.area_id
                if "area" in previous.texts:
                    row.texts["area"] = previous.texts["area"]
            else:
                reader.problem(row.number, "area", "guideline.checklist.empty_area_cell")
                continue
        if has_item and not row.item_id and "item" not in row.texts:
            same_area = previous is not None and (previous.area_id, previous.texts.get("area")) == (
                row.area_id,
                row.texts.get("area"),
            )
            if reader.mapping.fill_down and previous is not None and same_area:
                row.item_id = previous.item_id
                if "item" in previous.texts:
                    row.texts["item"] = previous.texts["item"]
            else:
                reader.problem(row.number, "item", "guideline.checklist.empty_item_cell")
                continue
        previous = row
        if has_area:
            names = row.texts.get("area", {})
            area_key = row.area_id or next(iter(names.values()), "")
        else:
            names, area_key = default_area, ""
        area = areas.get(area_key)
        if area is None:
            if row.area_id:
                if not _check_id(reader, row.number, "area_id", row.area_id):
                    continue
                area_id = row.area_id
            else:
                area_id = f"A{len(areas) + 1}" if has_area else "ALL"
            if has_area and "area" in reader.by_field:
                names = reader.require_text(row, "area")
            elif has_area:
                names = {lang: area_id for lang in reader.languages}
            area = areas[area_key] = _Area(area_id, row.number, names)
        question = reader.require_text(row, "question")
        if has_item:
            item_names = row.texts.get("item", {})
            item_key = row.item_id or next(iter(item_names.values()), "")
            item = area.items.get(item_key)
            if item is None:
                if row.item_id:
                    if not _check_id(reader, row.number, "item_id", row.item_id):
                        continue
                    item_id = row.item_id
                else:
                    item_id = f"{area.id}-{len(area.items) + 1}"
                if "item" in reader.by_field:
                    item_names = reader.require_text(row, "item")
                else:
                    item_names = {lang: item_id for lang in reader.languages}
                item = area.items[item_key] = _Item(item_id, row.number, item_names)
            question_id = row.id
        else:
            item = area.items[row.id] = _Item(row.id, row.number, question)
            question_id = f"{row.id}.q"
        item.questions.append((question_id, question, row.number))
        if row.importance:
            item.importance.append(row.importance)
        for lang, text in row.texts.get("evidence", {}).items():
            if text not in item.evidence.setdefault(lang, []):
                item.evidence[lang].append(text)
    return list(areas.values())


def _build_tree(reader: _Reader, rows: list[_Row]) -> list[_Area]:
    by_id = {row.id.lower(): row for row in rows}
    depth: dict[str, int] = {}
    for row in rows:
        chain: list[str] = []
        current: _Row | None = row
        while current is not None and current.parent:
            key = current.id.lower()
            if key in chain:
                reader.problem(row.number, "parent", "guideline.checklist.cycle", value=row.parent)
                break
            chain.append(key)
            parent = by_id.get(current.parent.lower())
            if parent is None:
                if current is row:
                    reader.problem(
                        row.number, "parent", "guideline.checklist.unknown_parent", value=row.parent
                    )
                break
            current = parent
        else:
            depth[row.id] = len(chain) + 1
    areas: dict[str, _Area] = {}
    items: dict[str, _Item] = {}
    # Parents first, whatever the sheet order; within a level the sheet order is kept.
    for row in sorted(rows, key=lambda r: depth.get(r.id, 0)):
        level = depth.get(row.id)
        if level is None:
            continue
        if level > 3:
            reader.problem(row.number, "parent", "guideline.checklist.too_deep", value=row.parent)
            continue
        text = reader.require_text(row, "question")
        if level == 1:
            areas[row.id.lower()] = _Area(row.id, row.number, text)
        elif level == 2:
            area = areas[row.parent.lower()]
            item = _Item(row.id, row.number, text)
            area.items[row.id.lower()] = items[row.id.lower()] = item
            if row.importance:
                item.importance.append(row.importance)
            for lang, evidence in row.texts.get("evidence", {}).items():
                item.evidence.setdefault(lang, []).append(evidence)
        else:
            item = items[row.parent.lower()]
            item.questions.append((row.id, text, row.number))
            if row.importance:
                item.importance.append(row.importance)
            for lang, evidence in row.texts.get("evidence", {}).items():
                if evidence not in item.evidence.setdefault(lang, []):
                    item.evidence[lang].append(evidence)
    for item in items.values():
        if not item.questions:
            item.questions.append((f"{item.id}.q", item.name, item.row))
    for area in areas.values():
        if not area.items:
            reader.problem(area.row, "id", "guideline.checklist.empty_area", value=area.id)
    return list(areas.values())


# --------------------------------------------------------------------------- framework


def _slug(stem: str) -> str:
    text = unicodedata.normalize("NFKC", stem).strip().replace(" ", "-")
    text = re.sub(r"[^A-Za-z0-9_.-]", "", text).strip("-_.")
    return text[:60]


def _framework_data(
    areas: list[_Area],
    reader: _Reader,
    meta: Mapping[str, Any],
    origins: dict[str, tuple[int, str]],
) -> dict[str, Any]:
    languages = reader.languages
    out_areas = []
    for a, area in enumerate(areas):
        origins[f"areas/{a}"] = (area.row, "area")
        out_items = []
        for i, item in enumerate(area.items.values()):
            origins[f"areas/{a}/items/{i}"] = (item.row, "item")
            evidence = {lang: "\n".join(texts) for lang, texts in item.evidence.items() if texts}
            for lang in languages:
                evidence.setdefault(lang, t("guideline.checklist.no_evidence", lang))
            questions = []
            for q, (qid, text, row) in enumerate(item.questions):
                origins[f"areas/{a}/items/{i}/questions/{q}"] = (row, "question")
                questions.append({"id": qid, "text": text})
            out_items.append(
                {
                    "id": item.id,
                    "name": item.name,
                    "description": item.name,
                    "importance": _strongest(item.importance, reader.mapping.default_importance),
                    "principles": [],
                    "typical_evidence": evidence,
                    "questions": questions,
                }
            )
        out_areas.append(
            {"id": area.id, "name": area.name, "description": area.name, "items": out_items}
        )
    data: dict[str, Any] = {"schema": SCHEMA_TAG, **meta, "areas": out_areas}
    if tuple(languages) != LANGUAGES:
        data["languages"] = list(languages)
    return data


def _meta(
    mapping: ChecklistMapping,
    languages: tuple[str, ...],
    path: Path,
    sheet: str,
    framework_id: str | None,
    version: int | None,
    edition: str | None,
) -> dict[str, Any]:
    given = dict(mapping.framework)
    fid = framework_id or given.get("id") or _slug(path.stem)
    ver = version if version is not None else given.get("version", 1)
    meta: dict[str, Any] = {
        "id": fid,
        "family": given.get("family") or fid,
        "edition": edition or given.get("edition") or str(ver),
        "version": ver,
        "derivation": given.get("derivation", "user"),
        "name": given.get("name") or {lang: path.stem for lang in languages},
        "description": given.get("description")
        or {
            lang: t("guideline.checklist.default_description", lang, file=path.name, sheet=sheet)
            for lang in languages
        },
        "provenance": given.get("provenance")
        or {
            lang: t("guideline.checklist.default_provenance", lang, file=path.name, sheet=sheet)
            for lang in languages
        },
        "maturity_scale": given.get("maturity_scale") or default_maturity_scale(),
        "principles": given.get("principles") or [],
    }
    if given.get("source"):
        meta["source"] = given["source"]
    return meta


def _origin_of(location: str, origins: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    best = None
    for path in origins:
        if (location == path or location.startswith(path + "/")) and (
            best is None or len(path) > len(best)
        ):
            best = path
    if best is None:
        return None
    row, name = origins[best]
    if location.endswith("/id") or location == best:
        return row, "id"
    return row, name


# --------------------------------------------------------------------------- entry point


def _merged_problems(
    ws: Worksheet, sheet: str, header_row: int, columns: list[Column]
) -> list[Located]:
    used = {c.index + 1: c for c in columns}
    problems = []
    for merged in ws.merged_cells.ranges:
        if merged.max_row < header_row:
            continue
        hit = [used[i] for i in range(merged.min_col, merged.max_col + 1) if i in used]
        if hit:
            problems.append(
                Located(
                    (sheet, max(merged.min_row, header_row), hit[0].label),
                    "guideline.checklist.merged",
                    {"range": merged.coord},
                )
            )
    return problems


def import_checklist(
    path: Path,
    mapping: ChecklistMapping | None = None,
    *,
    framework_id: str | None = None,
    version: int | None = None,
    edition: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping_source: str = "mapping",
) -> ChecklistImport:
    """Read a checklist workbook into a validated framework.

    ``mapping`` says which columns hold what (None: guess everything from the headings);
    ``sheet`` and ``header_row`` override the mapping's. Raises :class:`ImportProblems` listing
    every problem with its sheet, row, column and value. The file is checked by
    :mod:`econsec.workbook_guard` first and read in a child process with a memory limit.
    """
    try:
        inspect(path, LIMITS)
    except WorkbookRefused as exc:
        raise ImportProblems(path.name, [Located("", exc.key, exc.fields())]) from exc
    try:
        return isolated.call(
            read_checklist, path, mapping, framework_id=framework_id, version=version,
            edition=edition, sheet=sheet, header_row=header_row, mapping_source=mapping_source,
        )  # fmt: skip
    except isolated.ChildFailed as exc:
        raise ImportProblems(path.name, [Located("", exc.key, exc.fields(path.name))]) from exc


def read_checklist(
    path: Path,
    mapping: ChecklistMapping | None = None,
    *,
    framework_id: str | None = None,
    version: int | None = None,
    edition: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping_source: str = "mapping",
) -> ChecklistImport:
    """:func:`import_checklist` after the file checks (runs in a child process)."""
    mapping = mapping or ChecklistMapping()
    source = path.name
    try:
        wb = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise ImportProblems(
            source, [Located("", "guideline.checklist.unreadable", {"detail": str(exc)})]
        ) from exc
    sheet = sheet or mapping.sheet
    header_row = header_row or mapping.header_row
    if sheet is not None and sheet not in wb.sheetnames:
        raise ImportProblems(
            source,
            [
                Located(
                    "",
                    "guideline.checklist.no_sheet",
                    {"sheet": sheet, "sheets": ", ".join(wb.sheetnames)},
                )
            ],
        )
    candidates = [sheet] if sheet else list(wb.sheetnames)
    chosen: tuple[str, int] | None = None
    for name in candidates:
        row = header_row or _find_header(wb[name], mapping)
        if row:
            chosen = (name, row)
            break
    if chosen is None:
        raise ImportProblems(
            source,
            [
                Located(
                    "",
                    "guideline.checklist.no_header",
                    {"sheets": ", ".join(candidates), "rows": HEADER_SCAN_ROWS},
                )
            ],
        )
    sheet, header_row = chosen
    ws = wb[sheet]
    cells = _header_cells(ws, header_row)
    columns, problems = _resolve_columns(cells, mapping, sheet, header_row)
    if problems:
        raise ImportProblems(source, problems)
    problems.extend(_merged_problems(ws, sheet, header_row, columns))
    data_rows: list[tuple[int, tuple[Any, ...]]] = []
    used = {c.index for c in columns}
    for number, row_cells in enumerate(ws.iter_rows(min_row=header_row + 1), start=header_row + 1):
        for cell in row_cells:
            if cell.column - 1 in used and cell.data_type == "f":
                column = next(c for c in columns if c.index == cell.column - 1)
                problems.append(
                    Located(
                        (sheet, number, column.label),
                        "guideline.checklist.formula",
                        {"value": str(cell.value)},
                    )
                )
        values = tuple(c.value for c in row_cells)
        if any(cell_text(values[i]) for i in used if i < len(values)):
            data_rows.append((number, values))
    columns = _detect_languages(columns, data_rows, mapping)
    seen_lang: dict[tuple[str, str | None], Column] = {}
    for column in columns:
        key = (column.field, column.lang)
        if key in seen_lang:
            problems.append(
                Located(
                    (sheet, header_row, column.label),
                    "guideline.checklist.same_language",
                    {
                        "field": column.field,
                        "language": column.lang,
                        "other": seen_lang[key].label,
                    },
                )
            )
        seen_lang[key] = column
    text_langs = {
        name: {c.lang for c in columns if c.field == name and c.lang}
        for name in TEXT_FIELDS
        if any(c.field == name for c in columns)
    }
    if mapping.languages:
        languages = mapping.languages
        for lang in languages:
            for name, langs in text_langs.items():
                if lang not in langs and (name == "question" or name in ("area", "item")):
                    problems.append(
                        Located(
                            (sheet, header_row, name),
                            "guideline.checklist.no_language_column",
                            {"field": name, "language": lang},
                        )
                    )
    else:
        common = set(LANGUAGES)
        for langs in text_langs.values():
            common &= langs
        languages = tuple(lang for lang in LANGUAGES if lang in common)
        if not languages:
            problems.append(
                Located(
                    (sheet, header_row, "-"),
                    "guideline.checklist.no_common_language",
                    {
                        "columns": "; ".join(
                            f"{name}: {'/'.join(sorted(langs))}"
                            for name, langs in text_langs.items()
                        )
                    },
                )
            )
    if problems:
        raise ImportProblems(source, problems)
    reader = _Reader(sheet, columns, mapping, languages)
    rows: list[_Row] = []
    first_row: dict[str, int] = {}
    for number, values in data_rows:
        parsed = reader.parse(number, values)
        if parsed is None:
            continue
        folded = parsed.id.lower()
        if folded in first_row:
            reader.problem(
                number,
                "id",
                "guideline.checklist.duplicate_id",
                value=parsed.id,
                first=first_row[folded],
            )
            continue
        first_row[folded] = number
        rows.append(parsed)
    if not rows and not reader.problems:
        reader.problems.append(
            Located((sheet, header_row + 1, "-"), "guideline.checklist.no_rows", {})
        )
    meta = _meta(mapping, languages, path, sheet, framework_id, version, edition)
    if not meta["id"]:
        reader.problems.append(
            Located(f"{mapping_source}: framework/id", "guideline.checklist.need_id", {})
        )
    if "parent" in reader.by_field:
        areas = _build_tree(reader, rows)
    else:
        areas = _build_flat(reader, rows, meta["name"])
    if reader.problems:
        raise ImportProblems(source, reader.problems)
    origins: dict[str, tuple[int, str]] = {}
    data = _framework_data(areas, reader, meta, origins)
    try:
        framework = framework_from_dict(data, source)
    except FrameworkError as exc:
        located = []
        for issue in exc.issues:
            origin = _origin_of(issue.location, origins)
            where: str | tuple[str, int, str]
            if origin is None:
                where = f"{mapping_source}: framework/{issue.location}"
            else:
                where = reader.where(origin[0], origin[1])
            located.append(Located(where, issue.key, issue.params))
        raise ImportProblems(source, located) from exc
    return ChecklistImport(framework, sheet, header_row, tuple(columns), len(rows))
