"""The risk register as a workbook: export, and an all-or-nothing import with located errors.

Sheet ``risks``: row 1 the stable column keys (what the importer matches), row 2 the labels in
the chosen language, data from row 3. Import creates the risks whose code is new and changes the
others (each change in the audit trail); the link columns are informative and not imported
(links are made with ``econsec risk add --scenario`` or on the risk's page). Any problem:
nothing is written. The command line and the web upload read through the same :func:`read`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Font

from econsec import tabular
from econsec.characters import unwanted
from econsec.governance import risks
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Risk
from econsec.i18n import t
from econsec.sheet_problems import ImportProblems, Problem
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

# A register has hundreds of risks, not tens of thousands.
LIMITS = Limits(
    max_bytes=10 * 1024 * 1024,
    max_uncompressed=200 * 1024 * 1024,
    max_rows=20_000,
    max_columns=64,
    max_cells=1_000_000,
)

SHEET = "risks"
TEXT = ("title_ja", "title_en", "description_ja", "description_en", "area", "owner", "causes",
        "consequences", "treatment")  # fmt: skip
LEVELS = ("likelihood", "residual_likelihood", "residual_impact")
COLUMNS = ("code", *TEXT[:-1], "entered_impact", *LEVELS, "treatment", "review_every_days",
           "next_review", "link_kind", "link_label", "impact", "inherent", "residual")  # fmt: skip
IMPORTED = ("code", *TEXT, "entered_impact", *LEVELS, "review_every_days", "next_review")


def export(path: Path, lang: str) -> int:
    """Write the register; returns the number of risks written."""
    wb = tabular.new_workbook()
    ws = tabular.add_sheet(wb, SHEET)
    tabular.append(ws, list(COLUMNS))
    tabular.append(ws, [t(f"governance.xlsx.col.{c}", lang) for c in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    count = 0
    for r in risks.rate_all(Risk.objects.all()):
        risk = r.risk
        computed = {"impact": r.impact.money, "inherent": r.inherent, "residual": r.residual}
        tabular.append(ws, [computed[c] if c in computed else getattr(risk, c) for c in COLUMNS])
        count += 1
    tabular.save(wb, path)
    return count


def _restored(value: Any) -> Any:
    # Text the export made inert (a leading apostrophe) reads back as it was entered.
    return tabular.restore(value) if isinstance(value, str) else value


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    return int(str(value).strip())


def _visible(text: str, identifier: bool = False) -> str:
    """``text`` with each unwanted character shown as its code point, so the message that
    quotes the value cannot itself be reordered or hidden by it."""
    while (found := unwanted(text, identifier=identifier)) is not None:
        position = found[0] - 1
        text = f"{text[:position]}<{found[1].split()[0]}>{text[position + 1 :]}"
    return text


def _parse(values: dict[str, Any], row: int) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    fields: dict[str, Any] = {}

    def bad(column: str, key: str, **params: Any) -> None:
        problems.append(Problem(SHEET, row, column, values.get(column), key, params))

    for column in TEXT:
        value = values.get(column)
        fields[column] = "" if value is None else str(value).strip()
        found = unwanted(fields[column])
        if found is not None:
            problems.append(Problem(SHEET, row, column, _visible(fields[column]),
                                    "text.unwanted_character",
                                    {"field": column, "char": found[1], "position": found[0]}))  # fmt: skip
    if not fields["treatment"]:
        fields["treatment"] = "mitigate"
    for column in (*LEVELS, "review_every_days"):
        value = values.get(column)
        if value is None or value == "":
            fields[column] = None
            continue
        try:
            fields[column] = _int(value)
        except (TypeError, ValueError):
            bad(column, "governance.xlsx.not_integer")
    if fields.get("likelihood") is None and "likelihood" not in {p.column for p in problems}:
        bad("likelihood", "governance.xlsx.required")
    if fields.get("review_every_days") is None:
        fields.pop("review_every_days")
    impact = values.get("entered_impact")
    if impact is None or impact == "":
        fields["entered_impact"] = None
    else:
        try:
            fields["entered_impact"] = float(impact)
        except (TypeError, ValueError):
            bad("entered_impact", "governance.xlsx.not_number")
    review = values.get("next_review")
    if isinstance(review, dt.datetime):
        fields["next_review"] = review.date()
    elif review is None or review == "":
        fields["next_review"] = None
    else:
        try:
            fields["next_review"] = dt.date.fromisoformat(str(review).strip())
        except ValueError:
            bad("next_review", "governance.xlsx.not_date")
    for column in ("title_ja", "title_en"):
        if not fields[column]:
            bad(column, "governance.xlsx.required")
    return fields, problems


def read(path: Path) -> dict[str, dict[str, Any]]:
    """Parse and check the workbook: code → fields. Raises :class:`ImportProblems`."""
    try:
        package = inspect(path, LIMITS)
    except WorkbookRefused as exc:
        raise ImportProblems([Problem(exc.sheet or path.name, exc.row or 0,
                                      exc.column or exc.cell or "", None, exc.key,
                                      exc.fields())]) from exc  # fmt: skip
    if package.formulas:
        # Refused, not read as its cached value: the file is not what it shows.
        sheet, formula = package.formulas[0]
        row = int("".join(c for c in formula.cell if c.isdigit()) or 0)
        raise ImportProblems(
            [Problem(sheet, row, formula.cell, formula.text, "workbook.formula",
                     {"file": path.name, "sheet": sheet, "cell": formula.cell,
                      "value": formula.text})]
        )  # fmt: skip
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportProblems(
            [Problem(path.name, 0, "", None, "governance.xlsx.unreadable", {"detail": str(exc)})]
        ) from exc
    if SHEET not in wb.sheetnames:
        raise ImportProblems([Problem(SHEET, 0, "", None, "governance.xlsx.no_sheet", {})])
    rows = wb[SHEET].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    position = {key: i for i, key in enumerate(header) if key}
    missing = [c for c in ("code", "title_ja", "title_en", "likelihood") if c not in position]
    if missing:
        raise ImportProblems(
            [Problem(SHEET, 1, c, None, "governance.xlsx.missing_column", {}) for c in missing]
        )
    next(rows, None)  # the label row
    problems: list[Problem] = []
    parsed: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row_number, raw in enumerate(rows, start=3):
        values = {
            k: _restored(raw[i]) if i < len(raw) else None
            for k, i in position.items()
            if k in IMPORTED
        }
        if all(v is None or v == "" for v in values.values()):
            continue
        code = "" if values.get("code") is None else str(values["code"]).strip()
        if not code:
            problems.append(
                Problem(SHEET, row_number, "code", None, "governance.xlsx.required", {})
            )
            continue
        odd = unwanted(code, identifier=True)
        if odd is not None:
            problems.append(Problem(SHEET, row_number, "code", _visible(code, True),
                                    "text.unwanted_character",
                                    {"field": "code", "char": odd[1], "position": odd[0]}))  # fmt: skip
            continue
        if code in first_row:
            problems.append(Problem(SHEET, row_number, "code", code, "governance.xlsx.duplicate",
                                    {"first": first_row[code]}))  # fmt: skip
            continue
        first_row[code] = row_number
        fields, found = _parse(values, row_number)
        problems += found
        try:
            risks.check(fields)
        except GovernanceError as exc:
            column = str(exc.params.get("field", "treatment"))
            problems.append(Problem(SHEET, row_number, column, fields.get(column), exc.key,
                                    exc.params))  # fmt: skip
        parsed[code] = fields
    if problems:
        raise ImportProblems(problems)
    existing = {r.code: r for r in Risk.objects.filter(code__in=parsed)}
    for code, fields in parsed.items():
        stored = existing.get(code)
        if fields["treatment"] == "accept" and (stored is None or stored.treatment != "accept"):
            problems.append(Problem(SHEET, first_row[code], "treatment", "accept",
                                    "governance.risk.accept_needs_approval", {"code": code}))  # fmt: skip
    if problems:
        raise ImportProblems(problems)
    return parsed


def import_workbook(path: Path, *, actor: str) -> tuple[int, int]:
    """Apply the workbook in one transaction; returns (created, changed)."""
    parsed = read(path)
    created = changed = 0
    with transaction.atomic():
        for code, fields in parsed.items():
            stored = Risk.objects.filter(code=code).first()
            if stored is None:
                risks.create(code, actor=actor, **fields)
                created += 1
            else:
                before = stored.updated_at
                risks.change(stored, actor=actor, reason=path.name, **fields)
                changed += int(stored.updated_at != before)
    return created, changed
