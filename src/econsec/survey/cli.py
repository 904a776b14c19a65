"""`econsec survey new|workbooks|send|remind|status|intake|merge`: supplier mapping campaigns."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

survey_app = typer.Typer(help="Supplier mapping campaigns / サプライヤー調査", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
Workers = Annotated[int, typer.Option("--workers", help="processes (default: all cores)")]


def _open() -> None:
    from econsec.store import open_store

    open_store()


def _campaign(campaign_id: int, lang: str) -> Any:
    from econsec.survey.models import Campaign

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        err.print(t("survey.cli.no_campaign", lang, id=campaign_id))
        raise typer.Exit(2)
    return found


def _pool(workers: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    count = workers or os.cpu_count() or 1
    return ProcessPoolExecutor(count) if count > 1 else None


@survey_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="campaign name")],
    year: Annotated[int, typer.Option(help="campaign year")] = dt.date.today().year,
    tier: Annotated[
        list[int] | None, typer.Option("--tier", help="supplier tier (repeatable)")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="item tag (repeatable)")] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="country (repeatable)")
    ] = None,
    min_spend: Annotated[float, typer.Option(help="least annual spend")] = 0.0,
    language: Annotated[
        str | None, typer.Option("--workbook-lang", help="ja, en or zh for all")
    ] = None,
    token_days: Annotated[int, typer.Option(help="days an upload link stays valid")] = 60,
    lang: LangOption = None,
) -> None:
    """Open a campaign asking the suppliers the filters select."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.campaigns import Selection, create
    from econsec.survey.text import SUPPLIER_LANGUAGES
    from econsec.valuechain.store_io import current_version

    if not current_version():
        err.print(t("survey.cli.empty_store", lang))
        raise typer.Exit(1)
    if language is not None and language not in SUPPLIER_LANGUAGES:
        raise typer.BadParameter(language)
    selection = Selection(tuple(tier or (1,)), tuple(tag or ()),
                          tuple(c.upper() for c in country or ()), min_spend)  # fmt: skip
    campaign = create(name, year, selection, language=language, token_days=token_days,
                      created_by=os.environ.get("USER", ""))  # fmt: skip
    console.print(t("survey.cli.created", lang, id=campaign.pk, count=campaign.requests.count()))


@survey_app.command("workbooks")
def workbooks(
    campaign_id: Annotated[int, typer.Argument(help="campaign number")],
    out: Annotated[Path, typer.Option("--out", help="folder for the workbooks")] = Path("survey"),
    base_url: Annotated[
        str, typer.Option(help="workbench address for upload links")
    ] = "http://127.0.0.1:8000",
    workers: Workers = 0,
    lang: LangOption = None,
) -> None:
    """Write one pre-filled workbook per supplier and a list of their upload links."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.sending import write_workbooks

    campaign = _campaign(campaign_id, lang)
    pool = _pool(workers)
    try:
        names = write_workbooks(campaign, out, base_url=base_url, executor=pool)
    finally:
        if pool is not None:
            pool.shutdown()
    console.print(t("survey.cli.written", lang, count=len(names), path=str(out)))


@survey_app.command("send")
def send(
    campaign_id: Annotated[int, typer.Argument(help="campaign number")],
    to: Annotated[
        list[str] | None, typer.Option("--to", help="SUPPLIER_ID=address (repeatable)")
    ] = None,
    again: Annotated[
        list[str] | None, typer.Option("--again", help="supplier id to send to again")
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="workbench address for upload links")
    ] = "http://127.0.0.1:8000",
    lang: LangOption = None,
) -> None:
    """E-mail each supplier not yet sent to its workbook and upload link (SMTP settings)."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.mail import send_invitations, set_addresses

    campaign = _campaign(campaign_id, lang)
    pairs = dict(item.partition("=")[::2] for item in to or ())
    refused = set_addresses(campaign, pairs)
    for item in refused:
        err.print(t("survey.cli.bad_address", lang, value=item))
    if refused:
        raise typer.Exit(2)
    outcome = send_invitations(campaign, base_url=base_url, org_ids=list(again) if again else None)
    for org, error in outcome.failed.items():
        err.print(t("survey.cli.send_failed", lang, supplier=org, error=error))
    if outcome.no_address:
        err.print(t("survey.cli.no_address", lang, suppliers=", ".join(outcome.no_address)))
    console.print(t("survey.cli.sent", lang, count=len(outcome.sent), failed=len(outcome.failed)))
    if outcome.failed:
        raise typer.Exit(1)


