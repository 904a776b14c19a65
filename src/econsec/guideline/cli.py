"""Self-assessment commands: ``econsec assess frameworks | new | export | import |
import-framework | score | compare | migrate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[
    str | None, typer.Option("--lang", help="ja or en (default: from the locale)")
]
EXIT_INPUT_ERRORS = 1

assess = typer.Typer(
    name="assess",
    help="Guideline self-assessment / 経済安全保障経営ガイドラインの自己評価",
    no_args_is_help=True,
)


def _fail(messages: list[str]) -> None:
    for message in messages:
        err_console.print(message, markup=False)
    raise typer.Exit(EXIT_INPUT_ERRORS)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@assess.command("frameworks")
def frameworks_cmd(lang: LangOption = None) -> None:
    """List the frameworks in the store (built-in ones are added automatically)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.campaigns import framework_of, sync_builtin_frameworks
    from econsec.guideline.models import StoredFramework

    sync_builtin_frameworks()
    table = Table(title=t("guideline.cli.frameworks_title", lang))
    for key in ("id", "edition", "version", "origin", "items", "questions", "name"):
        table.add_column(
            t(f"guideline.cli.col.{key}", lang), no_wrap=key != "name", overflow="fold"
        )
    for row in StoredFramework.objects.order_by("framework_id"):
        fw = framework_of(row)
        table.add_row(
            fw.id,
            fw.edition,
            str(fw.version),
            row.origin,
            str(len(fw.item_index)),
            str(len(fw.question_index)),
            fw.name.get(lang),
        )
    console.print(table)


