"""The web part of ``econsec demo``: the demo administrator, then the server and the worker."""

from __future__ import annotations

import os

from rich.console import Console

from econsec.i18n import t

console = Console()


def run(lang: str, serve: bool = True) -> None:
    from .accounts import ensure_demo_administrator

    password = ensure_demo_administrator()
    if password is not None:
        console.print(t("web.cli.admin_created", lang, username="admin", password=password))
    else:
        console.print(t("web.cli.admin_exists", lang, username="admin"))
    if not serve:
        return
    host = os.environ.get("ECONSEC_HOST", "127.0.0.1")
    port = int(os.environ.get("ECONSEC_PORT", "8000"))
    console.print(t("web.cli.serving", lang, url=f"http://{host}:{port}/"))
    from .serve import serve as serve_http

    serve_http(host, port)
