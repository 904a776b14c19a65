"""Read a returned supplier workbook: its rows, or every problem located, all-or-nothing.

The file is checked by :mod:`econsec.workbook_guard` first (size, zip bomb, XML entities, each
sheet's extent, formulas) and refused when it carries macros; the cells are then read with
python-calamine in a child process with a memory and time limit (:mod:`econsec.isolated`).
Every problem names the sheet, row, column and value, in the supplier's language. A workbook
with any error yields no rows at all.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from econsec import isolated, tabular
from econsec.characters import unwanted
from econsec.survey import layout as lay
from econsec.survey.text import tr
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

# A questionnaire holds a few hundred rows; anything far larger is not one.
LIMITS = Limits(
    max_bytes=5 * 1024 * 1024,
    max_uncompressed=60 * 1024 * 1024,
    max_rows=20_000,
    max_columns=64,
    max_cells=400_000,
)
SHARE_SLACK = 1e-3  # as the value-chain import allows
_FREE_TEXT = {"input_name", "source_company", "source_site", "source_region", "name", "role"}


@dataclass(frozen=True)
class Problem:
    """One located problem: ``code`` is a message id; sheet/row/column/value locate it."""

    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        where = {"sheet": self.sheet, "row": self.row or "", "column": self.column}
        text = tr(self.code, lang, **{**where, **self.params, "value": self.value})
        if self.sheet and self.code.startswith("survey."):
            place = tr("survey.where", lang, sheet=self.sheet, row=self.row or "-",
                       column=self.column or "-")  # fmt: skip
            return f"{place}: {text}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sheet": self.sheet, "row": self.row, "column": self.column,
                "value": self.value, "params": self.params}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(data["code"], data.get("sheet", ""), data.get("row"), data.get("column", ""),
                   data.get("value", ""), dict(data.get("params") or {}))  # fmt: skip


@dataclass(frozen=True)
class Expect:
    """What this supplier's workbook may say: its campaign, its own items, sites and inputs."""

    campaign_id: int
    org_id: str
    items: frozenset[str]
    sites: frozenset[str]
    inputs: frozenset[str]


