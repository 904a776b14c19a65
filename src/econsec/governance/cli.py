"""``econsec audit verify | anchor | log`` (and the risk register's ``econsec risk …``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
EXIT_INPUT_ERRORS = 1

audit_app = typer.Typer(
    help="Tamper-evident audit trail / 改ざん検知可能な監査証跡", no_args_is_help=True
)


@audit_app.command("verify")
def verify_cmd(
    anchor_file: Annotated[
        Path | None, typer.Option("--anchor", help="Also check a head written by `audit anchor`")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Check the whole hash chain; exit 1 naming the first broken record."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.chain import read_anchor, verify

    anchor = None
    if anchor_file is not None:
        try:
            anchor = read_anchor(anchor_file)
        except (OSError, ValueError, json.JSONDecodeError) as exc:
            err_console.print(t("governance.audit.bad_anchor", lang, path=str(anchor_file)))
            raise typer.Exit(2) from exc
    result = verify(anchor=anchor)
    if result.ok:
        console.print(
            t("governance.audit.ok", lang, count=result.count, hash=result.head_hash),
            markup=False,
            soft_wrap=True,
        )
        return
    broken = result.broken
    assert broken is not None
    record = "-" if broken.record_id is None else str(broken.record_id)
    err_console.print(
        t("governance.audit.broken", lang, seq=broken.seq, id=record, checked=result.count),
        markup=False,
        soft_wrap=True,
    )
    err_console.print(t(broken.reason, lang, seq=broken.seq), markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT_ERRORS)


@audit_app.command("anchor")
def anchor_cmd(
    path: Annotated[Path, typer.Argument(help="File to write the head hash to (JSON)")],
    lang: LangOption = None,
) -> None:
    """Write the chain's head (sequence number and hash) to a file kept outside the database."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.chain import anchor

    data = anchor(path)
    console.print(
        t("governance.audit.anchored", lang, path=str(path), seq=data["seq"], hash=data["hash"]),
        markup=False,
        soft_wrap=True,
    )


@audit_app.command("log")
def log_cmd(
    limit: Annotated[int, typer.Option(help="Most recent records to show")] = 30,
    lang: LangOption = None,
) -> None:
    """The most recent records of the audit trail."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.models import AuditEvent

    table = Table()
    for key in ("seq", "at", "actor", "action", "object", "reason"):
        table.add_column(t(f"governance.audit.col.{key}", lang))
    for e in AuditEvent.objects.order_by("-seq")[:limit]:
        table.add_row(
            str(e.seq), e.at.isoformat(timespec="seconds"), e.actor, e.action, e.object_ref,
            e.reason,
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
