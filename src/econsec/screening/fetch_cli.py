"""``econsec lists fetch | sources | schedule``: keeping the lists current from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en (default: locale)")]


def lists_fetch(
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="List to fetch (repeatable; default: every configured one)"),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Fetch from this address instead (one --source only)")
    ] = None,
    sha256: Annotated[str | None, typer.Option(help="Expected SHA-256 of the file")] = None,
    actor: Annotated[str | None, typer.Option(help="Who fetches (default: OS user)")] = None,
    lang: LangOption = None,
) -> None:
    """Download each list from its publisher, verify it, load it as a new version and
    re-screen what changed; a failed fetch keeps the current version."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.fetch import FetchError, fetch, load_config

    try:
        config = load_config()
        if url or sha256:
            if not source or len(source) != 1:
                err_console.print(t("screening.fetch.url_needs_one", lang))
                raise typer.Exit(2)
            entry = dict((config.get("sources") or {}).get(source[0]) or {})
            entry.update({k: v for k, v in (("url", url), ("sha256", sha256)) if v})
            config = {**config, "sources": {**(config.get("sources") or {}), source[0]: entry}}
        outcomes, counts = fetch(source or None, actor=actor or getpass.getuser(), config=config)
    except FetchError as exc:
        err_console.print(exc.message(lang))
        raise typer.Exit(2) from None
    for o in outcomes:
        if o.status == "loaded":
            console.print(t("screening.fetch.loaded", lang, name=o.name, count=o.entities,
                            added=o.added, changed=o.changed, removed=o.removed))  # fmt: skip
        elif o.status == "unchanged":
            console.print(t("screening.fetch.unchanged", lang, name=o.name, count=o.entities))
        else:
            err_console.print(
                escape(t("screening.fetch.failed", lang, name=o.name, error=o.error[lang]))
            )
    if counts:
        console.print(t("screening.fetch.rescreened", lang, screened=counts.get("screened", 0),
                        hits=counts.get("hits", 0)))  # fmt: skip
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


def lists_sources(lang: LangOption = None) -> None:
    """Each list's publisher and address, its last fetch and the schedule."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.fetch import (
        FetchError,
        config_path,
        last_fetches,
        load_config,
        schedule_hours,
        sources,
    )

    try:
        config = load_config()
    except FetchError as exc:
        err_console.print(exc.message(lang))
        raise typer.Exit(1) from None
    last = last_fetches()
    table = Table(title=t("screening.fetch.sources_title", lang))
    for col in ("name", "publisher", "address", "last", "result"):
        table.add_column(t(f"screening.fetch.col.{col}", lang))
    for name, src in sorted(sources(config).items()):
        event = last.get(name)
        result = ""
        if event is not None:
            result = t(f"screening.fetch.result.{event['action']}", lang)
            message = (event["detail"].get("message") or {}).get(lang)
            if message:
                result += f": {message}"
        address = ", ".join(u for _, u in src.files) or t("screening.fetch.not_configured", lang)
        when = event["at"].strftime("%Y-%m-%d %H:%M") if event else ""
        table.add_row(name, src.publisher, escape(address), when, escape(result))
    console.print(table)
    hours = schedule_hours(config)
    if hours:
        console.print(
            t("screening.fetch.schedule_every", lang, hours=f"{hours:g}", path=str(config_path()))
        )
    else:
        console.print(t("screening.fetch.schedule_none", lang))


def lists_schedule(
    every: Annotated[float | None, typer.Option(help="Fetch every N hours")] = None,
    off: Annotated[bool, typer.Option("--off", help="Stop fetching on a schedule")] = False,
    lang: LangOption = None,
) -> None:
    """Set how often the job worker fetches the lists (administrators)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.fetch import FetchError, config_path, load_config, save_config

    if not off and (every is None or every <= 0):
        err_console.print(t("screening.fetch.schedule_bad", lang))
        raise typer.Exit(2)
    try:
        config = load_config()
    except FetchError as exc:
        err_console.print(exc.message(lang))
        raise typer.Exit(1) from None
    config = {k: v for k, v in config.items() if k != "schedule"}
    if not off:
        config["schedule"] = {"every_hours": every}
    save_config(config)
    if off:
        console.print(t("screening.fetch.schedule_none", lang))
    else:
        console.print(
            t("screening.fetch.schedule_every", lang, hours=f"{every:g}", path=str(config_path()))
        )


def register(lists_app: typer.Typer) -> None:
    lists_app.command("fetch")(lists_fetch)
    lists_app.command("sources")(lists_sources)
    lists_app.command("schedule")(lists_schedule)
