"""The value-chain commands, run in-process: exit codes scripts can rely on, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.valuechain import models as m
from econsec.valuechain.schema import load_schema
from econsec.valuechain.workbook import write_workbook
from tests.valuechain.minichain import mini_tables

runner = CliRunner()


def test_template_has_instructions_headers_and_validation(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "instructions"
    for sheet in load_schema().sheets:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == list(sheet.column_names)
    kinds = wb["sites"].data_validations.dataValidation
    assert any(v.type == "list" and "plant" in (v.formula1 or "") for v in kinds)
    text = " ".join(str(c.value) for row in wb["instructions"].iter_rows() for c in row if c.value)
    assert "拠点" in text and "Sites" in text


@pytest.mark.django_db
def test_validate_import_export_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    write_workbook(mini_tables(), good)
    bad_tables = mini_tables()
    bad_tables["inventory"][0]["on_hand_units"] = -3.0
    bad = tmp_path / "bad.xlsx"
    write_workbook(bad_tables, bad)

    result = runner.invoke(app, ["validate", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "inventory" in result.output and "on_hand_units" in result.output

    report = tmp_path / "report.csv"
    result = runner.invoke(app, ["import", str(bad), "--lang", "ja", "--report", str(report)])
    assert result.exit_code == 1 and m.Organisation.objects.count() == 0
    assert "範囲外" in report.read_text(encoding="utf-8-sig")

    result = runner.invoke(app, ["import", str(good), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert m.SupplyLink.objects.count() == 4

    exported = tmp_path / "export.xlsx"
    assert runner.invoke(app, ["export", str(exported)]).exit_code == 0
    result = runner.invoke(app, ["import", str(exported), "--lang", "en"])
    assert result.exit_code == 0 and "0 created, 0 updated, 0 deleted" in result.output

    result = runner.invoke(app, ["export", str(tmp_path / "x"), "--format", "pdf"])
    assert result.exit_code == 2

    result = runner.invoke(app, ["info", "--lang", "en"])
    assert result.exit_code == 0 and "Tier 1: 3" in result.output
