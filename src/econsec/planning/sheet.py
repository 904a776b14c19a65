"""The measures sheet 「対策」/"measures": read from the company workbook or a workbook of its
own, written through the formula-safe writer (docs/decisions/0103).

Reading goes the value-chain import's way: the package is checked by
:mod:`econsec.workbook_guard`, then python-calamine reads the cells in a child process with a
memory and time cap (:mod:`econsec.isolated`, via the value-chain reader). Only the measures
sheet is used; the value-chain import ignores it (an unknown sheet is a warning there). Row 1
holds the column keys (or their ja/en labels), an optional row 2 the labels; data follows.

The import is all-or-nothing: every row is parsed and every measure checked against the stored
chain (unknown site, item, source or chokepoint; negative cost), each problem located by sheet,
row, column and value in ja/en, and nothing is written while any problem remains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from econsec import tabular
from econsec.i18n import normalise_lang, t
from econsec.planning.errors import PlanningError
from econsec.planning.measures import (
    KINDS,
    CostParameters,
    Measure,
    apply_measures,
    parse_measure,
    resolve_costs,
)
from econsec.valuechain.compiled import CompiledChain

SHEET_NAMES = ("measures", "対策", "Measures")
COLUMNS = (
    "id", "kind", "site", "item", "supplier_site", "chokepoint", "units", "weeks_of_cover",
    "unit_value", "qualification_weeks", "capacity_per_week", "ttr_weeks", "one_off_cost",
    "annual_cost", "unit_premium_pct", "source", "comment",
)  # fmt: skip
MAX_ROWS = 5_000
MAX_COMPILE_REFUSALS = 3
PARAMS = CostParameters()


@dataclass(frozen=True)
class SheetProblem:
    """A planning error at a place in the sheet; rendered with the place in ja or en."""

    sheet: str
    row: int
    column: str
    value: Any
    key: str
    params: dict[str, Any]

    def message(self, lang: str | None = None) -> str:
        where = t("planning.sheet.where", lang, sheet=self.sheet, row=self.row)
        shown = normalise_lang(lang)
        params = {k: v.get(shown, v.get("en")) if isinstance(v, dict) else v
                  for k, v in self.params.items()}  # fmt: skip
        return t(self.key, lang, **{**params, "where": where})

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "value": None if self.value is None else str(self.value)[:80],
                "message": self.message(lang)}  # fmt: skip


class SheetProblems(Exception):
    def __init__(self, problems: list[SheetProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems

    def message(self, lang: str | None = None) -> str:
        lines = [p.message(lang) for p in self.problems]
        lines.append(t("planning.sheet.nothing_written", lang, count=len(self.problems)))
        return "\n".join(lines)


def _aliases(columns: tuple[str, ...] = COLUMNS, labels: str = "sheet.col") -> dict[str, str]:
    out = {}
    for key in columns:
        out[key] = key
        for lang in ("ja", "en"):
            out[t(f"planning.{labels}.{key}", lang).strip().lower()] = key
    return out


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = tabular.restore(value).strip()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def read_book(path: Path) -> Any:
    """The workbook's sheets read by the value-chain reader (guard, isolated child)."""
    from econsec.valuechain.intake.readers import read_source

    book = read_source(path)
    errors = [i for i in book.issues if i.is_error]
    if errors:
        raise SheetProblems([
            SheetProblem(i.sheet or path.name, i.row or 0, i.column or "", i.value,
                         "planning.sheet.file",
                         {"problem": {"ja": i.message("ja"), "en": i.message("en")}})
            for i in errors
        ])  # fmt: skip
    return book


def read_rows(path: Path) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """(sheet name, numbered rows keyed by column) of the measures sheet; raises SheetProblems."""
    book = read_book(path)
    name = next((n for n in SHEET_NAMES if n in book.sheets), None)
    if name is None:
        raise SheetProblems([SheetProblem(path.name, 0, "", None, "planning.sheet.no_sheet",
                                          {"names": "、".join(SHEET_NAMES[:2])})])  # fmt: skip
    return name, sheet_rows(book.sheets[name], COLUMNS, "sheet.col")