@survey_app.command("remind")
def remind_cmd(lang: LangOption = None) -> None:
    """Send the reminders due now (the job worker does this on its own schedule)."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.mail import remind

    counts = remind()
    console.print(t("survey.cli.reminded", lang, **counts))
    if counts["failed"]:
        raise typer.Exit(1)


@survey_app.command("status")
def status(
    campaign_id: Annotated[int | None, typer.Argument(help="campaign number")] = None,
    lang: LangOption = None,
) -> None:
    """Campaigns, or one campaign's suppliers by status and the response rate per tier."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.models import Campaign
    from econsec.survey.progress import progress

    if campaign_id is None:
        table = Table(title=t("survey.cli.campaigns", lang))
        for key in ("id", "name", "year", "suppliers", "created"):
            table.add_column(t(f"survey.col.{key}", lang))
        for c in Campaign.objects.all():
            table.add_row(str(c.pk), c.name, str(c.year), str(c.requests.count()),
                          c.created_at.date().isoformat())  # fmt: skip
        console.print(table)
        return
    campaign = _campaign(campaign_id, lang)
    summary = progress(campaign)
    table = Table(title=f"{campaign.pk} {campaign.name}")
    table.add_column(t("survey.col.tier", lang))
    for key in summary.statuses:
        table.add_column(t(f"survey.status.{key}", lang), justify="right")
    table.add_column(t("survey.col.response_rate", lang), justify="right")
    for tier, counts in summary.by_tier.items():
        rate = summary.response_rate(tier)
        table.add_row(str(tier), *(str(counts.get(k, 0)) for k in summary.statuses),
                      f"{100 * rate:.0f}%")  # fmt: skip
    console.print(table)


@survey_app.command("intake")
def intake(
    campaign_id: Annotated[int, typer.Argument(help="campaign number")],
    source: Annotated[Path, typer.Argument(help="a returned workbook, or a folder of them")],
    supplier: Annotated[str | None, typer.Option(help="supplier id (for a single file)")] = None,
    workers: Workers = 0,
    lang: LangOption = None,
) -> None:
    """Validate returned workbooks; each is kept with its rows or its located errors."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.answers import Problem
    from econsec.survey.returns import receive, receive_folder

    campaign = _campaign(campaign_id, lang)
    if source.is_dir():
        pool = _pool(workers)
        try:
            answers, unknown = receive_folder(campaign, source, executor=pool)
        finally:
            if pool is not None:
                pool.shutdown()
        for name in unknown:
            err.print(t("survey.cli.unknown_file", lang, file=name))
    else:
        org = supplier or _org_from_name(campaign.pk, source.name)
        request = campaign.requests.filter(org_id=org).first()
        if request is None:
            err.print(t("survey.cli.unknown_file", lang, file=source.name))
            raise typer.Exit(1)
        answers = [receive(request, source, via="cli")]
    bad = 0
    for answer in answers:
        if answer.ok:
            continue
        bad += 1
        for problem in answer.errors[:20]:
            err.print(f"{answer.source_name}: {Problem.from_dict(problem).message(lang)}")
    console.print(t("survey.cli.received", lang, ok=len(answers) - bad, errors=bad))
    if bad:
        raise typer.Exit(1)


def _org_from_name(campaign_id: int, name: str) -> str:
    prefix = f"survey-{campaign_id}-"
    return name[len(prefix) : -len(".xlsx")] if name.startswith(prefix) else ""


@survey_app.command("merge")
def merge_cmd(
    campaign_id: Annotated[int, typer.Argument(help="campaign number")],
    preview_only: Annotated[bool, typer.Option("--preview", help="show the changes only")] = False,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="change key to leave out")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Show what the returned answers change in the value chain, then merge them."""
    lang = normalise_lang(lang)
    _open()
    from econsec.survey.merge import merge, preview
    from econsec.valuechain.intake.issues import IntakeError

    campaign = _campaign(campaign_id, lang)
    plan = preview(campaign)
    table = Table(title=t("survey.cli.changes", lang))
    for key in ("change", "key", "supplier", "values"):
        table.add_column(t(f"survey.col.{key}", lang), overflow="fold")
    for change in plan.changes[:200]:
        shown = ", ".join(f"{k}={v}" for k, v in change.values.items() if v is not None)
        table.add_row(t(f"survey.change.{change.kind}", lang), change.key, change.org_id, shown)
    console.print(table)
    for conflict in plan.conflicts:
        err.print(f"{conflict.org_id}: {t(conflict.code, lang, **conflict.params)}")
    if preview_only:
        return
    if not plan.changes:
        console.print(t("survey.cli.nothing", lang))
        return
    try:
        outcome = merge(campaign, exclude or ())
    except IntakeError as exc:
        for issue in exc.issues[:20]:
            err.print(issue.render(lang))
        err.print(t("survey.cli.not_merged", lang))
        raise typer.Exit(1) from None
    console.print(t("survey.cli.merged", lang, count=len(outcome.merged),
                    version=outcome.data_version[:12]))  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
