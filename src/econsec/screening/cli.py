"""Screening commands: ``econsec lists load|show|diff``, ``econsec screen``, ``econsec hits``."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en (default: locale)")]
EXIT_INPUT_ERRORS = 1

lists_app = typer.Typer(
    help="Sanctions and end-user lists / 制裁・外国ユーザーリスト", no_args_is_help=True
)
hits_app = typer.Typer(
    help="Review screening hits / スクリーニング該当の審査", no_args_is_help=True
)


def _actor(actor: str | None) -> str:
    return actor or getpass.getuser()


@lists_app.command("load")
def lists_load(
    path: Annotated[Path, typer.Argument(help="List file or OFAC folder")],
    name: Annotated[str, typer.Option("--name", help="List name, e.g. ofac_sdn, meti_eul")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="ftm, ofac, csl, un, eu, user, meti_eul, mof or cn_mofcom"),
    ] = None,
    version_date: Annotated[
        str | None, typer.Option("--date", help="Version date YYYY-MM-DD")
    ] = None,
    dataset: Annotated[
        str | None, typer.Option(help="FtM dataset to keep, e.g. jp_meti_eul")
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="Match threshold for this list")] = None,
    actor: Annotated[str | None, typer.Option(help="Who loads (default: OS user)")] = None,
    lang: LangOption = None,
) -> None:
    """Load a new version of a list; a malformed file leaves the current version in force."""
    from econsec.screening.entity import ListLoadError
    from econsec.screening.loaders import load_list
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening import service
    from econsec.screening.models import ScreeningList

    try:
        when = date.fromisoformat(version_date) if version_date else None
        loaded = load_list(
            path, list_name=name, source_format=fmt, version_date=when, dataset=dataset
        )
    except ListLoadError as exc:
        err_console.print(t("screening.cli.load_failed", lang, error=exc.message(lang)))
        raise typer.Exit(EXIT_INPUT_ERRORS) from None
    except ValueError:
        err_console.print(t("screening.cli.bad_date", lang, value=version_date))
        raise typer.Exit(2) from None
    version, diff = service.store_list(loaded, actor=_actor(actor), source_name=path.name)
    if threshold is not None:
        ScreeningList.objects.filter(name=name).update(threshold=threshold)
    console.print(
        t(
            "screening.cli.loaded",
            lang,
            name=name,
            count=version.entity_count,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
        )
    )


@lists_app.command("show")
def lists_show(
    name: Annotated[str | None, typer.Argument(help="A list name for its versions")] = None,
    lang: LangOption = None,
) -> None:
    """Show the lists and their current versions (or one list's version history)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.models import ListVersion

    versions = ListVersion.objects.select_related("screening_list")
    versions = (
        versions.filter(screening_list__name=name) if name else versions.filter(is_current=True)
    )
    table = Table(title=t("screening.cli.lists_title", lang))
    for col in (
        "id",
        "list",
        "date",
        "loaded",
        "entities",
        "added",
        "changed",
        "removed",
        "current",
    ):
        table.add_column(t(f"screening.cli.col.{col}", lang))
    for v in versions:
        table.add_row(
            str(v.pk),
            v.screening_list.name,
            str(v.version_date or ""),
            v.loaded_at.strftime("%Y-%m-%d %H:%M"),
            str(v.entity_count),
            str(v.added),
            str(v.changed),
            str(v.removed),
            "*" if v.is_current else "",
        )
    console.print(table)


@lists_app.command("diff")
def lists_diff(
    name: Annotated[str, typer.Argument(help="List name")],
    old: Annotated[
        int | None, typer.Option(help="Older version id (default: the previous)")
    ] = None,
    new: Annotated[int | None, typer.Option(help="Newer version id (default: the current)")] = None,
    limit: Annotated[int, typer.Option(help="Entries shown per kind of change")] = 20,
    lang: LangOption = None,
) -> None:
    """What was added, changed and removed between two versions of a list."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening import service
    from econsec.screening.models import ListEntry, ListVersion

    versions = list(ListVersion.objects.filter(screening_list__name=name).order_by("-pk"))
    by_id = {v.pk: v for v in versions}
    newer = by_id.get(new) if new else (versions[0] if versions else None)
    older = (
        by_id.get(old) if old else next((v for v in versions if newer and v.pk < newer.pk), None)
    )
    if newer is None or older is None:
        err_console.print(t("screening.cli.no_versions", lang, name=name))
        raise typer.Exit(EXIT_INPUT_ERRORS)
    diff = service.diff_versions(older, newer)
    console.print(
        t(
            "screening.cli.diff_head",
            lang,
            name=name,
            old=older.pk,
            new=newer.pk,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
        )
    )
    for label, ids, version in (
        ("+", diff.added, newer),
        ("~", diff.changed, newer),
        ("-", diff.removed, older),
    ):
        names = dict(
            ListEntry.objects.filter(version=version, entity_id__in=ids[:limit]).values_list(
                "entity_id", "name"
            )
        )
        for eid in ids[:limit]:
            console.print(f"{label} {eid} {names.get(eid, '')}")


def screen(
    all_: Annotated[
        bool, typer.Option("--all", help="Every organisation in the value chain")
    ] = False,
    org: Annotated[str | None, typer.Option("--org", help="One organisation by org_id")] = None,
    name: Annotated[str | None, typer.Option("--name", help="An ad-hoc name (not stored)")] = None,
    country: Annotated[str | None, typer.Option(help="Country of the ad-hoc name (ISO2)")] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-screen everything, not only changes")
    ] = False,
    explain: Annotated[bool, typer.Option(help="Print each match's explanation")] = True,
    actor: Annotated[
        str | None, typer.Option(help="Who runs the screen (default: OS user)")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Screen the value chain (delta by default), one organisation, or an ad-hoc name."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    if sum(bool(x) for x in (all_, org, name)) != 1:
        err_console.print(t("screening.cli.choose_one", lang))
        raise typer.Exit(2)
    open_store()
    from econsec.screening import service
    from econsec.screening.index import ScreeningIndex
    from econsec.screening.models import ListVersion
    from econsec.screening.scoring import Subject

    if name:
        versions = ListVersion.objects.filter(is_current=True).select_related("screening_list")
        index = ScreeningIndex.build(
            [(v.screening_list.name, service.version_entities(v)) for v in versions]
        )
        subject = Subject(name, countries=(country.lower(),) if country else ())
        matches = index.screen(subject, service.config_from_store())
        if not matches:
            console.print(t("screening.cli.no_match", lang, name=name))
        for m in matches:
            console.print(
                f"[bold]{m.score:.3f}[/bold] {escape(m.list_name)} {escape(m.entity_id)} "
                f"{escape(m.entity_name)}"
            )
            if explain:
                for line in m.explain():
                    console.print("    " + escape(line))
        return
    subjects, owners = service.value_chain_subjects()
    if org:
        subjects = [s for s in subjects if s.ref == f"org:{org}"]
        if not subjects:
            err_console.print(t("screening.cli.no_org", lang, org=org))
            raise typer.Exit(EXIT_INPUT_ERRORS)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
    ) as progress:
        task = progress.add_task(t("screening.cli.screening", lang), total=len(subjects))
        counts = service.screen_subjects(
            subjects,
            actor=_actor(actor),
            delta=not full,
            owners=owners,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    console.print(
        t(
            "screening.cli.screen_done",
            lang,
            **{k: counts.get(k, 0) for k in ("screened", "skipped", "hits", "open", "ownership")},
        )
    )


@hits_app.command("list")
def hits_list(
    status: Annotated[
        str, typer.Option(help="open, confirmed, dismissed, withdrawn or all")
    ] = "open",
    lang: LangOption = None,
) -> None:
    """The review queue."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.models import Hit

    hits = Hit.objects.all() if status == "all" else Hit.objects.filter(status=status)
    table = Table(title=t("screening.cli.hits_title", lang))
    for col in ("id", "subject", "list", "entry", "score", "via", "status"):
        table.add_column(t(f"screening.cli.col.{col}", lang), overflow="fold")
    for h in hits:
        table.add_row(
            str(h.pk),
            h.subject_name,
            h.list_name,
            f"{h.entity_id} {h.entity_name}",
            f"{h.score:.3f}",
            t(f"screening.web.via.{h.via}", lang),
            t(f"screening.status.{h.status}", lang),
        )
    console.print(table)


def _decide(hit_id: int, status: str, reviewer: str, reason: str, lang: str | None) -> None:
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.screening.service import ReviewError, decide

    try:
        decide(hit_id, status, reviewer=reviewer, reason=reason)
    except ReviewError as exc:
        err_console.print(t(exc.key, lang, **exc.params))
        raise typer.Exit(EXIT_INPUT_ERRORS) from None
    console.print(
        t("screening.cli.decided", lang, hit=hit_id, status=t(f"screening.status.{status}", lang))
    )


@hits_app.command("confirm")
def hits_confirm(
    hit_id: int,
    reviewer: Annotated[str, typer.Option(help="Reviewer's name")],
    reason: Annotated[str, typer.Option(help="Why")],
    lang: LangOption = None,
) -> None:
    """Confirm a hit as a true match."""
    _decide(hit_id, "confirmed", reviewer, reason, lang)


@hits_app.command("dismiss")
def hits_dismiss(
    hit_id: int,
    reviewer: Annotated[str, typer.Option(help="Reviewer's name")],
    reason: Annotated[str, typer.Option(help="Why")],
    lang: LangOption = None,
) -> None:
    """Dismiss a hit as a false match."""
    _decide(hit_id, "dismissed", reviewer, reason, lang)


def register(app: typer.Typer) -> None:
    from econsec.screening.fetch_cli import register as register_fetch

    register_fetch(lists_app)
    app.add_typer(lists_app, name="lists")
    app.add_typer(hits_app, name="hits")
    app.command("screen")(screen)
