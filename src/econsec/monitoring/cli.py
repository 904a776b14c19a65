"""``econsec events list | import | impact | triage | sources | source-add | fetch``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
EXIT_INPUT_ERRORS = 1

events_app = typer.Typer(
    help="External events and their impact / 外部イベントと影響", no_args_is_help=True
)


def _open() -> None:
    from econsec.store import open_store

    open_store()


def _fail(message: str) -> typer.Exit:
    err_console.print(message, markup=False, soft_wrap=True)
    return typer.Exit(EXIT_INPUT_ERRORS)


def _money(value: Any) -> str:
    return "-" if value is None else f"{float(value):,.0f}"


def _weeks(value: Any) -> str:
    return "∞" if value is None else f"{float(value):.1f}"


def title_of(event: Any, lang: str) -> str:
    if lang == "ja":
        return str(event.title_ja or event.title_en)
    return str(event.title_en or event.title_ja)


def print_impact(event: Any, lang: str, *, paths: bool = False) -> None:
    """The products an event touches and stops, with revenue at risk and TTS when known."""
    alert = event.alert
    impact = alert.impact
    console.print(
        t(
            "monitoring.cli.impact_head",
            lang,
            id=event.pk,
            title=title_of(event, lang),
            kind=t(f"monitoring.kind.{event.kind}", lang),
            severity=t(f"monitoring.severity.{alert.severity}", lang),
            touched=len(impact.get("products", [])),
            stopped=sum(1 for p in impact.get("products", []) if p["stopped"]),
            revenue=_money(impact.get("revenue_stopped")),
        ),
        markup=False,
        soft_wrap=True,
    )
    for key, params in impact.get("severity_reasons", []):
        console.print("  " + t(key, lang, **params), markup=False, soft_wrap=True)
    stress = impact.get("stress") or {}
    tts = {p["item"]: p.get("tts_weeks") for p in stress.get("products", [])}
    table = Table()
    for key in ("product", "site", "stopped", "revenue", "tts", "via"):
        table.add_column(t(f"monitoring.cli.col.{key}", lang))
    for p in impact.get("products", []):
        table.add_row(
            p["item"],
            p["site"],
            t("monitoring.cli.yes" if p["stopped"] else "monitoring.cli.no", lang),
            _money(p["revenue_per_week"]),
            _weeks(tts[p["item"]]) if p["item"] in tts else "-",
            p["path"][-1] if p["path"] else "",
        )
    if impact.get("products"):
        console.print(table)
    if stress:
        console.print(
            t(
                "monitoring.cli.tts",
                lang,
                tts=_weeks(stress.get("tts_weeks")),
                weeks=_weeks(stress["weeks"]),
            ),
            markup=False,
        )
    if paths:
        for p in impact.get("products", []):
            console.print(
                f"{p['item']}@{p['site']}: " + " ← ".join(p["path"]), markup=False, soft_wrap=True
            )
            for key, params in p.get("reasons", []):
                console.print("    " + t(key, lang, **params), markup=False, soft_wrap=True)
    for field_name, value in impact.get("unknown", []):
        console.print(
            t("monitoring.cli.unknown", lang, field=field_name, value=value), markup=False
        )


@events_app.command("list")
def list_cmd(
    status: Annotated[
        str | None, typer.Option(help="potential, confirmed, no_impact, recovered")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most recent events to show")] = 50,
    lang: LangOption = None,
) -> None:
    """The alert inbox: events by most recent, with severity, status and what they touch."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring.models import Alert

    alerts = Alert.objects.select_related("event")
    if status:
        alerts = alerts.filter(status=status)
    rows = list(alerts.order_by("-event__created_at", "-id")[:limit])
    if not rows:
        console.print(t("monitoring.cli.empty", lang))
        return
    table = Table()
    for key in ("id", "severity", "status", "kind", "touched", "stopped", "revenue", "title"):
        table.add_column(t(f"monitoring.cli.col.{key}", lang))
    for a in rows:
        products = a.impact.get("products", [])
        table.add_row(
            str(a.event.pk),
            t(f"monitoring.severity.{a.severity}", lang),
            t(f"monitoring.status.{a.status}", lang),
            t(f"monitoring.kind.{a.event.kind}", lang),
            str(len(products)),
            str(sum(1 for p in products if p["stopped"])),
            _money(a.impact.get("revenue_stopped")),
            title_of(a.event, lang),
        )
    console.print(table)


