"""The register as a seven-sheet workbook: export, and an all-or-nothing import with located
errors in ja and en.

Each sheet: row 1 the stable column keys (what the importer matches), row 2 the labels in the
chosen language, data from row 3. A technology on the ``technologies`` sheet is created or
updated, and its holdings, access groups, partners and own controls are replaced by the rows
of the other sheets; controls for every technology (no tech_id) and the market shares and
customers of the items on those sheets are replaced likewise. Technologies absent from the
workbook are left as they are. Any problem anywhere: nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Font

from econsec import tabular, trail
from econsec.i18n import t
from econsec.reference.countries import is_country
from econsec.sheet_problems import ImportProblems, Problem
from econsec.technology import exposure as ex
from econsec.technology import models as m
from econsec.technology.routes import load_routes
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

LIMITS = Limits(
    max_bytes=20 * 1024 * 1024,
    max_uncompressed=400 * 1024 * 1024,
    max_rows=200_000,
    max_columns=64,
    max_cells=4_000_000,
)
TRUE = {"true", "yes", "y", "1", "はい", "有", "あり", "○"}
FALSE = {"false", "no", "n", "0", "いいえ", "無", "なし", "×", ""}


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = "text"  # text, int15, float, share, bool, country, choice, list
    required: bool = False
    choices: tuple[str, ...] = ()


SHEETS: dict[str, tuple[Column, ...]] = {
    "technologies": (
        Column("tech_id", required=True), Column("name_ja", required=True),
        Column("name_en", required=True), Column("kind", "choice", True, m.KINDS),
        Column("items", "list"), Column("market", "int15", True),
        Column("strategic", "int15", True), Column("catch_up_years", "float"),
        Column("damage", "int15", True), Column("exhibited", "bool"), Column("owner"),
        Column("description"),
    ),
    "holdings": (
        Column("tech_id", required=True), Column("kind", "choice", True, ex.HOLDING_KINDS),
        Column("site_id"), Column("label"), Column("country", "country"),
    ),
    "access": (
        Column("tech_id", required=True), Column("name", required=True),
        Column("headcount", "count", True), Column("key_people", "bool"),
        Column("need_to_know"), Column("people"),
    ),
    "partners": (
        Column("tech_id", required=True), Column("org_id", required=True),
        Column("role", "choice", True, ex.PARTNER_ROLES), Column("nda", "bool"),
        Column("exit_clause", "bool"), Column("notes"),
    ),
    "controls": (
        Column("route_id", "choice", True), Column("tech_id"),
        Column("status", "choice", True, ex.CONTROL_STATUSES), Column("description"),
        Column("evidence"),
    ),
    "market_shares": (
        Column("item_id", required=True), Column("year", "count", True),
        Column("share", "share", True), Column("source", required=True),
    ),
    "customers": (
        Column("item_id", required=True), Column("customer", required=True),
        Column("country", "country"), Column("switch_months", "float"),
        Column("share_of_supply", "share"), Column("second_source", "bool"),
    ),
}  # fmt: skip
COMPUTED = {"technologies": ("tier", "importance")}


# ------------------------------------------------------------------------------ export


def yes(value: bool) -> str:
    return "yes" if value else "no"


def _rows(sheet: str) -> list[list[Any]]:
    from econsec.technology.service import rate

    if sheet == "technologies":
        out = []
        for x in m.Technology.objects.all():
            r = rate(x)
            out.append([x.tech_id, x.name_ja, x.name_en, x.kind, ", ".join(x.items), x.market,
                        x.strategic, x.catch_up_years, x.damage, yes(x.exhibited), x.owner,
                        x.description, r.tier, round(r.mean, 2)])  # fmt: skip
        return out
    if sheet == "holdings":
        return [[h.technology.tech_id, h.kind, h.site_id, h.label, h.country]
                for h in m.Holding.objects.select_related("technology")]  # fmt: skip
    if sheet == "access":
        return [[a.technology.tech_id, a.name, a.headcount, yes(a.key_people), a.need_to_know,
                 a.people] for a in m.AccessGroup.objects.select_related("technology")]  # fmt: skip
    if sheet == "partners":
        return [[p.technology.tech_id, p.org_id, p.role, yes(p.nda), yes(p.exit_clause), p.notes]
                for p in m.PartnerAccess.objects.select_related("technology")]  # fmt: skip
    if sheet == "controls":
        return [[c.route_id, c.technology.tech_id if c.technology else "", c.status,
                 c.description, c.evidence]
                for c in m.Control.objects.select_related("technology")]  # fmt: skip
    if sheet == "market_shares":
        return [[s.item_id, s.year, s.share, s.source] for s in m.MarketShare.objects.all()]
    return [[c.item_id, c.customer, c.country, c.switch_months, c.share_of_supply,
             yes(c.second_source)] for c in m.CustomerTie.objects.all()]  # fmt: skip


def export(path: Path, lang: str) -> dict[str, int]:
    """Write the register (every sheet through the formula-safe writer); rows per sheet."""
    wb = tabular.new_workbook()
    counts = {}
    for sheet, columns in SHEETS.items():
        ws = tabular.add_sheet(wb, sheet)
        keys = [c.key for c in columns] + list(COMPUTED.get(sheet, ()))
        tabular.append(ws, keys)
        tabular.append(ws, [t(f"technology.xlsx.col.{k}", lang) for k in keys])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        rows = _rows(sheet)
        for row in rows:
            tabular.append(ws, row)
        counts[sheet] = len(rows)
    tabular.save(wb, path)
    return counts


# ------------------------------------------------------------------------------ import


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tabular.restore(str(value)).strip()


def convert(column: Column, raw: Any, bad: list[tuple[str, dict[str, Any]]]) -> Any:
    """``raw`` (a cell's value, or a form field's text) as ``column`` stores it.

    Each problem is appended to ``bad`` as (message key, parameters) — the reason only; the
    caller says where (sheet and row for a workbook, the field for a form).
    """
    text = _text(raw)
    if column.kind in ("text", "choice", "list", "country") and not text:
        if column.required:
            bad.append(("technology.xlsx.required", {}))
        return [] if column.kind == "list" else ""
    if column.kind == "text":
        return text
    if column.kind == "list":
        return [part.strip() for part in text.replace("、", ",").split(",") if part.strip()]
    if column.kind == "choice":
        if column.choices and text not in column.choices:
            bad.append(("technology.xlsx.choice", {"choices": ", ".join(column.choices)}))
        return text
    if column.kind == "country":
        code = text.upper()
        if not is_country(code):
            bad.append(("technology.xlsx.country", {}))
        return code
    if column.kind == "bool":
        low = text.lower()
        if low in TRUE:
            return True
        if low not in FALSE:
            bad.append(("technology.xlsx.bool", {}))
        return False
    if not text:
        if column.required:
            bad.append(("technology.xlsx.required", {}))
        return None
    try:
        if isinstance(raw, bool):
            raise ValueError
        number = float(text)
    except ValueError:
        bad.append(("technology.xlsx.number", {}))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        bad.append(("technology.xlsx.number", {}))
        return None
    if column.kind == "int15":
        if not number.is_integer() or not 1 <= number <= 5:
            bad.append(("technology.xlsx.rating", {}))
        return int(number)
    if column.kind == "count":
        if not number.is_integer() or number < 0 or number > 10_000_000:
            bad.append(("technology.xlsx.count", {}))
        return int(number)
    if column.kind == "share":
        if not 0 <= number <= 1:
            bad.append(("technology.xlsx.share", {}))
        return number
    if number < 0:
        bad.append(("technology.xlsx.negative", {}))
    return number


Parsed = dict[str, list[tuple[int, dict[str, Any]]]]
YEARS = (1900, 2200)


def year_ok(year: int) -> bool:
    """A market share's year: a calendar year (the column is a small integer in the database)."""
    return YEARS[0] <= year <= YEARS[1]


