"""Risk register workbooks: export, re-import, and located all-or-nothing errors (ja/en)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.governance import risks
from econsec.governance.models import AuditEvent, Risk

runner = CliRunner()


def _two() -> None:
    risks.create("R-1", actor="a", title_ja="為替", title_en="FX", entered_impact=5e7, likelihood=2)
    risks.create("R-2", actor="a", title_ja="停電", title_en="Outage", entered_impact=2e9)


def test_export_then_import_changes_and_creates(db: None, tmp_path: Path) -> None:
    _two()
    path = tmp_path / "risks.xlsx"
    ok = runner.invoke(app, ["risk", "export", str(path), "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    wb = load_workbook(path)
    ws = wb["risks"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, 1).value == "Code" and ws.cell(3, 1).value == "R-1"
    assert ws.cell(3, header.index("inherent") + 1).value == 2 * 2  # likelihood 2 × band(5e7)=2
    ws.cell(3, header.index("owner") + 1, "鈴木")
    ws.append(["R-3", "地震", "Earthquake"] + [None] * 6 + [1e8, 1])
    wb.save(path)
    done = runner.invoke(app, ["risk", "import", str(path), "--actor", "b", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "1 new, 1 changed" in done.output
    assert Risk.objects.get(code="R-1").owner == "鈴木"
    assert Risk.objects.get(code="R-3").entered_impact == 1e8
    assert AuditEvent.objects.filter(action="risk.changed", actor="b").count() == 1


def test_bad_rows_are_located_and_nothing_is_written(db: None, tmp_path: Path) -> None:
    _two()
    path = tmp_path / "risks.xlsx"
    runner.invoke(app, ["risk", "export", str(path)])
    wb = load_workbook(path)
    ws = wb["risks"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    ws.cell(3, col["owner"], "changed")  # a good change, which must not be written either
    ws.cell(4, col["likelihood"], "high")
    ws.cell(4, col["treatment"], "accept")
    ws.append(["R-1", "重複", "dup", None, None, None, None, None, None, None, 3])
    wb.save(path)
    before = AuditEvent.objects.count()
    bad = runner.invoke(app, ["risk", "import", str(path), "--lang", "en"])
    assert bad.exit_code == 1
    assert "sheet 'risks', row 4, column 'likelihood' (value 'high'): not an integer." in bad.output
    assert "row 5, column 'code' (value 'R-1'): the same code is already on row 3" in bad.output
    assert "nothing was written" in bad.output
    ja = runner.invoke(app, ["risk", "import", str(path), "--lang", "ja"])
    assert "シート「risks」4 行目・列「likelihood」(値「high」):整数ではありません。" in ja.output
    assert Risk.objects.get(code="R-1").owner == "" and Risk.objects.count() == 2
    assert AuditEvent.objects.count() == before
    # Fix those two: acceptance without approval is still refused, on its row.
    ws.cell(4, col["likelihood"], 3)
    ws.delete_rows(5)
    wb.save(path)
    refused = runner.invoke(app, ["risk", "import", str(path), "--lang", "en"])
    assert refused.exit_code == 1
    assert "row 4, column 'treatment' (value 'accept')" in refused.output
    assert Risk.objects.get(code="R-1").owner == ""