@events_app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(help="Events as YAML, JSON or xlsx")],
    tts: Annotated[
        bool, typer.Option("--tts/--no-tts", help="Also run the stress test (TTS)")
    ] = True,
    actor: Annotated[str, typer.Option(help="Who is importing")] = "",
    lang: LangOption = None,
) -> None:
    """Import events (all or nothing) and show what each touches."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring import service
    from econsec.monitoring.errors import MonitoringError
    from econsec.safe_yaml import YamlRefused
    from econsec.sheet_problems import ImportProblems

    try:
        if path.suffix.lower() == ".xlsx":
            from econsec.monitoring.workbook import load

            documents = load(path)
        else:
            documents = service.load_documents(path)
        created, duplicates = service.import_events(documents, path.name, actor=actor, with_tts=tts)
    except (MonitoringError, YamlRefused) as exc:
        raise _fail(exc.message(lang)) from exc
    except ImportProblems as exc:
        for problem in exc.problems[:-1]:
            err_console.print(problem.message(lang), markup=False, soft_wrap=True)
        raise _fail(exc.problems[-1].message(lang)) from exc
    except OSError as exc:
        raise _fail(t("monitoring.cli.cannot_read", lang, path=str(path))) from exc
    console.print(
        t("monitoring.cli.imported", lang, created=len(created), duplicates=duplicates),
        markup=False,
    )
    for event in created:
        print_impact(event, lang)


def _event(event_id: int, lang: str) -> Any:
    from econsec.monitoring.models import Event

    event = Event.objects.select_related("alert").filter(pk=event_id).first()
    if event is None:
        raise _fail(t("monitoring.cli.no_event", lang, id=event_id))
    return event


@events_app.command("impact")
def impact_cmd(
    event_id: Annotated[int, typer.Argument(help="Event id")],
    tts: Annotated[
        bool, typer.Option("--tts/--no-tts", help="Also run the stress test (TTS)")
    ] = True,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    lang: LangOption = None,
) -> None:
    """Recompute an event's impact on the current value chain, with paths and reasons."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring import service

    event = _event(event_id, lang)
    service.assess(event, with_tts=tts)
    event.refresh_from_db()
    if fmt == "json":
        console.print_json(json.dumps(event.alert.impact, ensure_ascii=False))
        return
    print_impact(event, lang, paths=True)


@events_app.command("triage")
def triage_cmd(
    event_id: Annotated[int, typer.Argument(help="Event id")],
    status: Annotated[
        str | None, typer.Option(help="potential, confirmed, no_impact, recovered")
    ] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD")] = None,
    note: Annotated[str, typer.Option()] = "",
    measure: Annotated[str | None, typer.Option(help="A measure this alert is answered by")] = None,
    risk: Annotated[
        str | None, typer.Option(help="A risk-register code this alert belongs to")
    ] = None,
    actor: Annotated[str, typer.Option()] = "",
    lang: LangOption = None,
) -> None:
    """Set an alert's status, owner, due date or links, or add a note (kept on its timeline)."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring import service
    from econsec.monitoring.errors import MonitoringError

    event = _event(event_id, lang)
    try:
        due_on = dt.date.fromisoformat(due) if due else None
    except ValueError as exc:
        raise _fail(
            t("monitoring.event.bad_date", lang, where="--due", field="due", value=due)
        ) from exc
    try:
        alert = service.triage(
            event.alert, actor=actor, status=status, owner=owner, due_on=due_on, note=note,
            measure_ref=measure, risk_ref=risk,
        )  # fmt: skip
    except MonitoringError as exc:
        raise _fail(exc.message(lang)) from exc
    console.print(
        t(
            "monitoring.cli.triaged",
            lang,
            id=event.pk,
            status=t(f"monitoring.status.{alert.status}", lang),
            owner=alert.owner or "-",
        ),
        markup=False,
    )


@events_app.command("sources")
def sources_cmd(lang: LangOption = None) -> None:
    """Configured feeds with their last success, last error and next run."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring.models import Source

    table = Table()
    for key in ("name", "url", "success", "error", "next"):
        table.add_column(t(f"monitoring.cli.col.{key}", lang))
    for s in Source.objects.all():
        table.add_row(
            s.name,
            s.url,
            str(s.last_success_at or "-"),
            s.error_in(lang) or "-",
            str(s.next_run_at or "-"),
        )
    console.print(table)