def _open(path: Path) -> Any:
    try:
        package = inspect(path, LIMITS)
        if package.formulas:
            sheet, formula = package.formulas[0]
            raise ImportProblems([Problem(sheet, 0, formula.cell, formula.text, "workbook.formula",
                                          {"file": path.name, "sheet": sheet,
                                           "cell": formula.cell, "value": formula.text})])  # fmt: skip
        return load_workbook(path, read_only=True, data_only=True)
    except WorkbookRefused as exc:
        raise ImportProblems([Problem(exc.sheet or path.name, exc.row or 0, exc.cell or "", None,
                                      exc.key, exc.fields())]) from exc  # fmt: skip
    except ImportProblems:
        raise
    except Exception as exc:
        raise ImportProblems([Problem(path.name, 0, "", None, "technology.xlsx.unreadable",
                                      {"detail": type(exc).__name__})]) from exc  # fmt: skip


def parse(path: Path) -> Parsed:
    """Read every sheet and check each cell; raises :class:`ImportProblems`."""
    wb = _open(path)
    problems: list[Problem] = []
    parsed: Parsed = {}
    routes = tuple(r.id for r in load_routes())
    for sheet, columns in SHEETS.items():
        parsed[sheet] = []
        if sheet not in wb.sheetnames:
            problems.append(Problem(sheet, 0, "", None, "technology.xlsx.no_sheet", {}))
            continue
        rows = wb[sheet].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        position = {key: i for i, key in enumerate(header) if key}
        missing = [c.key for c in columns if c.required and c.key not in position]
        if missing:
            problems += [Problem(sheet, 1, c, None, "technology.xlsx.missing_column", {})
                         for c in missing]  # fmt: skip
            continue
        next(rows, None)  # the label row
        for number, raw in enumerate(rows, start=3):
            cells = {c.key: raw[position[c.key]] if c.key in position and position[c.key] < len(raw)
                     else None for c in columns}  # fmt: skip
            if all(_text(v) == "" for v in cells.values()):
                continue
            fields: dict[str, Any] = {}
            for column in columns:
                if column.key == "route_id":
                    column = Column("route_id", "choice", True, routes)

                errors: list[tuple[str, dict[str, Any]]] = []
                fields[column.key] = convert(column, cells[column.key], errors)
                problems += [Problem(sheet, number, column.key, cells.get(column.key), key, params)
                             for key, params in errors]  # fmt: skip
            parsed[sheet].append((number, fields))
    if problems:
        raise ImportProblems(problems)
    problems = _cross_check(parsed)
    if problems:
        raise ImportProblems(problems)
    return parsed


