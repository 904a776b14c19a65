"""Risk register workbooks: export, re-import, and located all-or-nothing errors (ja/en)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def test_web_download_and_upload_go_through_the_same_reader(
    client_for: Any, users: Any, tmp_path: Path
) -> None:
    from django.urls import reverse

    _two()
    viewer = client_for("viewer")
    download = viewer.get(reverse("web:governance_risk_export"), HTTP_ACCEPT_LANGUAGE="en")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="risk-register-')
    path = tmp_path / "risks.xlsx"
    path.write_bytes(download.content)
    wb = load_workbook(path)
    ws = wb["risks"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("owner") + 1, "鈴木")
    ws.append(["R-3", "地震", "Earthquake"] + [None] * 6 + [1e8, 1])
    wb.save(path)
    url = reverse("web:governance_risk_import")
    with path.open("rb") as handle:
        assert viewer.post(url, {"workbook": handle}).status_code == 403
    analyst = client_for("analyst")
    with path.open("rb") as handle:
        done = analyst.post(url, {"workbook": handle}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert done.redirect_chain[-1] == (reverse("web:governance_risks"), 303)
    assert "Imported: 1 new, 1 changed." in done.content.decode()
    assert Risk.objects.get(code="R-1").owner == "鈴木"
    assert AuditEvent.objects.filter(action="risk.created", actor="analyst").count() == 1

    # The same bad rows the command line names, named on the page, in the reader's language.
    ws.cell(4, header.index("likelihood") + 1, "high")
    ws.cell(3, header.index("owner") + 1, "佐藤")
    wb.save(path)
    for lang, expected in (
        (
            "en",
            "sheet &#x27;risks&#x27;, row 4, column &#x27;likelihood&#x27; (value &#x27;high&#x27;)",
        ),
        ("ja", "シート「risks」4 行目・列「likelihood」(値「high」)"),
    ):
        with path.open("rb") as handle:
            bad = analyst.post(url, {"workbook": handle}, HTTP_ACCEPT_LANGUAGE=lang)
        assert bad.status_code == 400 and expected in bad.content.decode()
    assert Risk.objects.get(code="R-1").owner == "鈴木"
