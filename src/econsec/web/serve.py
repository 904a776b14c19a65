"""Serve the workbench: a WSGI server plus the job worker.

One process (the default, any OS): **waitress**, pure Python and threaded. Python runs one
thread at a time per process, so under many concurrent users the requests queue behind one
core. ``processes > 1`` (POSIX): **gunicorn** with that many worker processes, each with
``threads`` threads (gthread workers, keep-alive; ``threads=1`` gives plain sync workers). The application is loaded and the compiled
network warmed once in the parent before the workers fork, so every worker starts with the
arrays already in (shared, copy-on-write) memory. See docs/decisions/0056-serving-processes.md.

The job worker runs beside the server as a supervised child process, restarted when it dies
(econsec.web.supervise). Both servers refuse request bodies over ``ECONSEC_MAX_REQUEST_BYTES``:
waitress while reading, gunicorn through :func:`body_limit_guard`
(docs/decisions/0092-hardening-the-server.md).

A team server runs the same WSGI application under its own process manager and the worker as
its own service (docs/decisions/0050-web-serving.md).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from .supervise import Command, WorkerSupervisor, worker_command

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


@contextmanager
def worker_process(
    command: Command = worker_command, *, env: dict[str, str] | None = None
) -> Iterator[WorkerSupervisor]:
    """Run the job worker for as long as the block lasts, restarting it when it dies."""
    supervisor = WorkerSupervisor(command, env=env)
    supervisor.start()
    supervisor.watch()
    try:
        yield supervisor
    finally:
        supervisor.stop()


def body_limit_guard(application: WSGIApp, limit: int) -> WSGIApp:
    """Refuse a body over ``limit`` bytes (413) or of unknown length (411) before the
    application sees it; waitress enforces the same limit while reading, gunicorn does not."""
    from econsec.i18n import LANGUAGES, t

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if size > limit or (chunked and not environ.get("CONTENT_LENGTH")):
            status = "413 Content Too Large" if size > limit else "411 Length Required"
            text = " / ".join(t("web.too_large.title", lang) for lang in LANGUAGES)
            body = (text + "\n").encode("utf-8")
            start_response(
                status,
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Connection", "close"),
                ],
            )
            return [body]
        return application(environ, start_response)

    return guarded


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
                # Request line and headers: gunicorn's own limits, stated; the body limit is
                # the WSGI guard's (body_limit_guard).
                "limit_request_line": 8190,
                "limit_request_fields": 100,
                "limit_request_field_size": 8190,
                "timeout": 120,
                "graceful_timeout": 10,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "econsec",
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            return body_limit_guard(application, settings.ECONSEC_MAX_REQUEST_BYTES)

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
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="econsec",
            max_request_body_size=settings.ECONSEC_MAX_REQUEST_BYTES,
        )

    if not multi:
        # A plain SIGTERM (service managers, `timeout`) must still stop the worker we started;
        # gunicorn's arbiter installs its own handlers and exits cleanly on SIGTERM.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    if not worker:
        run()
        return
    with worker_process():
        run()
