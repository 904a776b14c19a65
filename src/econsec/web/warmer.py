"""Warm this server process's page caches when a new data version appears.

After an import the first detail page would otherwise compile the network, build the tier
adjacency and the search indexes (~10 s at Ford scale) inside a user's request. Capabilities
register what to warm and the data version it depends on (``econsec.registry.Warmer``); each
server process runs one daemon thread that polls those versions (one small query every few
seconds) and builds the caches as soon as one changes. The import job compiles the network once in the
worker too, so the processes here mostly load the pickle from disk.

``ECONSEC_WARM_INTERVAL`` sets the poll period in seconds (0 turns it off). Tests run without
it: their data changes under them and their database is not shared with another thread.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from econsec.registry import Warmer, registry, resolve

log = logging.getLogger(__name__)

_lock = threading.Lock()
_started_pid = 0


def interval() -> float:
    """Seconds between data-version polls (0: no warming thread)."""
    if os.environ.get("PYTEST_CURRENT_TEST"):
        return 0.0
    try:
        return max(0.0, float(os.environ.get("ECONSEC_WARM_INTERVAL", "5")))
    except ValueError:
        return 5.0


def warm_all() -> None:
    """Build every registered cache now (each failure logged, never raised)."""
    for warmer in registry.warmers:
        _warm(warmer)


def _warm(warmer: Warmer) -> None:
    started = time.perf_counter()
    try:
        resolve(warmer.warm)()
    except Exception:  # a failed warm-up only leaves the work to the first request
        log.warning("could not warm %s", warmer.warm, exc_info=True)
        return
    log.info("warmed %s in %.1f s", warmer.warm, time.perf_counter() - started)


def _run(period: float) -> None:
    from django.db import connection

    seen: dict[Warmer, str] = {}
    while True:
        for warmer in registry.warmers:
            try:
                version = str(resolve(warmer.version)())
                # The server warmed the version it started with.
                if seen.setdefault(warmer, version) != version:
                    seen[warmer] = version
                    _warm(warmer)
            except Exception:  # the database may be briefly unavailable; try again later
                log.debug("data-version poll failed", exc_info=True)
            finally:
                connection.close()
        time.sleep(period)


def ensure_started() -> None:
    """Start this process's warming thread once (again in a forked child)."""
    global _started_pid
    pid = os.getpid()
    if _started_pid == pid:
        return
    with _lock:
        if _started_pid == pid:
            return
        _started_pid = pid
        period = interval()
        if period <= 0:
            return
        threading.Thread(target=_run, args=(period,), name="econsec-warmer", daemon=True).start()
