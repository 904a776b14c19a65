"""Serve the workbench: a WSGI server plus the job worker.

One process (the default, any OS): **waitress**, pure Python and threaded. Python runs one
thread at a time per process, so under many concurrent users the requests queue behind one
core. ``processes > 1`` (POSIX): **gunicorn** with that many worker processes, each with
``threads`` threads (gthread workers, keep-alive; ``threads=1`` gives plain sync workers). The application is loaded and the compiled
network warmed once in the parent before the workers fork, so every worker starts with the
arrays already in (shared, copy-on-write) memory. See docs/decisions/0056-serving-processes.md.

A team server runs the same WSGI application under its own process manager and the worker as
its own service (docs/decisions/0050-web-serving.md).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)


@contextmanager
def worker_process() -> Iterator[subprocess.Popen[bytes]]:
    """Run the task worker (django-tasks database backend) for as long as the block lasts."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "econsec.web.settings"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "django", "econsec_worker", "--no-reload", "--verbosity", "0"],
        env=env,
    )
    owner = os.getpid()
    try:
        yield proc
    finally:
        # Forked server workers leave this block too when they exit; only the parent that
        # started the job worker stops it.
        if os.getpid() == owner:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def warm() -> None:
    """Compile the stored network and build the page caches now, not on the first request.

    Best effort: an empty or unreadable store just leaves the work to the first request.
    """
    from django.db import connections

    from .warmer import warm_all

    try:
        warm_all()
    finally:
        # Connections must not cross a fork: each worker opens its own.
        connections.close_all()


def can_fork_workers() -> bool:
    """Whether several worker processes are available here (gunicorn needs POSIX)."""
    if os.name != "posix":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _gunicorn(
    application: Callable[..., Any], host: str, port: int, processes: int, threads: int
) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": processes,
                # One thread per process needs no thread pool (and keeps no idle keep-alive
                # connections occupying it).
                "worker_class": "gthread" if threads > 1 else "sync",
                "threads": threads,
                "preload_app": True,
                "keepalive": 5,
                "timeout": 120,
                "graceful_timeout": 10,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "econsec",
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            return application

    Server().run()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    threads: int = 8,
    worker: bool = True,
    processes: int = 1,
) -> None:
    """Serve until interrupted. Call after ``econsec.store.open_store()``.

    ``processes`` > 1 runs that many worker processes under gunicorn where it is available
    (POSIX); elsewhere it falls back to one waitress process with a warning.
    """
    from .wsgi import application

    warm()
    multi = processes > 1 and can_fork_workers()
    if processes > 1 and not multi:
        log.warning("several processes need gunicorn on a POSIX system; serving with one")

    def run() -> None:
        if multi:
            _gunicorn(application, host, port, processes, threads)
            return
        from waitress import serve as waitress_serve

        # waitress warns on every queued request; under load that is noise, not news.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        waitress_serve(application, host=host, port=port, threads=threads, ident="econsec")

    if not multi:
        # A plain SIGTERM (service managers, `timeout`) must still stop the worker we started;
        # gunicorn's arbiter installs its own handlers and exits cleanly on SIGTERM.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    if not worker:
        run()
        return
    with worker_process():
        run()
