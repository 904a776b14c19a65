"""Serve the workbench: a WSGI server (waitress, pure Python, threaded) plus the job worker.

This is the embedded default behind ``make demo`` and ``econsec serve``. A team server runs the
same WSGI application under gunicorn or granian and the worker as its own service
(docs/decisions/0050-web-serving.md).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def worker_process() -> Iterator[subprocess.Popen[bytes]]:
    """Run the task worker (django-tasks database backend) for as long as the block lasts."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "econsec.web.settings"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--no-reload", "--verbosity", "0"], env=env
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve(
    host: str = "127.0.0.1", port: int = 8000, *, threads: int = 8, worker: bool = True
) -> None:
    """Serve until interrupted. Call after ``econsec.store.open_store()``."""
    from waitress import serve as waitress_serve

    from .wsgi import application

    # waitress warns on every queued request; under load that is noise, not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # A plain SIGTERM (service managers, `timeout`) must still stop the worker we started.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    if not worker:
        waitress_serve(application, host=host, port=port, threads=threads, ident="econsec")
        return
    with worker_process():
        waitress_serve(application, host=host, port=port, threads=threads, ident="econsec")