@dataclass
class Reading:
    rows: dict[str, list[dict[str, Any]]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def preload() -> None:
    """Load what reading an answer loads on first use (the reader process calls this once at
    its start, so that each child it forks per workbook has it)."""
    import python_calamine  # noqa: F401

    from econsec.reference.countries import is_country

    is_country("JP")


def read_answer(path: Path, expect: Expect, *, name: str | None = None) -> Reading:
    """The rows of the returned workbook ``path``, or its located problems (then no rows)."""
    source = name or path.name
    try:
        package = inspect(path, LIMITS, name=source)
    except WorkbookRefused as exc:
        return Reading({}, [_refused(exc)])
    if package.formulas:
        return Reading({}, [Problem("survey.file.formula", sheet, _row(f.cell), _col(f.cell),
                                    f.text) for sheet, f in package.formulas])  # fmt: skip
    if _has_macros(path):
        return Reading({}, [Problem("survey.file.macro", value=source)])
    try:
        return isolated.call(parse_answer, path, expect, source)
    except isolated.ChildFailed as exc:
        return Reading({}, [Problem(exc.key, value=source, params=exc.fields(source))])


def _refused(exc: WorkbookRefused) -> Problem:
    params = exc.fields()
    return Problem(exc.key, exc.sheet or "", exc.row, exc.column or "",
                   str(params.get("value", exc.cell or exc.file)), params)  # fmt: skip


def _row(cell: str) -> int | None:
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def _col(cell: str) -> str:
    return cell.rstrip("0123456789")


def _has_macros(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        names = [n.lower() for n in archive.namelist()]
        types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    return any(n.endswith(".bin") and "vba" in n for n in names) or b"macroEnabled" in types


def parse_answer(path: Path, expect: Expect, source: str) -> Reading:
    """:func:`read_answer` after the file checks (runs in a child process)."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        return Reading({}, [Problem("survey.file.unreadable", value=source,
                                    params={"reason": str(exc)})])  # fmt: skip
    try:
        cells = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)
                 for n in book.sheet_names}  # fmt: skip
    finally:
        book.close()
    return check_cells(cells, expect)


def check_cells(cells: dict[str, list[list[Any]]], expect: Expect) -> Reading:
    """Validate raw sheet cells against the layout and ``expect`` (pure; used by the tests)."""
    problems: list[Problem] = []
    for sheet in (lay.ABOUT, *lay.ANSWER_SHEETS):
        if sheet not in cells:
            problems.append(Problem("survey.file.no_sheet", sheet, value=sheet))
    if problems:
        return Reading({}, problems)
    about = {_text(r[0]): r[1] if len(r) > 1 else None for r in cells[lay.ABOUT] if r and r[0]}
    if _text(about.get("campaign_id")) != str(expect.campaign_id):
        problems.append(Problem("survey.file.wrong_campaign", lay.ABOUT, 1, "B",
                                _text(about.get("campaign_id"))))  # fmt: skip
    if _text(about.get("supplier_id")) != expect.org_id:
        problems.append(Problem("survey.file.wrong_supplier", lay.ABOUT, 2, "B",
                                _text(about.get("supplier_id"))))  # fmt: skip
    if problems:
        return Reading({}, problems)
    rows: dict[str, list[dict[str, Any]]] = {}
    for sheet in lay.ANSWER_SHEETS:
        rows[sheet] = _sheet_rows(sheet, cells[sheet], expect, problems)
    if not problems:  # a refused row would make its input's shares look short
        _shares_add_up(rows[lay.SOURCES], problems)
    return Reading({} if problems else rows, problems)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return tabular.restore(value.strip())
    return str(value).strip()


def _sheet_rows(
    sheet: str, cells: list[list[Any]], expect: Expect, problems: list[Problem]
) -> list[dict[str, Any]]:
    header = [_text(v) for v in (cells[0] if cells else [])]
    position = {key: i for i, key in enumerate(header) if key}
    missing = [key for key in lay.keys(sheet) if key not in position]
    if missing:
        problems.extend(Problem("survey.file.missing_column", sheet, 1, "", k) for k in missing)
        return []
    out = []
    answer_keys = [c for c in lay.COLUMNS[sheet] if not c.given]
    for number, values in enumerate(cells[lay.FIRST_DATA_ROW - 1 :], start=lay.FIRST_DATA_ROW):
        raw = {c.key: values[position[c.key]] if position[c.key] < len(values) else None
               for c in lay.COLUMNS[sheet]}  # fmt: skip
        if all(_text(raw[c.key]) == "" for c in answer_keys):
            continue  # a prefilled row left unanswered, or an empty row
        before = len(problems)
        row: dict[str, Any] = {"row": number}
        for column in lay.COLUMNS[sheet]:
            row[column.key] = _cell(sheet, number, column, raw[column.key], expect, problems)
        if len(problems) == before and _row_complete(sheet, number, row, problems):
            out.append(row)
    return out


def _cell(
    sheet: str, number: int, column: lay.Col, value: Any, expect: Expect, problems: list[Problem]
) -> Any:
    letter = lay.letter(sheet, column.key)

    def bad(code: str, **params: Any) -> None:
        problems.append(Problem(code, sheet, number, letter, _text(value),
                                {"field": column.key, **params}))  # fmt: skip

    if column.kind in ("number", "share"):
        if value is None or value == "":
            return None
        try:
            number_value = float(_text(value)) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            bad("survey.cell.not_number")
            return None
        top = 1.0 if column.kind == "share" else 1e9
        if not 0 <= number_value <= top or number_value != number_value:
            bad("survey.cell.out_of_range", low=0, high=1 if column.kind == "share" else "∞")
            return None
        return number_value
    text = _text(value)
    if not text:
        return ""
    hit = unwanted(text, identifier=column.key not in _FREE_TEXT)
    if hit is not None:
        bad("survey.cell.unwanted_character", char=hit[1], position=hit[0])
        return None
    if len(text) > 500:
        bad("survey.cell.too_long", limit=500)
        return None
    if column.kind == "country":
        from econsec.reference.countries import is_country

        code = text.upper()
        if not is_country(code):
            bad("survey.cell.not_country")
            return None
        return code
    if column.kind == "choice" and text.lower() not in column.choices:
        bad("survey.cell.not_choice", choices=", ".join(column.choices))
        return None
    if column.kind == "item" and text not in expect.items:
        bad("survey.cell.not_your_item")
        return None
    if column.kind == "site" and text not in expect.sites:
        bad("survey.cell.not_your_site")
        return None
    if column.key == "input_item_id" and text not in expect.inputs:
        bad("survey.cell.unknown_input")
        return None
    if column.kind == "email" and ("@" not in text or " " in text):
        bad("survey.cell.not_email")
        return None
    return text.lower() if column.kind == "choice" else text


def _row_complete(sheet: str, number: int, row: dict[str, Any], problems: list[Problem]) -> bool:
    needed: tuple[str, ...] = ()
    if sheet == lay.SOURCES:
        needed = ("item_id", "your_site_id", "source_company", "source_company_country", "share")
        if not row.get("input_item_id") and not row.get("input_name"):
            needed += ("input_name",)
    elif sheet == lay.CONTINUITY:
        needed = ("site_id",)
    elif sheet == lay.CONTACTS:
        needed = ("name",)
    missing = [k for k in needed if row.get(k) in (None, "")]
    for key in missing:
        problems.append(Problem("survey.cell.required", sheet, number, lay.letter(sheet, key), "",
                                {"field": key}))  # fmt: skip
    return not missing


def _shares_add_up(rows: list[dict[str, Any]], problems: list[Problem]) -> None:
    """The sources of one input at one site together supply all of it (shares add up to 1).

    The questionnaire asks per item we buy, so an input two of those items need at one site is
    asked twice; both answers describe the one stock of that input at the site (the value chain
    keeps one set of links into it), so each must add up to 1 on its own and name the same
    sources with the same shares. Adding the two answers up (as this did first) refused every
    returned workbook that repeated such an input, even unchanged.
    """
    groups: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    last: dict[tuple[str, str, str], int] = {}
    for row in rows:
        need = (row["your_site_id"], row.get("input_item_id") or row.get("input_name") or "")
        source = f"{row['source_company']}\x1f{row.get('source_site') or ''}".casefold()
        shares = groups.setdefault(need, {}).setdefault(row["item_id"], {})
        shares[source] = shares.get(source, 0.0) + float(row["share"])
        last[(*need, row["item_id"])] = row["row"]
    share_col = lay.letter(lay.SOURCES, "share")
    for need, by_item in groups.items():
        first: dict[str, float] | None = None
        for item, shares in by_item.items():
            value = sum(shares.values())
            where = last[(*need, item)]
            if abs(value - 1.0) > SHARE_SLACK:
                problems.append(Problem("survey.cell.shares_exceed", lay.SOURCES, where,
                                        share_col, f"{value:.3f}",
                                        {"site": need[0], "input": need[1]}))  # fmt: skip
            elif first is None:
                first = shares
            elif not _same_sources(first, shares):
                problems.append(Problem("survey.cell.sources_differ", lay.SOURCES, where,
                                        share_col, f"{value:.3f}",
                                        {"site": need[0], "input": need[1], "item": item}))  # fmt: skip


def _same_sources(one: dict[str, float], other: dict[str, float]) -> bool:
    return one.keys() == other.keys() and all(abs(one[k] - other[k]) <= SHARE_SLACK for k in one)