def _cross_check(parsed: Parsed) -> list[Problem]:
    """References between sheets and to the value chain; duplicate keys."""
    from econsec.valuechain.models import Item, Organisation, Site

    problems: list[Problem] = []
    first: dict[str, int] = {}
    for number, f in parsed["technologies"]:
        if f["tech_id"] in first:
            problems.append(Problem("technologies", number, "tech_id", f["tech_id"],
                                    "technology.xlsx.duplicate", {"first": first[f["tech_id"]]}))  # fmt: skip
        first.setdefault(f["tech_id"], number)
    techs = set(first) | set(m.Technology.objects.values_list("tech_id", flat=True))
    sites = set(Site.objects.values_list("site_id", flat=True))
    orgs = set(Organisation.objects.values_list("org_id", flat=True))
    items = set(Item.objects.values_list("item_id", flat=True))

    def need(sheet: str, number: int, column: str, value: str, known: set[str], key: str) -> None:
        if value and value not in known:
            problems.append(Problem(sheet, number, column, value, key, {}))

    for number, f in parsed["technologies"]:
        for item in f["items"]:
            need("technologies", number, "items", item, items, "technology.xlsx.unknown_item")
    for sheet in ("holdings", "access", "partners", "controls"):
        for number, f in parsed[sheet]:
            need(sheet, number, "tech_id", f["tech_id"], techs, "technology.xlsx.unknown_tech")
    for number, f in parsed["holdings"]:
        need("holdings", number, "site_id", f["site_id"], sites, "technology.xlsx.unknown_site")
        if f["kind"] == "site" and not f["site_id"]:
            problems.append(Problem("holdings", number, "site_id", None,
                                    "technology.xlsx.site_needed", {}))  # fmt: skip
        if f["kind"] != "site" and not f["label"]:
            problems.append(Problem("holdings", number, "label", None,
                                    "technology.xlsx.required", {}))  # fmt: skip
    for number, f in parsed["partners"]:
        need("partners", number, "org_id", f["org_id"], orgs, "technology.xlsx.unknown_org")
    for sheet in ("market_shares", "customers"):
        for number, f in parsed[sheet]:
            need(sheet, number, "item_id", f["item_id"], items, "technology.xlsx.unknown_item")
    for number, f in parsed["customers"]:
        need("customers", number, "customer", f["customer"], orgs, "technology.xlsx.unknown_org")
    seen: dict[tuple[str, int], int] = {}
    for number, f in parsed["market_shares"]:
        if f["year"] is not None and not year_ok(f["year"]):
            problems.append(Problem("market_shares", number, "year", f["year"],
                                    "technology.xlsx.year", {}))  # fmt: skip
        key = (f["item_id"], f["year"])
        if key in seen:
            problems.append(Problem("market_shares", number, "year", f["year"],
                                    "technology.xlsx.duplicate", {"first": seen[key]}))  # fmt: skip
        seen.setdefault(key, number)
    return problems


