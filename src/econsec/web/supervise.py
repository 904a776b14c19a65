"""Keep the job worker of ``econsec serve`` running: start it, restart it when it dies, stop it.

The worker is a child process (``econsec worker``) told its parent's process id, so it stops by
itself when the server is gone, even after a SIGKILL (econsec.web.worker). When it dies, the
supervisor notes how (its exit status, in the worker's heartbeat file) and starts a new one;
the new worker fails the jobs the dead one was running, with that reason, before it runs the
next (econsec.web.jobs.reap_lost_jobs). A worker that keeps dying right after it starts is
restarted with a growing pause (up to a minute), so a broken installation does not spin.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping

from django.conf import settings
from django.utils.crypto import get_random_string

from . import heartbeat

log = logging.getLogger(__name__)

# A worker that ran at least this long before dying is restarted at once.
STEADY_SECONDS = 30.0
MAX_PAUSE_SECONDS = 60.0
# Beyond the worker's own grace period: time to roll back, record and exit.
STOP_MARGIN_SECONDS = 15.0

Command = Callable[[str, int], list[str]]


def worker_command(worker_id: str, parent: int) -> list[str]:
    """``econsec worker`` with this worker's id and its parent's process id."""
    return [
        sys.executable,
        "-m",
        "econsec.cli",
        "worker",
        "--worker-id",
        worker_id,
        "--parent",
        str(parent),
    ]


class WorkerSupervisor:
    def __init__(
        self,
        command: Command = worker_command,
        *,
        env: Mapping[str, str] | None = None,
        grace: float | None = None,
    ) -> None:
        self.command = command
        self.env = dict(os.environ if env is None else env)
        self.grace = float(settings.ECONSEC_WORKER_GRACE_SECONDS if grace is None else grace)
        self.proc: subprocess.Popen[bytes] | None = None
        self.worker_id = ""
        self.restarts = 0
        self._owner = os.getpid()
        self._started_at = 0.0
        self._quick_deaths = 0
        self._restart_at: float | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.worker_id = get_random_string(32)
        self.proc = subprocess.Popen(
            self.command(self.worker_id, os.getpid()),
            env=self.env,
            # Its own session: a Ctrl+C in the terminal reaches the server only, which then
            # stops the worker once, gracefully.
            start_new_session=os.name == "posix",
        )
        self._started_at = time.monotonic()
        self._restart_at = None

    def check(self) -> bool:
        """Restart the worker if it has died (after a pause if it keeps dying); True when a new
        worker was started."""
        with self._lock:
            if self.proc is None or self._stop.is_set():
                return False
            code = self.proc.poll()
            if code is None:
                return False
            now = time.monotonic()
            if self._restart_at is None:
                lived = now - self._started_at
                self._quick_deaths = self._quick_deaths + 1 if lived < STEADY_SECONDS else 0
                pause = min(MAX_PAUSE_SECONDS, 2.0 ** (self._quick_deaths - 1))
                pause = pause if self._quick_deaths else 0.0
                log.warning(
                    "the job worker %s ended (%s); starting another in %.0f s",
                    self.worker_id,
                    code,
                    pause,
                )
                # gunicorn's arbiter reaps every child of the server process, ours too, and
                # the status it took reads 0 here: a 0 from a worker that did not stop
                # cleanly (its file is still there) is an unknown end.
                heartbeat.record_exit(self.worker_id, code or None)
                self._restart_at = now + pause
            if now < self._restart_at:
                return False
            self.start()
            self.restarts += 1
            return True

    def watch(self, interval: float = 1.0) -> None:
        """Check the worker every ``interval`` seconds from a background thread."""

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.check()
                except Exception:  # keep supervising whatever one check ran into
                    log.exception("could not check the job worker")

        self._thread = threading.Thread(target=loop, name="econsec-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop supervising and stop the worker: its running job gets the grace period."""
        if os.getpid() != self._owner:
            # Forked server processes leave the serving block too; only the starter stops it.
            return
        self._stop.set()
        with self._lock:
            proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=self.grace + STOP_MARGIN_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
