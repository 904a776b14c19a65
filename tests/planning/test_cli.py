"""`econsec plan --help` lists its commands; a bad measures file exits 1 with a located error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from econsec.cli import app


def test_plan_help_lists_commands() -> None:
    result = CliRunner().invoke(app, ["plan", "--help"])
    assert result.exit_code == 0
    for command in ("measures", "suggest", "simulate", "case", "optimise"):
        assert command in result.output


def test_bad_measures_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("measures:\n  - {id: a, kind: teleport}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "measures", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "measures[0]" in result.output + (result.stderr if result.stderr_bytes else "")


def test_a_cvar_level_out_of_range_exits_1_located(tmp_path: Path) -> None:
    risks = tmp_path / "r.yaml"
    risks.write_text("scenarios: []\n", encoding="utf-8")
    for lang, word in (("en", "level"), ("ja", "信頼水準")):
        result = CliRunner().invoke(
            app, ["plan", "optimise", str(risks), "--cvar-limit", "1e9", "--cvar-level", "1",
                  "--lang", lang],
        )  # fmt: skip
        out = result.output + (result.stderr if result.stderr_bytes else "")
        assert result.exit_code == 1
        assert "cvar_level" in out and word in out
