"""The job worker's life with real processes on a real SQLite file (tests.web.realstore).

A worker killed mid-job (as by the out-of-memory killer) is restarted by the server's
supervisor; the job it ran fails with a reason in ja and en, its upload is removed, its
half-done transaction left no trace, and the next job runs. A stopped worker lets its job
finish within the grace period, or interrupts it and queues it again. A worker whose server
vanished (SIGKILL) stops by itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from econsec.web.supervise import WorkerSupervisor

from .realstore import (
    ROOT,
    job_row,
    new_installation,
    rows,
    store_env,
    storectl,
    wait_for,
    worker_command,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process ids of POSIX")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_installation(tmp_path_factory.mktemp("template"))


@pytest.fixture
def store(tmp_path: Path, settings: Any, migrated: Path) -> dict[str, Any]:
    data = new_installation(tmp_path / "data", migrated)
    # The supervisor runs here and notes a dead worker's end in the installation's run folder.
    settings.ECONSEC_RUN_DIR = data / "run"
    return {"data": data, "env": store_env(data), "uploads": data / "media" / "uploads"}


def _in_transaction(store: dict[str, Any], job_id: int) -> bool:
    """Whether the blocking job has reported progress from inside its transaction."""
    path = store["data"] / "run" / "jobs" / f"{job_id}.json"
    try:
        return bool(json.loads(path.read_text())["progress"] == 0.6)
    except (OSError, ValueError):
        return False


def _status(store: dict[str, Any], job_id: int) -> str:
    return str(job_row(store["data"], job_id)["status"])


def _blocking_job(store: dict[str, Any], upload: Path | None = None) -> tuple[int, Path]:
    release = store["data"] / f"release-{os.urandom(4).hex()}"
    extra = ["--upload", str(upload)] if upload else []
    job = storectl(store["env"], "enqueue", "test.block", "--param", f"release={release}", *extra)
    return int(job["id"]), release


def _writes_of(store: dict[str, Any], job_id: int) -> int:
    # What the blocking job wrote inside its transaction (one row, named after the job).
    return len(
        rows(store["data"], "SELECT 1 FROM web_loginfailure WHERE username = ?", f"job-{job_id}")
    )


def test_a_killed_worker_is_restarted_its_job_fails_with_a_reason_and_the_next_job_runs(
    store: dict[str, Any],
) -> None:
    store["uploads"].mkdir(parents=True)
    upload = store["uploads"] / "abandoned.xlsx"
    upload.write_bytes(b"not really a workbook")
    blocked, _ = _blocking_job(store, upload)
    following = int(storectl(store["env"], "enqueue", "test.quick")["id"])

    supervisor = WorkerSupervisor(worker_command, env=store["env"], grace=1)
    supervisor.start()
    try:
        # Mid-job, inside its transaction: the page sees the progress reported there, though
        # the row itself still says what was committed before the transaction began.
        wait_for(lambda: _in_transaction(store, blocked))
        state = storectl(store["env"], "state", str(blocked))
        assert state["progress"] == 0.6
        assert state["status"] == "running" and state["note"] == "Writing to the database…"
        assert job_row(store["data"], blocked)["progress"] == 0.1
        first = supervisor.proc
        assert first is not None

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert wait_for(supervisor.check, timeout=30)  # restarted (after a short pause)
        assert supervisor.proc is not first and supervisor.restarts == 1

        wait_for(lambda: _status(store, blocked) == "failed")
        row = job_row(store["data"], blocked)
        assert "SIGKILL" in row["error"]["en"] and "SIGKILL" in row["error"]["ja"]
        assert row["error"]["en"].startswith("The worker running this job stopped")
        assert row["error"]["ja"].startswith("このジョブを実行していたワーカー")
        assert row["finished_at"] is not None
        assert not upload.exists(), "the dead job's upload stayed behind"
        assert _writes_of(store, blocked) == 0, "the killed transaction left a row"
        # Its queue entry is closed too: nothing is left "running".
        assert not rows(
            store["data"],
            "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
        )

        wait_for(lambda: _status(store, following) == "succeeded")
        assert job_row(store["data"], following)["result"] == {"ok": True}
    finally:
        supervisor.stop()
    assert supervisor.proc is not None and supervisor.proc.poll() is not None


def test_a_stopping_worker_lets_the_job_finish_within_the_grace_period(
    store: dict[str, Any],
) -> None:
    job, release = _blocking_job(store)
    command = [*worker_command("graceful", os.getpid()), "--grace", "60"]
    worker = subprocess.Popen(command, env=store["env"], cwd=ROOT)
    try:
        wait_for(lambda: _in_transaction(store, job))
        worker.send_signal(signal.SIGTERM)
        release.touch()
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    row = job_row(store["data"], job)
    assert row["status"] == "succeeded" and row["attempts"] == 1
    assert _writes_of(store, job) == 1


def test_past_the_grace_period_the_job_is_interrupted_and_runs_again_later(
    store: dict[str, Any],
) -> None:
    job, release = _blocking_job(store)
    command = [*worker_command("impatient", os.getpid()), "--grace", "1"]
    worker = subprocess.Popen(command, env=store["env"], cwd=ROOT)
    try:
        wait_for(lambda: _in_transaction(store, job))
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    row = job_row(store["data"], job)
    assert row["status"] == "interrupted" and row["attempts"] == 1
    assert row["progress_note"]["key"] == "web.job.interrupted"
    assert _writes_of(store, job) == 0, "the interrupted transaction was not rolled back"
    state = storectl(store["env"], "state", str(job))
    assert not state["finished"] and "run again" in state["note"]

    # The next worker runs it again from the start.
    release.touch()
    command = worker_command("second", os.getpid())
    worker = subprocess.Popen(command, env=store["env"], cwd=ROOT)
    try:
        wait_for(lambda: _status(store, job) == "succeeded")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    row = job_row(store["data"], job)
    assert row["attempts"] == 2 and row["result"] == {"released": True}
    assert _writes_of(store, job) == 1


def _process_ended(pid: int) -> bool:
    # Not our child once its parent is gone: whoever adopted it reaps it (or it lingers as a
    # zombie, which has ended all the same).
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" in status.read_text()
    except FileNotFoundError:
        return True


def test_a_worker_stops_by_itself_when_its_server_is_killed(store: dict[str, Any]) -> None:
    job, _ = _blocking_job(store)
    # A stand-in for `econsec serve`: starts its worker as the supervisor does, prints its
    # process id, and waits to be killed.
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, subprocess, time\n"
            "from tests.web.realstore import worker_command\n"
            "command = [*worker_command('orphan', os.getpid()), '--grace', '1']\n"
            "print(subprocess.Popen(command, start_new_session=True).pid, flush=True)\n"
            "time.sleep(600)\n",
        ],
        env=store["env"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    worker_pid = int(server.stdout.readline())
    try:
        wait_for(lambda: _in_transaction(store, job))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        wait_for(lambda: _process_ended(worker_pid), timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
        if not _process_ended(worker_pid):
            os.kill(worker_pid, signal.SIGKILL)
    # It did not run on: the job was interrupted (rolled back) and waits for the next worker.
    row = job_row(store["data"], job)
    assert row["status"] == "interrupted" and _writes_of(store, job) == 0