@assess.command("new")
def new_cmd(
    framework: Annotated[str, typer.Argument(help="Framework id, e.g. esmg-1.0-draft")],
    name: Annotated[str, typer.Option(help="Campaign name")],
    assessor: Annotated[list[str], typer.Option(help="Assessor (repeat for several)")],
    date: Annotated[
        str | None, typer.Option(help="Assessment date YYYY-MM-DD (default today)")
    ] = None,
    unit: Annotated[str, typer.Option(help="Business unit (default: whole company)")] = "",
    lang: LangOption = None,
) -> None:
    """Open a new assessment campaign."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.campaigns import create_campaign
    from econsec.guideline.errors import GuidelineError

    try:
        when = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        _fail([t("guideline.cli.bad_date", lang, value=date)])
        return
    try:
        campaign = create_campaign(
            framework,
            name,
            when,
            assessor,
            scope_kind="business_unit" if unit else "company",
            scope_unit=unit,
            actor=assessor[0] if assessor else "",
        )
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    console.print(t("guideline.cli.created", lang, id=campaign.pk, name=campaign.name))


@assess.command("export")
def export_cmd(
    out: Annotated[Path, typer.Argument(help="Output file (.xlsx or .yaml)")],
    campaign: Annotated[int | None, typer.Option(help="Campaign id (answers included)")] = None,
    framework: Annotated[
        str | None, typer.Option(help="Framework id (blank questionnaire)")
    ] = None,
    format: Annotated[
        str, typer.Option(help="xlsx, ciso (CISO Assistant library) or yaml")
    ] = "xlsx",
    lang: LangOption = None,
) -> None:
    """Export a campaign or a framework: xlsx for meetings, CISO Assistant library YAML, or
    econsec framework YAML."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.assessment_io import export_campaign
    from econsec.guideline.campaigns import framework_of, get_campaign, get_framework_row
    from econsec.guideline.ciso import export_library
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.frameworks import framework_to_dict
    from econsec.guideline.xlsx_io import export_workbook

    try:
        if campaign is not None:
            row = get_campaign(campaign)
            fw = framework_of(row.framework)
            if format == "xlsx":
                export_campaign(row, out, lang)
                console.print(t("guideline.cli.written", lang, path=str(out)))
                return
        elif framework is not None:
            fw = framework_of(get_framework_row(framework))
        else:
            _fail([t("guideline.cli.need_target", lang)])
            return
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    if format == "xlsx":
        export_workbook(fw, out, lang)
    elif format == "ciso":
        out.write_text(
            yaml.safe_dump(export_library(fw), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
    elif format == "yaml":
        out.write_text(
            yaml.safe_dump(framework_to_dict(fw), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
    else:
        _fail([t("guideline.cli.bad_format", lang, value=format)])
    console.print(t("guideline.cli.written", lang, path=str(out)))


@assess.command("import")
def import_cmd(
    source: Annotated[Path, typer.Argument(help="Filled-in xlsx, or a framework file")],
    campaign: Annotated[
        int | None, typer.Option(help="Campaign to receive the xlsx answers")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who is importing (for the log)")] = "",
    lang: LangOption = None,
) -> None:
    """Import answers into a campaign (xlsx), or a framework (econsec YAML or CISO Assistant
    library YAML). All or nothing: any error and nothing is written."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec import safe_yaml
    from econsec.guideline.assessment_io import import_campaign
    from econsec.guideline.campaigns import get_campaign, store_framework
    from econsec.guideline.ciso import import_library
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.frameworks import (
        MAX_FRAMEWORK_BYTES,
        FrameworkError,
        framework_from_dict,
    )
    from econsec.guideline.interchange_errors import ImportProblems

    try:
        if campaign is not None:
            changes = import_campaign(get_campaign(campaign), source, actor=actor)
            console.print(t("guideline.cli.imported_answers", lang, count=changes, id=campaign))
            return
        raw = safe_yaml.load_file(source, max_bytes=MAX_FRAMEWORK_BYTES)
        is_ciso = isinstance(raw, dict) and "objects" in raw
        fw = import_library(raw, source.name) if is_ciso else framework_from_dict(raw, source.name)
        store_framework(fw, "imported", actor=actor)
        console.print(t("guideline.cli.imported_framework", lang, id=fw.id, version=fw.version))
    except ImportProblems as exc:
        _fail(exc.messages(lang))
    except FrameworkError as exc:
        _fail(exc.messages(lang))
    except GuidelineError as exc:
        _fail([exc.message(lang)])
    except safe_yaml.YamlRefused as exc:
        _fail([exc.message(lang)])
    except OSError as exc:
        _fail([t("guideline.cli.unreadable", lang, path=str(source), detail=str(exc))])


@assess.command("import-framework")
def import_framework_cmd(
    source: Annotated[Path, typer.Argument(help="Checklist workbook (.xlsx)")],
    mapping: Annotated[
        Path | None,
        typer.Option(help="Column mapping YAML (default: guess from the headings)"),
    ] = None,
    framework_id: Annotated[
        str | None, typer.Option("--id", help="Framework id (default: mapping, else file name)")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Framework version (default 1)")] = None,
    edition: Annotated[str | None, typer.Option(help="Edition label, e.g. 第1版")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet to read")] = None,
    header_row: Annotated[int | None, typer.Option(help="Row holding the headings")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Also write the framework as econsec YAML")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Check and show only; store nothing")] = False,
    actor: Annotated[str, typer.Option(help="Who is importing (for the log)")] = "",
    lang: LangOption = None,
) -> None:
    """Load an official or auditor's checklist workbook as a framework. Columns are guessed
    from common Japanese/English headings unless a mapping names them. All or nothing: any
    error and nothing is stored or written."""
    from econsec.guideline.checklist_import import import_checklist
    from econsec.guideline.checklist_mapping import ChecklistMapping, load_mapping
    from econsec.guideline.frameworks import framework_to_dict
    from econsec.guideline.interchange_errors import ImportProblems

    lang = normalise_lang(lang)
    try:
        spec = load_mapping(mapping) if mapping is not None else ChecklistMapping()
        result = import_checklist(
            source,
            spec,
            framework_id=framework_id,
            version=version,
            edition=edition,
            sheet=sheet,
            header_row=header_row,
            mapping_source=mapping.name if mapping is not None else "--id",
        )
    except ImportProblems as exc:
        _fail(exc.messages(lang))
        return
    fw = result.framework
    table = Table(
        title=t("guideline.cli.columns_title", lang, sheet=result.sheet, row=result.header_row)
    )
    for key in ("field", "language", "column", "how"):
        table.add_column(t(f"guideline.cli.col.{key}", lang))
    for column in sorted(result.columns, key=lambda c: c.index):
        table.add_row(
            column.field,
            column.lang or "-",
            column.label,
            t("guideline.cli.guessed" if column.guessed else "guideline.cli.mapped", lang),
        )
    console.print(table)
    summary = t(
        "guideline.cli.checklist_read",
        lang,
        id=fw.id,
        version=fw.version,
        areas=len(fw.areas),
        items=len(fw.item_index),
        questions=len(fw.question_index),
        languages="/".join(fw.languages),
    )
    if dry_run:
        console.print(summary)
        return
    from econsec.store import open_store

    open_store()
    from econsec.guideline.campaigns import store_framework
    from econsec.guideline.errors import GuidelineError

    try:
        store_framework(fw, "imported", actor=actor)
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    if out is not None:
        out.write_text(
            yaml.safe_dump(framework_to_dict(fw), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
        console.print(t("guideline.cli.written", lang, path=str(out)))
    console.print(summary)
    console.print(t("guideline.cli.imported_framework", lang, id=fw.id, version=fw.version))


@assess.command("score")
def score_cmd(
    campaign: Annotated[
        int | None, typer.Argument(help="Campaign id (default: the latest campaign)")
    ] = None,
    gaps: Annotated[int, typer.Option(help="How many top gaps to list")] = 10,
    lang: LangOption = None,
) -> None:
    """Scores by area, principle and overall, and the prioritised gap list."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.campaigns import campaign_scorecard, get_campaign
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.scoring import gap_list

    if campaign is None:
        from econsec.guideline.models import Campaign

        latest = Campaign.objects.order_by("-id").first()
        if latest is None:
            _fail([t("guideline.cli.no_campaign", lang)])
            return
        campaign = latest.pk
    try:
        row = get_campaign(campaign)
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    fw, card = campaign_scorecard(row)
    status = t(f"guideline.web.status.{row.status}", lang)
    table = Table(title=t("guideline.cli.score_title", lang, name=row.name, status=status))
    for key in ("group", "implementation", "maturity", "coverage", "na"):
        table.add_column(t(f"guideline.cli.col.{key}", lang))
    for area in fw.areas:
        s = card.areas[area.id]
        table.add_row(
            area.name.get(lang),
            _pct(s.implementation),
            _num(s.maturity),
            _pct(s.coverage),
            str(s.items_na),
        )
    for p in fw.principles:
        s = card.principles[p.id]
        table.add_row(
            f"{p.id} {p.name.get(lang)}",
            _pct(s.implementation),
            _num(s.maturity),
            _pct(s.coverage),
            str(s.items_na),
        )
    s = card.overall
    table.add_row(
        t("guideline.cli.overall", lang),
        _pct(s.implementation),
        _num(s.maturity),
        _pct(s.coverage),
        str(s.items_na),
    )
    console.print(table)
    gap_table = Table(title=t("guideline.cli.gaps_title", lang))
    for key in ("priority", "id", "name", "maturity", "implementation"):
        gap_table.add_column(
            t(f"guideline.cli.col.{key}", lang), no_wrap=key != "name", overflow="fold"
        )
    for gap in gap_list(fw, card)[:gaps]:
        maturity = str(gap.maturity) if gap.assessed else t("guideline.cli.not_assessed", lang)
        gap_table.add_row(
            str(gap.priority),
            gap.item_id,
            fw.item_index[gap.item_id].name.get(lang),
            maturity,
            _pct(gap.implementation),
        )
    console.print(gap_table)


@assess.command("compare")
def compare_cmd(
    before: Annotated[int, typer.Argument(help="Earlier campaign id")],
    after: Annotated[int, typer.Argument(help="Later campaign id")],
    lang: LangOption = None,
) -> None:
    """What moved between two campaigns on the same framework."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.campaigns import campaign_answers, campaign_scorecard, get_campaign
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.scoring import compare

    try:
        a, b = get_campaign(before), get_campaign(after)
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    if a.framework_id != b.framework_id:
        _fail([t("guideline.cli.different_frameworks", lang)])
    fw, card_a = campaign_scorecard(a)
    _, card_b = campaign_scorecard(b)
    diff = compare(fw, (card_a, campaign_answers(a)[0]), (card_b, campaign_answers(b)[0]))
    table = Table(title=t("guideline.cli.compare_title", lang, a=a.name, b=b.name))
    for key in ("group", "maturity", "implementation"):
        table.add_column(t(f"guideline.cli.col.{key}", lang))
    for area in fw.areas:
        x, y = diff.areas[area.id]
        table.add_row(
            area.name.get(lang),
            f"{_num(x.maturity)} → {_num(y.maturity)}",
            f"{_pct(x.implementation)} → {_pct(y.implementation)}",
        )
    x, y = diff.overall
    table.add_row(
        t("guideline.cli.overall", lang),
        f"{_num(x.maturity)} → {_num(y.maturity)}",
        f"{_pct(x.implementation)} → {_pct(y.implementation)}",
    )
    console.print(table)
    moved = Table(title=t("guideline.cli.moved_title", lang))
    for key in ("id", "name", "direction", "maturity"):
        moved.add_column(
            t(f"guideline.cli.col.{key}", lang), no_wrap=key != "name", overflow="fold"
        )
    for change in diff.moved():
        moved.add_row(
            change.item_id,
            fw.item_index[change.item_id].name.get(lang),
            t(f"guideline.cli.dir.{change.direction}", lang),
            f"{change.maturity_before if change.maturity_before is not None else '-'} → {change.maturity_after if change.maturity_after is not None else '-'}",
        )
    console.print(moved)


@assess.command("migrate")
def migrate_cmd(
    campaign: Annotated[int, typer.Argument(help="Campaign to carry forward")],
    to: Annotated[str, typer.Option("--to", help="New edition as FRAMEWORK@VERSION")],
    mapping: Annotated[
        Path | None,
        typer.Option(help="Edition mapping YAML (default: the bundled one for the two editions)"),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name of the new campaign")] = None,
    date: Annotated[
        str | None, typer.Option(help="Assessment date YYYY-MM-DD (default today)")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who is migrating (for the log)")] = "",
    lang: LangOption = None,
) -> None:
    """Open a campaign on a new framework edition with this campaign's answers carried forward:
    equal answers copied, changed/split/merged ones copied and flagged for review, new questions
    left open, removed ones reported. The old campaign is not changed."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.guideline.campaigns import get_campaign
    from econsec.guideline.editions import load_edition_mapping
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.interchange_errors import ImportProblems
    from econsec.guideline.migration import migrate_campaign, parse_target

    try:
        when = dt.date.fromisoformat(date) if date else None
    except ValueError:
        _fail([t("guideline.cli.bad_date", lang, value=date)])
        return
    try:
        target, version = parse_target(to)
        old = get_campaign(campaign)
        spec = load_edition_mapping(mapping) if mapping is not None else None
        successor, carried = migrate_campaign(
            old,
            target,
            version,
            spec,
            name=name or t("guideline.cli.migrated_name", lang, name=old.name, target=to),
            assessment_date=when,
            actor=actor,
            mapping_source=mapping.name if mapping is not None else "mapping",
        )
    except ImportProblems as exc:
        _fail(exc.messages(lang))
        return
    except GuidelineError as exc:
        _fail([exc.message(lang)])
        return
    console.print(t("guideline.cli.created", lang, id=successor.pk, name=successor.name))
    table = Table(title=t("guideline.cli.migrate_title", lang, source=old.pk, target=to))
    table.add_column(t("guideline.cli.col.what", lang))
    table.add_column(t("guideline.cli.col.count", lang), justify="right")
    table.add_column(t("guideline.cli.col.ids", lang), overflow="fold")
    rows = (
        ("copied", str(carried.copied), ""),
        (
            "review",
            str(len(carried.review_items) + len(carried.review_questions)),
            " ".join([*carried.review_items, *carried.review_questions]),
        ),
        (
            "new",
            str(len(carried.new_items) + len(carried.new_questions)),
            " ".join([*carried.new_items, *carried.new_questions]),
        ),
        (
            "removed",
            str(len(carried.removed)),
            " ".join(f"{d.id}({d.result or d.maturity})" for d in carried.removed),
        ),
    )
    for key, count, ids in rows:
        table.add_row(t(f"guideline.cli.migrate.{key}", lang), count, ids)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(assess, name="assess")
