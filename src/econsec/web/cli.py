"""Commands of the web workbench: ``serve``, ``worker``, ``create-user``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from econsec.i18n import normalise_lang, t

console = Console()


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    threads: Annotated[int, typer.Option(help="Request threads (per process)")] = 8,
    processes: Annotated[
        int, typer.Option(help="Server processes (>1 uses gunicorn; POSIX only)")
    ] = 1,
    worker: Annotated[bool, typer.Option(help="Also run the background-job worker")] = True,
    lang: Annotated[str | None, typer.Option(help="ja or en")] = None,
) -> None:
    """Serve the web workbench (and its job worker) / Webワークベンチを起動します。"""
    from econsec.store import open_store

    open_store()
    console.print(t("web.cli.serving", normalise_lang(lang), url=f"http://{host}:{port}/"))
    from econsec.web.serve import serve as serve_http

    serve_http(host, port, threads=threads, worker=worker, processes=processes)


def worker(
    grace: Annotated[
        float | None,
        typer.Option(
            help="Seconds a running job may finish after a stop signal before it is interrupted "
            "and queued again (default: ECONSEC_WORKER_GRACE_SECONDS, 30)"
        ),
    ] = None,
    worker_id: Annotated[str | None, typer.Option(hidden=True)] = None,
    parent: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run the background-job worker only / バックグラウンドジョブのワーカーだけを起動します。"""
    from econsec.store import open_store

    open_store()
    import logging

    from econsec.web.worker import run

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run(worker_id=worker_id, parent=parent, grace=grace)


def create_user(
    username: str,
    role: Annotated[str, typer.Option(help="administrator, analyst, viewer or auditor")],
    lang: Annotated[str | None, typer.Option(help="ja or en")] = None,
) -> None:
    """Create a user with a role and print a generated password / 役割付きのユーザーを作成します。"""
    from econsec.store import open_store

    open_store()
    from django.contrib.auth.models import User

    from econsec.web.accounts import create_user as make
    from econsec.web.roles import ROLES

    lang = normalise_lang(lang)
    if role not in ROLES:
        console.print(t("web.cli.bad_role", lang, role=role, roles=", ".join(ROLES)))
        raise typer.Exit(2)
    if User.objects.filter(username=username).exists():
        console.print(t("web.cli.user_exists", lang, username=username))
        raise typer.Exit(1)
    _, password = make(username, role)
    console.print(t("web.cli.user_created", lang, username=username, role=role, password=password))


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.command("create-user")(create_user)
