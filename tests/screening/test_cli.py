"""The screening commands end to end through Typer."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from econsec.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def test_lists_load_show_diff_and_adhoc_screen(db: None, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["lists", "load", str(FIXTURES / "ofac_v1"), "--name", "sdn", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output
    result = runner.invoke(
        app, ["lists", "load", str(FIXTURES / "ofac_v2"), "--name", "sdn", "--lang", "ja"]
    )
    assert "追加 1・変更 1・削除 1" in result.output
    result = runner.invoke(app, ["lists", "diff", "sdn", "--lang", "en"])
    assert "+ 104" in result.output and "- 103" in result.output and "~ 102" in result.output
    result = runner.invoke(app, ["screen", "--name", "三菱重工業", "--lang", "en"])
    assert result.exit_code == 0
    assert "MITSUBISHI HEAVY INDUSTRIES LTD" in result.output
    assert "[ja+words]" in result.output


def test_bad_file_exits_1_with_located_message(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\nnot json\n')
    result = runner.invoke(app, ["lists", "load", str(bad), "--name", "x", "--lang", "en"])
    assert result.exit_code == 1
    assert "bad.jsonl, line 2" in result.output
