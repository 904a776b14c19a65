"""The issue's bars on the demo company, as a user meets them: `econsec demo` into a fresh
SQLite file, then `risk list`, `kri list` and `audit verify` as separate processes, and a
direct UPDATE of one audit row in that file through sqlite3."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _econsec(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "econsec.cli", *args], env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def _band(money: float) -> int:
    # The default impact bands written out: < 1e7 → 1, < 1e8 → 2, < 1e9 → 3, < 1e10 → 4.
    return 1 + sum(money >= limit for limit in (1e7, 1e8, 1e9, 1e10))


def test_demo_company_meets_the_bars(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ECONSEC_DATA_DIR=str(tmp_path), PYTHONPATH=str(SRC), COLUMNS="200")
    demo = _econsec(env, "demo", "--no-serve", "--lang", "en")
    assert demo.returncode == 0, demo.stderr[-2000:]
    db = tmp_path / "econsec.sqlite3"
    with sqlite3.connect(db) as conn:
        stored = {
            h: json.loads(p)["lost_margin"]
            for h, p in conn.execute(
                "SELECT scenario_hash, payload FROM stress_result WHERE kind = 'scenario'"
            )
        }
        risks = conn.execute(
            "SELECT code, link_ref, likelihood FROM governance_risk WHERE link_kind = 'scenario'"
        ).fetchall()
    assert len(stored) == 2 and len(risks) == 2

    # Risks linked to the two example scenarios, each with the stored result's lost margin.
    listed = _econsec(env, "risk", "list", "--lang", "en")
    assert listed.returncode == 0, listed.stderr
    for code, scenario, likelihood in risks:
        money = stored[scenario]
        level = _band(money)
        row = next(line for line in listed.stdout.splitlines() if f" {code} " in line)
        assert f"{money:,.0f}" in row
        assert f"{likelihood}×{level} = {likelihood * level}" in row
    assert "Taiwan Strait closed for 8 weeks" in listed.stdout
    assert "China restricts rare-earth exports for 26 weeks" in listed.stdout

    # Indicators with a colour each and reasons naming what makes them so.
    kris = _econsec(env, "kri", "list", "--lang", "en")
    assert kris.returncode == 0, kris.stderr
    statuses = re.findall(r"● (green|amber|red)", kris.stdout)
    assert len(statuses) == 9 and {"green", "red"} <= set(statuses)
    assert "TTS 2.5 weeks < TTR 8 weeks" in kris.stdout
    assert re.search(r"Overdue actions — action \d+ ", kris.stdout)

    ok = _econsec(env, "audit", "verify", "--lang", "en")
    assert ok.returncode == 0, ok.stderr
    count = int(re.search(r"\((\d+) records checked", ok.stdout).group(1))  # type: ignore[union-attr]
    assert count >= 10

    with sqlite3.connect(db) as conn:
        seq, row_id = conn.execute(
            "SELECT seq, id FROM governance_auditevent WHERE action = 'risk.created' ORDER BY seq"
        ).fetchone()
        conn.execute("UPDATE governance_auditevent SET actor = 'mallory' WHERE id = ?", (row_id,))
    bad = _econsec(env, "audit", "verify", "--lang", "en")
    assert bad.returncode == 1
    assert f"seq {seq} (id {row_id})" in bad.stderr
    assert "changed after it was written" in bad.stderr
