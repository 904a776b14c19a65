"""Exports neutralise spreadsheet formulas; the solver prints nothing on a fresh process."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from econsec.stress.results import export
from econsec.tabular import neutralise

EVIL = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "plain", "ok-=", 3.5, -2.0]


def _sweep_payload() -> dict[str, object]:
    rows = [
        {"kind": "site", "id": value, "ttr_weeks": 8.0, "tts_weeks": None, "lost_margin": 1.0,
         "lost_revenue": 2.0, "rei": 1.0, "material": True}
        for value in EVIL
    ]  # fmt: skip
    return {"by": "site", "rows": rows, "data_version": "=cmd|' /C calc'!A0"}


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@x") == "'@x"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("a=b") == "a=b"
    assert neutralise(-3.0) == -3.0 and neutralise(None) is None


def test_csv_and_xlsx_cells_are_inert(tmp_path: Path) -> None:
    payload = _sweep_payload()
    path = export(payload, tmp_path / "s.csv", "en")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        ids = [row[1] for row in list(csv.reader(fh))[1:]]
    expected = [f"'{v}" if isinstance(v, str) and v[0] in "=+-@\t" else str(v) for v in EVIL]
    assert ids == expected
    book = load_workbook(export(payload, tmp_path / "s.xlsx", "ja"))
    sheet = book.worksheets[0]
    cells = [sheet.cell(row=r, column=2) for r in range(2, 2 + len(EVIL))]
    assert [c.data_type for c in cells if isinstance(c.value, str)] == ["s"] * 7
    assert [c.value for c in cells] == [f"'{v}" if isinstance(v, str) and v[0] in "=+-@\t" else v
                                        for v in EVIL]  # fmt: skip
    info = book["provenance"]
    assert info.cell(row=1, column=2).value == "'=cmd|' /C calc'!A0"


def test_solver_prints_no_banner() -> None:
    code = (
        "import numpy as np, scipy.sparse as sp\n"
        "from econsec.stress.lp import Model, solver_version\n"
        "m = Model(sp.csc_matrix(np.ones((1, 1))), np.array([-1.0]), np.zeros(1), "
        "np.array([5.0]), np.array([3.0]))\n"
        "s = m.solve()\n"
        "print(solver_version().startswith('HiGHS'), s.status, round(s.objective, 6))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout == "True optimal -3.0\n"
    assert "Running HiGHS" not in out.stderr