def sheet_rows(raw: Any, columns: tuple[str, ...], labels: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows of one sheet keyed by column (keys or their ja/en labels in row 1)."""
    name = raw.name
    aliases = _aliases(columns, labels)
    position: dict[str, int] = {}
    problems: list[SheetProblem] = []
    for i, cell in enumerate(raw.header):
        text = str(cell or "").strip().lower()
        if not text:
            continue
        key = aliases.get(text)
        if key is None:
            problems.append(SheetProblem(name, 1, str(cell), cell,
                                         "planning.sheet.unknown_column", {"value": cell}))  # fmt: skip
        else:
            position[key] = i
    for key in columns[:1] if columns != COLUMNS else ("id", "kind"):
        if key not in position:
            problems.append(SheetProblem(name, 1, key, None, "planning.sheet.missing_column",
                                         {"field": key}))  # fmt: skip
    if problems:
        raise SheetProblems(problems)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in raw.numbered():
        cells = {k: _cell(values[i]) if i < len(values) else None for k, i in position.items()}
        if all(v is None for v in cells.values()):
            continue
        if str(cells.get(columns[0]) or "").strip().lower() in aliases:
            continue  # the label row under the keys
        rows.append((number, {k: v for k, v in cells.items() if v is not None}))
    if len(rows) > MAX_ROWS:
        raise SheetProblems([SheetProblem(name, rows[MAX_ROWS][0], "", None,
                                          "planning.sheet.too_many", {"most": MAX_ROWS})])  # fmt: skip
    return rows


def _located(sheet: str, row: int, exc: PlanningError) -> SheetProblem:
    params = {k: v for k, v in exc.params.items() if k != "where"}
    column = str(params.get("field", ""))
    return SheetProblem(sheet, row, column, params.get("value"), exc.key, params)


def parse(path: Path, chain: CompiledChain) -> list[Measure]:
    """Every measure of the sheet, each checked on ``chain``; all problems raised together."""
    sheet, rows = read_rows(path)
    measures, problems = measures_from_rows(sheet, rows, chain)
    if problems:
        raise SheetProblems(problems)
    return measures


class _Known:
    """The chain's ids and supply routes as sets, built once per import, so each row is checked
    in constant time; compiling the measures (apply_measures) stays the final word."""

    def __init__(self, chain: CompiledChain) -> None:
        site, item = chain.site_ids, chain.item_ids
        self.sites, self.items = set(site), set(item)
        self.chokepoints = set(chain.chokepoint_ids)
        slot = [(site[s], item[i]) for s, i in zip(chain.slot_site, chain.slot_item, strict=True)]
        node = [(site[s], item[i]) for s, i in zip(chain.node_site, chain.node_item, strict=True)]
        self.made = set(node)
        self.routes = {(node[int(n)][0], *slot[int(k)])
                       for n, k in zip(chain.link_src, chain.link_slot, strict=True)}  # fmt: skip
        self.routes |= {(node[int(n)][0], *slot[int(k)])
                        for n, k in zip(chain.alt_src, chain.alt_slot, strict=True)}  # fmt: skip

    def refusal(self, m: Measure) -> PlanningError | None:
        for name, known in (("site", self.sites), ("supplier_site", self.sites),
                            ("item", self.items), ("chokepoint", self.chokepoints)):  # fmt: skip
            value = getattr(m, name)
            if value and value not in known:
                return PlanningError("planning.measure.unknown", where=m.where, field=name,
                                     value=value)  # fmt: skip
        route = (m.supplier_site, m.site, m.item)
        if m.kind in ("prequalify", "reroute") or (
            m.kind == "reserve_capacity" and m.supplier_site
        ):
            if route not in self.routes:
                return PlanningError("planning.measure.no_source", where=m.where,
                                     supplier=m.supplier_site, item=m.item, site=m.site)  # fmt: skip
        elif m.kind == "reserve_capacity" and (m.site, m.item) not in self.made:
            return PlanningError("planning.measure.not_made", where=m.where, item=m.item,
                                 site=m.site)  # fmt: skip
        return None


def measures_from_rows(
    sheet: str, rows: list[tuple[int, dict[str, Any]]], chain: CompiledChain
) -> tuple[list[Measure], list[SheetProblem]]:
    """Every row parsed and checked on the chain. The ids are checked row by row; the measures
    are then applied together (one compiled chain, not one per row), and a measure the chain
    refuses (no such source, nothing held there…) is located by its row and left out."""
    problems: list[SheetProblem] = []
    measures: list[Measure] = []
    first: dict[str, int] = {}
    row_of: dict[str, int] = {}
    known = _Known(chain)
    for number, entry in rows:
        if isinstance(entry.get("id"), float):
            value = entry["id"]
            entry["id"] = str(int(value)) if value.is_integer() else str(value)
        try:
            m = parse_measure(entry, f"{sheet}:{number}")
        except PlanningError as exc:
            problems.append(_located(sheet, number, exc))
            continue
        if m.id in first:
            problems.append(SheetProblem(sheet, number, "id", m.id, "planning.sheet.duplicate",
                                         {"value": m.id, "first": first[m.id]}))  # fmt: skip
            continue
        first[m.id] = number
        try:
            refused = known.refusal(m)
            if refused is None:
                resolve_costs(chain, m, PARAMS)  # nothing held there, no value, no figure…
        except PlanningError as exc:
            refused = exc
        if refused is not None:
            problems.append(_located(sheet, number, refused))
            continue
        measures.append(m)
        row_of[m.where] = number
    # What only compiling finds (a source that does not supply the site, a recovery time not
    # shortened…): each refusal costs a compile of the rest, so after a few the rest waits for
    # the next import instead of making a hostile sheet quadratic.
    for _attempt in range(MAX_COMPILE_REFUSALS + 1):
        if not measures:
            break
        try:
            apply_measures(chain, measures)
            break
        except PlanningError as exc:
            where = str(exc.params.get("where", ""))
            if where not in row_of:
                raise
            problems.append(_located(sheet, row_of[where], exc))
            measures = [m for m in measures if m.where != where]
    else:
        problems.append(SheetProblem(sheet, 0, "", None, "planning.sheet.more",
                                     {"count": MAX_COMPILE_REFUSALS}))  # fmt: skip
    problems.sort(key=lambda p: p.row)
    return measures, problems


def read_workbook(
    path: Path, chain: CompiledChain, risks: dict[str, Any]
) -> tuple[list[Measure], dict[str, Any] | None]:
    """The measures sheet and the likelihood sheet of one workbook, either or both; every
    problem of both raised together (nothing is written by the caller then)."""
    from econsec.planning import likelihood_sheet as ls

    book = read_book(path)
    name = next((n for n in SHEET_NAMES if n in book.sheets), None)
    likely = next((n for n in ls.SHEET_NAMES if n in book.sheets), None)
    if name is None and likely is None:
        names = "、".join(SHEET_NAMES[:2] + ls.SHEET_NAMES[:2])
        raise SheetProblems([SheetProblem(path.name, 0, "", None, "planning.sheet.no_sheet",
                                          {"names": names})])  # fmt: skip
    measures: list[Measure] = []
    problems: list[SheetProblem] = []
    packed = None
    if name is not None:
        try:
            measures, problems = measures_from_rows(
                name, sheet_rows(book.sheets[name], COLUMNS, "sheet.col"), chain
            )
        except SheetProblems as exc:
            problems += exc.problems
    if likely is not None:
        try:
            rows = sheet_rows(book.sheets[likely], ls.COLUMNS, "likelihood.col")
            packed = ls.apply_rows(likely, rows, risks, chain)
        except SheetProblems as exc:
            problems += exc.problems
    if problems:
        raise SheetProblems(problems)
    return measures, packed


def _shown(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def export(path: Path, specs: list[dict[str, Any]], lang: str) -> int:
    """The catalogue as a measures sheet (row 1 keys, row 2 labels); rows written."""
    book = tabular.new_workbook()
    sheet = tabular.add_sheet(book, "measures" if lang == "en" else "対策")
    tabular.append(sheet, list(COLUMNS))
    tabular.append(sheet, [t(f"planning.sheet.col.{k}", lang) for k in COLUMNS])
    for spec in specs:
        tabular.append(sheet, [_shown(spec.get(k)) for k in COLUMNS])
    kinds = tabular.add_sheet(book, "kinds" if lang == "en" else "種類")
    tabular.append(kinds, [t("planning.sheet.col.kind", lang), t("planning.sheet.meaning", lang)])
    for kind in KINDS:
        tabular.append(kinds, [kind, t(f"planning.kind.{kind}", lang)])
    tabular.save(book, path)
    return len(specs)
