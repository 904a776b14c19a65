"""Inputs the stress tests refuse, each with a located message in ja and en, before any solving."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.stress.errors import StressError
from econsec.stress.results import check_export_path, export
from econsec.stress.scenario import parse_scenario, scenario_from_document
from econsec.stress.sweep import check_default_ttr, sweep
from econsec.valuechain.compile import compile_tables
from tests.stress.test_readings import warehouse

runner = CliRunner()
EVENTS = "events: [{kind: disruption, sites: [OWN]}]"


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (f"name: x\nduration_weeks: .nan\n{EVENTS}\n", 2, "duration_weeks"),
        (f"name: x\n{EVENTS}\nduration_weeks: .inf\n", 3, "duration_weeks"),
        (f"name: x\nduration_weeks: 4\nstart_week: .NaN\n{EVENTS}\n", 3, "start_week"),
        (
            "name: x\nduration_weeks: 4\nevents:\n  - kind: disruption\n    sites: [OWN]\n"
            "    capacity_loss: .nan\n",
            6,
            "events[0].capacity_loss",
        ),
    ],
)
def test_non_finite_numbers_are_refused_with_line_and_field(
    text: str, line: int, field: str
) -> None:
    with pytest.raises(StressError) as info:
        parse_scenario(text, source="s.yaml")
    err = info.value
    assert err.key == "stress.scenario.not_finite"
    assert (err.params["line"], err.params["field"]) == (line, field)
    assert "s.yaml" in err.message("en") and field in err.message("en")
    assert "行目" in err.message("ja") and field in err.message("ja")


def test_non_finite_number_from_json_is_refused() -> None:
    doc = {"name": "x", "duration_weeks": math.nan, "events": [{"kind": "sanction", "orgs": ["O"]}]}
    with pytest.raises(StressError, match="duration_weeks"):
        scenario_from_document(doc, "api")


def test_exponent_numbers_are_numbers() -> None:
    assert parse_scenario(f"name: x\nduration_weeks: 1e2\n{EVENTS}\n").duration_weeks == 100.0
    assert parse_scenario(f"name: x\nduration_weeks: 1.0e1\n{EVENTS}\n").duration_weeks == 10.0


@pytest.mark.parametrize("value", [-5.0, 0.0, math.nan, math.inf])
def test_bad_default_ttr_is_refused(value: float) -> None:
    with pytest.raises(StressError) as info:
        check_default_ttr(value)
    assert info.value.key == "stress.sweep.bad_default_ttr"
    assert "--default-ttr" in info.value.message("en") and "既定値" in info.value.message("ja")
    with pytest.raises(StressError):
        sweep(compile_tables(warehouse()), "site", default_ttr_weeks=value)


def test_export_paths_are_checked(tmp_path: Path) -> None:
    with pytest.raises(StressError) as info:
        check_export_path(tmp_path / "result.pdf")
    assert info.value.key == "stress.export.bad_suffix" and ".pdf" in info.value.message("ja")
    with pytest.raises(StressError) as info:
        check_export_path(tmp_path / "missing" / "result.json")
    assert info.value.key == "stress.export.no_folder"
    assert str(tmp_path / "missing") in info.value.message("en")
    with pytest.raises(StressError):
        check_export_path(tmp_path)  # a folder, not a file
    check_export_path(tmp_path / "result.XLSX")
    with pytest.raises(StressError):
        export({"rows": []}, tmp_path / "r.txt")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["stress", "sweep", "--default-ttr", "-5"], "--default-ttr"),
        (["stress", "sweep", "--default-ttr", "nan"], "--default-ttr"),
        (["stress", "sweep", "--out", "r.pdf"], "r.pdf"),
        (["stress", "sweep", "--out", "no/such/folder/r.json"], "no/such/folder"),
        (["stress", "run", "s.yaml", "--out", "r.docx"], "r.docx"),
    ],
)
def test_cli_refuses_before_solving(args: list[str], needle: str) -> None:
    # Refused before the stored chain is even opened: nothing is solved, nothing written.
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
