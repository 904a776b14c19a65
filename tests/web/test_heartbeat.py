"""Telling a gone worker from a live one, and saying how it ended (econsec.web.heartbeat)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from econsec.i18n import t
from econsec.web import heartbeat


@pytest.fixture(autouse=True)
def _run_dir(settings: Any, tmp_path: Path) -> None:
    settings.ECONSEC_RUN_DIR = tmp_path / "run"


def _how(record: dict[str, Any]) -> str:
    key, params = heartbeat.how_it_ended(record)
    return t(key, "en", **params)


def test_a_live_worker_is_not_gone_and_one_without_a_file_is() -> None:
    beat = heartbeat.Heartbeat("alive")
    beat.start()
    try:
        gone, record = heartbeat.worker_gone(heartbeat.label("alive"))
        assert not gone and record["pid"] == os.getpid()
    finally:
        beat.stop()
    assert heartbeat.read("alive") is None, "a stopped worker leaves its file behind"
    assert heartbeat.worker_gone(heartbeat.label("alive"))[0]


def test_another_hosts_worker_is_never_judged_here() -> None:
    assert heartbeat.worker_gone("some-other-host/abc") == (False, {})


@pytest.mark.skipif(os.name != "posix", reason="process ids are checked on POSIX")
def test_a_worker_whose_process_has_ended_is_gone_at_once() -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    heartbeat._write("dead", {"pid": int(ended.stdout), "host": heartbeat.host()})
    gone, record = heartbeat.worker_gone(heartbeat.label("dead"))
    assert gone and _how(record) == "ended unexpectedly"


def test_a_silent_worker_is_gone_after_the_stale_period() -> None:
    heartbeat._write("quiet", {"pid": os.getpid(), "host": heartbeat.host()})
    assert not heartbeat.worker_gone(heartbeat.label("quiet"))[0]
    old = time.time() - heartbeat.STALE_SECONDS - 5
    path = Path(heartbeat.workers_dir() / "quiet.json")
    os.utime(path, (old, old))
    gone, record = heartbeat.worker_gone(heartbeat.label("quiet"))
    assert gone and _how(record) == "no sign of life for 120 seconds"


def test_the_end_a_supervisor_saw_is_the_reason() -> None:
    for worker_id, code, said in [
        ("killed", -9, "ended by signal SIGKILL"),
        ("failed", 3, "exit code 3"),
        ("unknown", None, "ended unexpectedly"),
    ]:
        heartbeat._write(worker_id, {"pid": os.getpid(), "host": heartbeat.host()})
        heartbeat.record_exit(worker_id, code)
        gone, record = heartbeat.worker_gone(heartbeat.label(worker_id))
        assert gone and _how(record) == said
    # A worker that stopped cleanly removed its file: there is nothing to note.
    heartbeat.record_exit("never-started", -9)
    assert heartbeat.read("never-started") is None


def test_sweep_removes_the_files_of_gone_workers_only() -> None:
    heartbeat._write("live", {"pid": os.getpid(), "host": heartbeat.host()})
    heartbeat._write("gone", {"pid": os.getpid(), "host": heartbeat.host()})
    heartbeat.record_exit("gone", -9)
    heartbeat._write("elsewhere", {"pid": 1, "host": "another-host", "exit": -9})
    assert heartbeat.sweep() == ["gone"]
    assert {p.stem for p in heartbeat.workers_dir().glob("*.json")} == {"live", "elsewhere"}