@events_app.command("source-add")
def source_add_cmd(
    name: Annotated[str, typer.Argument()],
    url: Annotated[str, typer.Argument(help="RSS or Atom feed URL (http or https)")],
    interval: Annotated[int, typer.Option(help="Minutes between fetches")] = 60,
    lang: LangOption = None,
) -> None:
    """Add or update a feed source."""
    lang = normalise_lang(lang)
    _open()
    from econsec.monitoring.models import Source

    if not url.lower().startswith(("http://", "https://")):
        raise _fail(t("monitoring.fetch.bad_url", lang, source=name, url=url))
    Source.objects.update_or_create(
        name=name, defaults={"url": url, "interval_minutes": max(1, interval)}
    )
    console.print(t("monitoring.cli.source_saved", lang, name=name), markup=False)


@events_app.command("fetch")
def fetch_cmd(
    force: Annotated[bool, typer.Option("--all", help="Fetch every source, due or not")] = False,
    file: Annotated[Path | None, typer.Option(help="Read a saved feed file instead")] = None,
    source: Annotated[str, typer.Option(help="Source name for --file")] = "file",
    cap: Annotated[bool, typer.Option("--cap", help="--file holds CAP 1.2 alerts")] = False,
    lang: LangOption = None,
) -> None:
    """Fetch due sources (or read a feed or CAP file), classify new items and assess them."""
    lang = normalise_lang(lang)
    _open()
    from django.utils import timezone

    from econsec.monitoring import service
    from econsec.monitoring.errors import MonitoringError
    from econsec.monitoring.feeds import MAX_FEED_BYTES
    from econsec.monitoring.models import Source

    if file is not None:
        src, _ = Source.objects.get_or_create(
            name=source, defaults={"url": "https://localhost/", "enabled": False}
        )
        try:
            if file.stat().st_size > MAX_FEED_BYTES:
                raise MonitoringError(
                    "monitoring.feed.too_large", source=file.name, size=file.stat().st_size,
                    limit=MAX_FEED_BYTES,
                )  # fmt: skip
            body = file.read_bytes()
            reports = [service.ingest_cap(src, body) if cap else service.ingest(src, body)]
        except MonitoringError as exc:
            service.note_outcome(src, service.FetchReport(src.name, error=exc), timezone.now())
            src.save()
            raise _fail(exc.message(lang)) from exc
        except OSError as exc:
            raise _fail(t("monitoring.cli.cannot_read", lang, path=str(file))) from exc
        service.note_outcome(src, reports[0], timezone.now())
        src.save()
    else:
        reports = service.fetch_due(force=force)
    failed = False
    for r in reports:
        if r.error is not None:
            failed = True
            err_console.print(r.error.message(lang), markup=False, soft_wrap=True)
            continue
        console.print(
            t("monitoring.cli.fetched", lang, source=r.source, new=r.new, duplicates=r.duplicates),
            markup=False,
        )
        for p in r.problems:
            err_console.print("  " + p.message(lang), markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(EXIT_INPUT_ERRORS)


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
