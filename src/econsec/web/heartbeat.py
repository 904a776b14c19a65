"""Signs of life of job workers, kept as files so that a busy database cannot hide them.

A worker writes ``<ECONSEC_RUN_DIR>/workers/<id>.json`` (its process id and host) when it
starts and touches it every :data:`BEAT_SECONDS`; a job records the label ``host/id`` of the
worker that runs it. A job whose worker is gone is found by :func:`worker_gone`. Files, not
rows: on SQLite a running import holds the only write lock, so a heartbeat row could not be
written while the worker is busiest. Only workers on this host are judged; a job run by a
worker elsewhere is left to that host's workers.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

BEAT_SECONDS = 2.0
# A worker that has not touched its file for this long is gone even if its process id is in use
# (by then most likely by another process).
STALE_SECONDS = 120.0


def workers_dir() -> Path:
    path = Path(settings.ECONSEC_RUN_DIR) / "workers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _file(worker_id: str) -> Path:
    # Worker ids are ours (random letters and digits); anything else never names a file.
    safe = "".join(c for c in worker_id if c.isalnum() or c in "-_")[:64] or "none"
    return workers_dir() / f"{safe}.json"


def host() -> str:
    return socket.gethostname()


def label(worker_id: str) -> str:
    """What a job records of the worker running it."""
    return f"{host()}/{worker_id}"


def read(worker_id: str) -> dict[str, Any] | None:
    """The worker's record and ``beat_age`` (seconds since its last sign of life), or None."""
    path = _file(worker_id)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    record["beat_age"] = max(0.0, age)
    return record


def _write(worker_id: str, record: dict[str, Any]) -> None:
    path = _file(worker_id)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, path)


def record_exit(worker_id: str, returncode: int | None) -> None:
    """Note that a worker ended, and how if known (its supervisor saw it), for the reason its
    jobs are failed with. A worker that stopped cleanly removed its file: nothing to note."""
    record = read(worker_id)
    if record is None:
        return
    record.pop("beat_age", None)
    record["exit"] = returncode
    _write(worker_id, record)


def forget(worker_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _file(worker_id).unlink()


def pid_alive(pid: int) -> bool | None:
    """Whether a process with this id exists (None: cannot tell on this platform)."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def worker_gone(worker_label: str) -> tuple[bool, dict[str, Any]]:
    """Whether the worker a job names is gone, and what is known of how it ended.

    ``(False, …)`` for a worker on another host (not ours to judge) or one that is alive.
    """
    host_name, _, worker_id = worker_label.rpartition("/")
    if host_name != host():
        return False, {}
    record = read(worker_id)
    if record is None:
        return True, {}
    if "exit" in record:
        return True, record
    pid = record.get("pid")
    alive = pid_alive(int(pid)) if isinstance(pid, int) else None
    if alive is False or record["beat_age"] > STALE_SECONDS:
        return True, record
    return False, record


def sweep() -> list[str]:
    """Remove the files of this host's workers that are gone (after their jobs were reaped)."""
    removed = []
    for path in workers_dir().glob("*.json"):
        record = read(path.stem)
        if record is not None and record.get("host") != host():
            continue  # another host's worker (a shared folder): not ours to judge
        if worker_gone(f"{host()}/{path.stem}")[0]:
            forget(path.stem)
            removed.append(path.stem)
    return removed


def how_it_ended(record: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A message id and parameters saying how a worker ended (web.job.worker_lost.*)."""
    code = record.get("exit")
    if isinstance(code, int) and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return "web.job.worker_lost.signal", {"name": name}
    if isinstance(code, int):
        return "web.job.worker_lost.exit", {"code": code}
    if "exit" not in record and record.get("beat_age", 0.0) > STALE_SECONDS:
        return "web.job.worker_lost.silent", {"seconds": int(STALE_SECONDS)}
    return "web.job.worker_lost.ended", {}


class Heartbeat:
    """Touch this worker's file every few seconds from a background thread.

    ``parent``: the process id of the process that started the worker; when it is gone (the
    worker was handed to another parent), ``on_orphaned`` is called once.
    """

    def __init__(
        self,
        worker_id: str,
        *,
        parent: int | None = None,
        on_orphaned: Callable[[], None] | None = None,
        interval: float = BEAT_SECONDS,
    ) -> None:
        self.worker_id = worker_id
        self.parent = parent
        self.on_orphaned = on_orphaned
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="econsec-heartbeat", daemon=True)

    def start(self) -> None:
        _write(
            self.worker_id,
            {"pid": os.getpid(), "host": host(), "parent": self.parent, "started": time.time()},
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        forget(self.worker_id)

    def _run(self) -> None:
        orphan_noted = False
        # Polled rather than prctl(PR_SET_PDEATHSIG): works on every POSIX system, and a
        # graceful stop (finish or interrupt the running job) rather than a kill.
        while not self._stop.wait(min(self.interval, 1.0) if self.parent else self.interval):
            with contextlib.suppress(OSError):
                os.utime(_file(self.worker_id))
            if self.parent and not orphan_noted and os.getppid() != self.parent:
                orphan_noted = True
                if self.on_orphaned is not None:
                    self.on_orphaned()
