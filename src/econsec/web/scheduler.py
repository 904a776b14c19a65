"""The job worker's scheduler: queue the jobs that capabilities' schedules say are due.

Capabilities register ``due()`` functions (``econsec.registry.register_schedule``) that return
the jobs (kind, params) to queue now, e.g. the list fetch on the administrator's schedule. One
daemon thread in the worker process polls them every ``ECONSEC_SCHEDULE_INTERVAL`` seconds
(default 60; 0 turns it off).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from econsec.registry import registry, resolve

log = logging.getLogger(__name__)


def interval() -> float:
    try:
        return max(0.0, float(os.environ.get("ECONSEC_SCHEDULE_INTERVAL", "60")))
    except ValueError:
        return 60.0


def run_due() -> list[int]:
    """Queue every job a schedule says is due now; the new jobs' ids."""
    from .jobs import enqueue

    queued = []
    for ref in registry.schedules:
        try:
            for kind, params in resolve(ref)():
                queued.append(enqueue(kind, params=params).pk)
        except Exception:  # one broken schedule must not stop the others
            log.warning("schedule %s failed", ref, exc_info=True)
    return queued


def _loop(period: float) -> None:
    from django.db import close_old_connections

    while True:
        time.sleep(period)
        close_old_connections()
        run_due()


def start() -> None:
    """Start the scheduler thread (once per process)."""
    period = interval()
    if period <= 0:
        return
    threading.Thread(target=_loop, args=(period,), name="econsec-scheduler", daemon=True).start()
