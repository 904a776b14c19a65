"""The issue's bars, on the real command line in a process of its own: `econsec validate` on a
workbook with one value in XFD1048576 exits 1 within 10 s and under 500 MB, naming the sheet
and the cell; `import` and `lists load` answer the same way and write nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.hostile import files
from tests.hostile.budget import MB, run_measured

CLI = [sys.executable, "-c", "from econsec.cli import main; main()"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A private SQLite store, created (migrated) before anything is measured."""
    env = {**os.environ, "ECONSEC_DATA_DIR": str(tmp_path / "store"), "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    assert run_measured([*CLI, "info"], env).returncode == 0
    return env


@pytest.mark.parametrize("command", ["validate", "import"])
def test_one_value_in_xfd1048576(command: str, mini_book: Path, tmp_path: Path, env: dict) -> None:
    far = files.far_cell(mini_book, tmp_path / "far.xlsx")
    for lang in ("en", "ja"):
        run = run_measured([*CLI, command, str(far), "--lang", lang], env)
        assert run.returncode == 1, run.output
        assert run.seconds < 10, run.seconds
        assert run.peak < 500 * MB, f"{run.peak // MB} MB"
        text = "".join(run.output.split())  # the table wraps long messages
        assert "organisations" in text and "XFD1048576" in text, run.output
    info = run_measured([*CLI, "info", "--lang", "en"], env)
    assert "No value chain stored yet" in info.output, info.output


def test_lists_load_of_the_same_file(mini_book: Path, tmp_path: Path, env: dict) -> None:
    far = files.far_cell(mini_book, tmp_path / "far.xlsx")
    run = run_measured([*CLI, "lists", "load", str(far), "--name", "x", "--lang", "en"], env)
    assert run.returncode == 1 and run.seconds < 10 and run.peak < 500 * MB, run
    text = "".join(run.output.split())
    assert "organisations" in text and "XFD1048576" in text, run.output
    shown = run_measured([*CLI, "lists", "show", "--lang", "en"], env)
    assert "│ x " not in shown.output and "┃ ID" in shown.output, shown.output
