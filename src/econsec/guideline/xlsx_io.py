"""Assessment workbooks: export a framework (blank) or a campaign to xlsx, one row per question,
and read the answers back.

Layout of sheet ``assessment``: row 1 holds the stable column keys (what the importer matches),
row 2 the column labels in the chosen language, data from row 3. Item-level fields (maturity,
owner, due date, item comment) repeat on every question row of the item; on import the
non-blank values of one item must agree. A blank cell leaves the stored value unchanged.
Sheet ``about`` names the framework and campaign so answers cannot land on the wrong one.
Cells are written through :mod:`econsec.tabular` (no text runs as a formula) and read back
with :func:`econsec.tabular.restore`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from econsec import isolated, tabular
from econsec.characters import unwanted
from econsec.guideline.frameworks import Framework
from econsec.guideline.interchange_errors import ImportProblems, Located
from econsec.guideline.scoring import Result
from econsec.i18n import normalise_lang, t
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

SHEET = "assessment"
ABOUT = "about"
COLUMNS = (
    "area_id",
    "item_id",
    "question_id",
    "area",
    "item",
    "question",
    "typical_evidence",
    "maturity_guide",
    "result",
    "question_comment",
    "maturity",
    "owner",
    "due_date",
    "item_comment",
)
REQUIRED = (
    "item_id",
    "question_id",
    "result",
    "question_comment",
    "maturity",
    "owner",
    "due_date",
    "item_comment",
)
_WIDTH = {"question": 60, "typical_evidence": 40, "maturity_guide": 45, "item": 28, "area": 22}
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
# A questionnaire has one row per question (the bundled guideline: 40); checked before reading.
LIMITS = Limits(
    max_bytes=10 * 1024 * 1024,
    max_uncompressed=200 * 1024 * 1024,
    max_rows=20_000,
    max_columns=64,
    max_cells=1_000_000,
)
_FREE_TEXT = ("question_comment", "owner", "item_comment")


def result_label(result: Result, lang: str | None) -> str:
    return t(f"guideline.result.{result.value}", lang)


def parse_result(value: str) -> Result | None:
    """A result from its key or its Japanese or English label; None if not recognised."""
    text = value.strip()
    for result in Result:
        if text.lower() in {
            result.value,
            *(t(f"guideline.result.{result.value}", lang).lower() for lang in ("ja", "en")),
        }:
            return result
    return None


def export_workbook(
    framework: Framework,
    path: Path,
    lang: str | None = None,
    campaign_meta: dict[str, Any] | None = None,
    answers: dict[str, tuple[str, str]] | None = None,
    items: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Write the questionnaire; ``answers``: question id → (result, comment); ``items``:
    item id → {maturity, owner, due_date, comment}."""
    lang = normalise_lang(lang)
    answers = answers or {}
    items = items or {}
    wb = tabular.new_workbook()
    ws = tabular.add_sheet(wb, SHEET)
    tabular.append(ws, COLUMNS)
    tabular.append(ws, [t(f"guideline.xlsx.col.{c}", lang) for c in COLUMNS])
    for area, item, question in framework.questions():
        result, q_comment = answers.get(question.id, ("", ""))
        item_data = items.get(item.id, {})
        guide = "\n".join(
            f"{level}: {framework.maturity_text(item, level).get(lang)}" for level in range(5)
        )
        due = item_data.get("due_date")
        tabular.append(
            ws,
            [
                area.id,
                item.id,
                question.id,
                area.name.get(lang),
                item.name.get(lang),
                question.text.get(lang),
                item.typical_evidence.get(lang),
                guide,
                result_label(Result(result), lang) if result else None,
                q_comment or None,
                item_data.get("maturity"),
                item_data.get("owner") or None,
                due,
                item_data.get("comment") or None,
            ],
        )
    key_font = Font(color="808080", size=8)
    for col_index, key in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=col_index).column_letter
        ws.cell(row=1, column=col_index).font = key_font
        ws.cell(row=2, column=col_index).font = Font(bold=True)
        ws.column_dimensions[letter].width = _WIDTH.get(key, 14)
    last = ws.max_row
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=3, max_row=last):
        for c in row:
            c.alignment = wrap
            if COLUMNS[c.column - 1] in REQUIRED[2:]:
                c.fill = _INPUT_FILL
        row[COLUMNS.index("due_date")].number_format = "yyyy-mm-dd"
    labels = ",".join(result_label(r, lang) for r in Result)
    result_col = ws.cell(row=1, column=COLUMNS.index("result") + 1).column_letter
    maturity_col = ws.cell(row=1, column=COLUMNS.index("maturity") + 1).column_letter
    dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    dv.add(f"{result_col}3:{result_col}{max(last, 3)}")
    mv = DataValidation(
        type="whole", operator="between", formula1="0", formula2="4", allow_blank=True
    )
    mv.add(f"{maturity_col}3:{maturity_col}{max(last, 3)}")
    ws.add_data_validation(dv)
    ws.add_data_validation(mv)
    ws.freeze_panes = "D3"
    about = tabular.add_sheet(wb, ABOUT)
    meta = {
        "framework_id": framework.id,
        "framework_version": framework.version,
        "framework_name": framework.name.get(lang),
        "provenance": framework.provenance.get(lang),
        **(campaign_meta or {}),
    }
    for key, value in meta.items():
        tabular.append(about, [key, value])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    tabular.save(wb, path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return tabular.restore(value.strip())
    return str(value).strip()


def _unwanted_characters(row: dict[str, Any], where: Any) -> list[Located]:
    found = []
    for key in REQUIRED:  # the columns read; the rest is the questionnaire's own text
        value = row.get(key)
        hit = unwanted(value, identifier=key not in _FREE_TEXT) if isinstance(value, str) else None
        if hit is not None:
            found.append(
                Located(where(key), "text.unwanted_character",
                        {"field": key, "char": hit[1], "position": hit[0]})
            )  # fmt: skip
    return found


def read_workbook(
    framework: Framework, path: Path, campaign_id: int | None = None
) -> tuple[dict[str, tuple[Result | None, str | None]], dict[str, dict[str, Any]]]:
    """Parse and validate a filled-in workbook against ``framework``.

    Returns (question id → (result or None = unchanged, comment or None = unchanged),
    item id → {field: value} with only the fields given). Raises :class:`ImportProblems`
    listing every located problem. The file is checked by :mod:`econsec.workbook_guard`
    first (size, extent, formulas) and parsed in a child process with a memory limit.
    """
    source = path.name
    try:
        package = inspect(path, LIMITS)
    except WorkbookRefused as exc:
        raise ImportProblems(source, [Located("", exc.key, exc.fields())]) from exc
    if package.formulas:
        raise ImportProblems(
            source,
            [
                Located("", "workbook.formula",
                        {"file": source, "sheet": sheet, "cell": f.cell, "value": f.text})
                for sheet, f in package.formulas
            ],
        )  # fmt: skip
    try:
        return isolated.call(parse_workbook, framework, path, campaign_id)
    except isolated.ChildFailed as exc:
        raise ImportProblems(source, [Located("", exc.key, exc.fields(source))]) from exc


def parse_workbook(
    framework: Framework, path: Path, campaign_id: int | None = None
) -> tuple[dict[str, tuple[Result | None, str | None]], dict[str, dict[str, Any]]]:
    """:func:`read_workbook` after the file checks (runs in a child process)."""
    source = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportProblems(
            source, [Located(source, "guideline.xlsx.unreadable", {"detail": str(exc)})]
        ) from exc
    problems: list[Located] = []
    if SHEET not in wb.sheetnames:
        raise ImportProblems(source, [Located(source, "guideline.xlsx.no_sheet", {"sheet": SHEET})])
    for sheet in wb.worksheets:
        # Read-only mode pads every row to the declared <dimension>: use the cells present.
        sheet.reset_dimensions()
    if ABOUT in wb.sheetnames:
        meta = {_text(r[0]): r[1] for r in wb[ABOUT].iter_rows(values_only=True) if r and r[0]}
        if _text(meta.get("framework_id")) not in ("", framework.id):
            problems.append(
                Located(
                    f"{ABOUT}!B1",
                    "guideline.xlsx.wrong_framework",
                    {"found": meta.get("framework_id"), "expected": framework.id},
                )
            )
        if campaign_id is not None and _text(meta.get("campaign_id")) not in ("", str(campaign_id)):
            problems.append(
                Located(
                    ABOUT,
                    "guideline.xlsx.wrong_campaign",
                    {"found": meta.get("campaign_id"), "expected": campaign_id},
                )
            )
    rows = wb[SHEET].iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    position = {key: i for i, key in enumerate(header) if key}
    missing = [key for key in REQUIRED if key not in position]
    for key in missing:
        problems.append(Located(f"{SHEET}!1", "guideline.xlsx.missing_column", {"column": key}))
    if missing:
        raise ImportProblems(source, problems)
    next(rows, None)  # the label row
    questions: dict[str, tuple[Result | None, str | None]] = {}
    items: dict[str, dict[str, Any]] = {}
    item_origin: dict[tuple[str, str], int] = {}
    seen_rows: dict[str, int] = {}
    for row_number, values in enumerate(rows, start=3):
        row = {key: values[i] if i < len(values) else None for key, i in position.items()}
        get = row.get

        def where(column: str, row_number: int = row_number) -> tuple[str, int, str]:
            return (SHEET, row_number, column)

        qid, iid = _text(get("question_id")), _text(get("item_id"))
        if not qid and not iid and all(v is None for v in values):
            continue
        bad = _unwanted_characters(row, where)
        if bad:
            problems.extend(bad)
            continue
        if qid not in framework.question_index:
            problems.append(
                Located(where("question_id"), "guideline.xlsx.unknown_question", {"value": qid})
            )
            continue
        if qid in seen_rows:
            problems.append(
                Located(
                    where("question_id"),
                    "guideline.xlsx.duplicate_question",
                    {"value": qid, "first": seen_rows[qid]},
                )
            )
            continue
        seen_rows[qid] = row_number
        owner_item = framework.question_index[qid][0]
        if iid and iid != owner_item.id:
            problems.append(
                Located(
                    where("item_id"),
                    "guideline.xlsx.item_mismatch",
                    {"value": iid, "question": qid, "expected": owner_item.id},
                )
            )
            continue
        raw_result = _text(get("result"))
        result: Result | None = None
        if raw_result:
            result = parse_result(raw_result)
            if result is None:
                allowed = " / ".join(
                    f"{t(f'guideline.result.{r.value}', 'ja')}|{t(f'guideline.result.{r.value}', 'en')}"
                    for r in Result
                )
                problems.append(
                    Located(
                        where("result"),
                        "guideline.xlsx.bad_result",
                        {"value": raw_result, "allowed": allowed},
                    )
                )
        comment = _text(get("question_comment"))
        questions[qid] = (result, comment or None)
        fields: dict[str, Any] = {}
        raw_maturity = get("maturity")
        if _text(raw_maturity):
            try:
                level = int(_text(raw_maturity))
                if str(level) != _text(raw_maturity) or not 0 <= level <= 4:
                    raise ValueError
                fields["maturity"] = level
            except ValueError:
                problems.append(
                    Located(
                        where("maturity"),
                        "guideline.xlsx.bad_maturity",
                        {"value": _text(raw_maturity)},
                    )
                )
        if _text(get("owner")):
            fields["owner"] = _text(get("owner"))
        raw_due = get("due_date")
        if isinstance(raw_due, dt.datetime):
            fields["due_date"] = raw_due.date()
        elif isinstance(raw_due, dt.date):
            fields["due_date"] = raw_due
        elif _text(raw_due):
            try:
                fields["due_date"] = dt.date.fromisoformat(_text(raw_due))
            except ValueError:
                problems.append(
                    Located(where("due_date"), "guideline.xlsx.bad_date", {"value": _text(raw_due)})
                )
        if _text(get("item_comment")):
            fields["comment"] = _text(get("item_comment"))
        merged = items.setdefault(owner_item.id, {})
        for key, value in fields.items():
            if key in merged and merged[key] != value:
                problems.append(
                    Located(
                        where({"comment": "item_comment"}.get(key, key)),
                        "guideline.xlsx.item_conflict",
                        {
                            "item": owner_item.id,
                            "value": value,
                            "other": merged[key],
                            "row": item_origin[(owner_item.id, key)],
                        },
                    )
                )
            else:
                merged[key] = value
                item_origin.setdefault((owner_item.id, key), row_number)
    if problems:
        raise ImportProblems(source, problems)
    return questions, {k: v for k, v in items.items() if v}
