"""The assess commands end to end on the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.guideline.models import Campaign

runner = CliRunner()


@pytest.fixture(autouse=True)
def _store(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The test database is already set up; open_store must not reconfigure it.
    monkeypatch.setattr("econsec.store._ready", True)


def _run(*args: str) -> str:
    result = runner.invoke(app, ["assess", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_full_cycle(tmp_path: Path) -> None:
    assert "esmg-1.0-draft" in _run("frameworks", "--lang", "en")
    _run("new", "esmg-1.0-draft", "--name", "FY2024", "--assessor", "Sato", "--date", "2024-12-01")
    _run("new", "esmg-1.0-draft", "--name", "FY2025", "--assessor", "Sato", "--date", "2025-12-01")
    first, second = Campaign.objects.order_by("assessment_date")
    for campaign, level in ((first, 1), (second, 3)):
        path = tmp_path / f"c{campaign.pk}.xlsx"
        _run("export", str(path), "--campaign", str(campaign.pk), "--lang", "en")
        wb = load_workbook(path)
        ws = wb["assessment"]
        keys = [c.value for c in ws[1]]
        for row in range(3, ws.max_row + 1):
            if ws.cell(row=row, column=keys.index("item_id") + 1).value == "AUT-A":
                ws.cell(row=row, column=keys.index("result") + 1).value = "done"
                ws.cell(row=row, column=keys.index("maturity") + 1).value = level
        wb.save(path)
        # AUT-A: four question results + one item maturity.
        out = _run("import", str(path), "--campaign", str(campaign.pk), "--lang", "en")
        assert "imported 5 change(s)" in out
    out = _run("score", str(second.pk), "--lang", "en")
    assert "Priority gaps" in out and "GOV-B" in out
    out = _run("compare", str(first.pk), str(second.pk), "--lang", "en")
    assert "AUT-A" in out and "1 → 3" in out


def test_ciso_export_then_import_as_new_version(tmp_path: Path) -> None:
    path = tmp_path / "tlcg.yaml"
    _run("export", str(path), "--framework", "tlcg-1", "--format", "ciso")
    library = yaml.safe_load(path.read_text(encoding="utf-8"))
    library["version"] = 2
    path.write_text(yaml.safe_dump(library, allow_unicode=True), encoding="utf-8")
    assert "tlcg-1" in _run("import", str(path), "--lang", "en")


def test_bad_import_exits_with_located_errors(tmp_path: Path) -> None:
    _run("new", "tlcg-1", "--name", "x", "--assessor", "Sato")
    campaign = Campaign.objects.get()
    path = tmp_path / "bad.xlsx"
    _run("export", str(path), "--campaign", str(campaign.pk))
    wb = load_workbook(path)
    wb["assessment"]["C3"].value = "NOPE-1"
    wb.save(path)
    result = runner.invoke(
        app, ["assess", "import", str(path), "--campaign", str(campaign.pk), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "row 3" in result.output and "NOPE-1" in result.output