def import_workbook(path: Path, *, actor: str) -> dict[str, int]:
    """Check everything, then apply in one transaction; rows written per sheet."""
    parsed = parse(path)
    tech_fields = ("name_ja", "name_en", "kind", "items", "market", "strategic",
                   "catch_up_years", "damage", "exhibited", "owner", "description")  # fmt: skip
    with transaction.atomic():
        techs: dict[str, m.Technology] = {}
        for _n, f in parsed["technologies"]:
            tech, _ = m.Technology.objects.update_or_create(
                tech_id=f["tech_id"], defaults={k: f[k] for k in tech_fields}
            )
            techs[tech.tech_id] = tech
        for x in m.Technology.objects.exclude(tech_id__in=techs):
            techs[x.tech_id] = x
        touched = [techs[f["tech_id"]].pk for _n, f in parsed["technologies"]]
        for model in (m.Holding, m.AccessGroup, m.PartnerAccess, m.Control):
            model.objects.filter(technology_id__in=touched).delete()
        m.Control.objects.filter(technology__isnull=True).delete()
        for _n, f in parsed["holdings"]:
            m.Holding.objects.create(technology=techs[f["tech_id"]], kind=f["kind"],
                                     site_id=f["site_id"], label=f["label"], country=f["country"])  # fmt: skip
        for _n, f in parsed["access"]:
            m.AccessGroup.objects.create(technology=techs[f["tech_id"]], name=f["name"],
                                         headcount=f["headcount"], key_people=f["key_people"],
                                         need_to_know=f["need_to_know"], people=f["people"])  # fmt: skip
        for _n, f in parsed["partners"]:
            m.PartnerAccess.objects.create(technology=techs[f["tech_id"]], org_id=f["org_id"],
                                           role=f["role"], nda=f["nda"],
                                           exit_clause=f["exit_clause"], notes=f["notes"])  # fmt: skip
        for _n, f in parsed["controls"]:
            m.Control.objects.create(route_id=f["route_id"],
                                     technology=techs[f["tech_id"]] if f["tech_id"] else None,
                                     status=f["status"], description=f["description"],
                                     evidence=f["evidence"])  # fmt: skip
        share_items = {f["item_id"] for _n, f in parsed["market_shares"]}
        m.MarketShare.objects.filter(item_id__in=share_items).delete()
        for _n, f in parsed["market_shares"]:
            m.MarketShare.objects.create(**f)
        customer_items = {f["item_id"] for _n, f in parsed["customers"]}
        m.CustomerTie.objects.filter(item_id__in=customer_items).delete()
        for _n, f in parsed["customers"]:
            m.CustomerTie.objects.create(**f)
        counts = {sheet: len(rows) for sheet, rows in parsed.items()}
        trail.record("technology.import", f"file:{path.name}", actor=actor, rows=counts)
    return counts
