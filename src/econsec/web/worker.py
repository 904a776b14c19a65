"""The job worker: django-tasks-db's database worker, made to live and die well.

- It names itself (a random id) and keeps a heartbeat file (econsec.web.heartbeat); each job
  records which worker runs it.
- On start it fails the jobs whose worker is gone (a crash, an out-of-memory kill) with a reason
  in ja and en, and removes the uploads no job claims (econsec.web.jobs), so a dead worker
  leaves no job "running" forever and no file behind.
- A scheduler thread queues the jobs that registered schedules say are due (list fetches).
- Stopping (SIGTERM, SIGINT, or the process that started it going away): it takes no new job,
  lets the running one finish for ``ECONSEC_WORKER_GRACE_SECONDS``, then interrupts it — its
  transaction rolls back and the job is queued to run again — and exits. A second signal
  interrupts at once.

``econsec worker`` runs it as its own service; ``econsec serve`` runs it as a child and restarts
it when it dies (econsec.web.supervise). See docs/decisions/0092-hardening-the-server.md.
"""

from __future__ import annotations

import _thread
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from econsec.jobs import JobInterrupted

from . import heartbeat, jobs

log = logging.getLogger(__name__)


class JobWorker(Worker):
    """django-tasks-db's worker with a grace period and an interruptible running job."""

    def __init__(self, *, grace: float, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.grace = grace
        self._grace_timer: threading.Timer | None = None

    def configure_signals(self) -> None:
        signal.signal(signal.SIGINT, self.shutdown)
        signal.signal(signal.SIGTERM, self.shutdown)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running:
            self.running = False
            if not self.running_task:
                sys.exit(0)
            log.warning(
                "stopping: job %s may finish for %.0f s, then it is interrupted",
                jobs.context.job_id,
                self.grace,
            )
            self._grace_timer = threading.Timer(self.grace, _signal_main)
            self._grace_timer.daemon = True
            self._grace_timer.start()
            return
        # A second signal, or the grace period is over.
        if jobs.context.interruptible:
            raise JobInterrupted
        if not self.running_task:
            sys.exit(0)
        # The job is recording its outcome: let it; the loop ends right after.

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        # Before each job: a worker that died meanwhile leaves nothing "running" for long.
        reap()
        super().run_task(db_task_result)


def _signal_main() -> None:
    """Deliver SIGTERM to the main thread's handler (from a timer or the heartbeat thread)."""
    _thread.interrupt_main(signal.SIGTERM)


def reap(*, starting: bool = False) -> None:
    """Fail the jobs of workers that are gone, tidy their files and orphaned uploads.

    ``starting``: also the running jobs that name no worker (left by a worker of an earlier
    version, which no longer runs once this one starts in its place).
    """
    try:
        jobs.reap_lost_jobs(unnamed=starting)
        heartbeat.sweep()
        jobs.sweep_uploads()
    except Exception:  # tidying must never stop the worker from working
        log.warning("could not tidy after lost workers", exc_info=True)


def run(
    *,
    worker_id: str | None = None,
    parent: int | None = None,
    grace: float | None = None,
    interval: float = 1.0,
) -> None:
    """Run jobs until stopped. ``parent``: stop when this process is gone."""
    worker_id = worker_id or get_random_string(32)
    beat = heartbeat.Heartbeat(worker_id, parent=parent, on_orphaned=_signal_main)
    worker = JobWorker(
        grace=float(settings.ECONSEC_WORKER_GRACE_SECONDS if grace is None else grace),
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    jobs.context.label = heartbeat.label(worker_id)
    worker.configure_signals()
    beat.start()
    from .scheduler import start as start_scheduler

    start_scheduler()  # queues the jobs registered schedules say are due (econsec.web.scheduler)
    try:
        reap(starting=True)
        worker.run()
    finally:
        beat.stop()
        jobs.context.label = ""
