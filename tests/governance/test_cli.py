"""`econsec audit verify | anchor` on a real SQLite file, tampered with through sqlite3."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
_SEED = """
from econsec.store import open_store
open_store()
from econsec.governance.chain import append
for i in range(1, 21):
    append("test.action", f"obj:{i}", actor="alice", reason="seed", detail={"i": i})
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ECONSEC_DATA_DIR=str(tmp_path), PYTHONPATH=str(SRC))
    return env


def _econsec(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "econsec.cli", *args], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_verify_anchor_and_a_direct_update_in_the_sqlite_file(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-c", _SEED], env=env, check=True, timeout=300)
    ok = _econsec(env, "audit", "verify", "--lang", "en")
    assert ok.returncode == 0, ok.stderr
    assert "20 records checked" in ok.stdout
    anchor = tmp_path / "anchor.json"
    assert _econsec(env, "audit", "anchor", str(anchor), "--lang", "ja").returncode == 0
    assert json.loads(anchor.read_text())["seq"] == 20
    assert _econsec(env, "audit", "verify", "--anchor", str(anchor)).returncode == 0

    db = next(tmp_path.glob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        (row_id,) = conn.execute("SELECT id FROM governance_auditevent WHERE seq = 12").fetchone()
        conn.execute("UPDATE governance_auditevent SET reason = 'edited' WHERE seq = 12")
    bad = _econsec(env, "audit", "verify", "--lang", "en")
    assert bad.returncode == 1
    assert f"seq 12 (id {row_id})" in bad.stderr
    assert "changed after it was written" in bad.stderr
    ja = _econsec(env, "audit", "verify", "--lang", "ja")
    assert ja.returncode == 1 and f"連番 12 の記録(ID {row_id})" in ja.stderr
    assert _econsec(env, "audit", "verify", "--anchor", str(tmp_path / "none.json")).returncode == 2
