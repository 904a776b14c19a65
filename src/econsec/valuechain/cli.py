"""Value-chain commands: template, validate, import, export, info, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from econsec.i18n import normalise_lang, t
from econsec.valuechain.intake.issues import Issue

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[
    str | None, typer.Option("--lang", help="ja or en (default: from the locale)")
]
EXIT_INPUT_ERRORS = 1
MAX_SHOWN = 200


def _examples_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "examples"


def _show_issues(issues: list[Issue], lang: str, limit: int = MAX_SHOWN) -> None:
    if not issues:
        return
    table = Table(title=t("valuechain.cli.issues_title", lang, count=len(issues)), show_lines=False)
    for heading in ("severity", "sheet", "row", "column", "value", "message"):
        table.add_column(t(f"valuechain.cli.col.{heading}", lang), overflow="fold")
    for issue in issues[:limit]:
        table.add_row(
            t(f"valuechain.severity.{issue.severity}", lang),
            issue.sheet or "",
            "" if issue.row is None else str(issue.row),
            issue.column or "",
            "" if issue.value is None else str(issue.value)[:40],
            issue.message(lang),
        )
    err_console.print(table)
    if len(issues) > limit:
        err_console.print(t("valuechain.cli.more_issues", lang, count=len(issues) - limit))


def _write_report(issues: list[Issue], lang: str, path: Path) -> None:
    from econsec.tabular import write_csv

    fields = ["severity", "code", "sheet", "row", "column", "value", "message"]
    rows = ([issue.as_dict(lang)[f] for f in fields] for issue in issues)
    write_csv(path, fields, rows)


def template(
    out: Annotated[Path, typer.Argument(help="Where to write the empty workbook (.xlsx)")],
    lang: LangOption = None,
) -> None:
    """Write an empty value-chain workbook with instructions (ja/en) and validation."""
    from econsec.valuechain.workbook import write_template

    write_template(out)
    console.print(t("valuechain.cli.template_written", normalise_lang(lang), path=str(out)))


def validate(
    source: Annotated[Path, typer.Argument(help="Workbook (.xlsx) or folder of CSV files")],
    lang: LangOption = None,
    report: Annotated[Path | None, typer.Option(help="Also write every issue to this CSV")] = None,
) -> None:
    """Check a workbook or CSV folder without writing anything."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.valuechain.intake.apply import validate_path

    validation = validate_path(source)
    _show_issues(validation.issues, lang)
    if report:
        _write_report(validation.issues, lang, report)
    if not validation.ok:
        err_console.print(t("valuechain.cli.invalid", lang, errors=len(validation.errors)))
        raise typer.Exit(EXIT_INPUT_ERRORS)
    console.print(t("valuechain.cli.valid", lang, warnings=len(validation.warnings)))


def import_(
    source: Annotated[Path, typer.Argument(help="Workbook (.xlsx) or folder of CSV files")],
    lang: LangOption = None,
    report: Annotated[Path | None, typer.Option(help="Also write every issue to this CSV")] = None,
) -> None:
    """Validate and import, all-or-nothing: a file with any error writes nothing."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.valuechain.intake.apply import import_path

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(t("valuechain.cli.importing", lang), total=None)
        outcome = import_path(
            source, progress=lambda sheet, done: bar.update(task, description=f"{sheet}: {done}")
        )
    _show_issues(outcome.validation.issues, lang)
    if report:
        _write_report(outcome.validation.issues, lang, report)
    if outcome.run is None:
        err_console.print(
            t("valuechain.cli.not_imported", lang, errors=len(outcome.validation.errors))
        )
        raise typer.Exit(EXIT_INPUT_ERRORS)
    run = outcome.run
    console.print(
        t(
            "valuechain.cli.imported",
            lang,
            created=run.created,
            updated=run.updated,
            deleted=run.deleted,
            unchanged=run.unchanged,
            version=run.data_version[:12],
        )
    )


def export(
    out: Annotated[Path, typer.Argument(help="Workbook (.xlsx) or a folder for CSV files")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv")] = "xlsx",
    lang: LangOption = None,
) -> None:
    """Write the stored value chain in the workbook format (re-importable)."""
    from econsec.store import open_store
    from econsec.valuechain.workbook import write_csv_folder, write_workbook

    lang = normalise_lang(lang)
    if fmt not in ("xlsx", "csv"):
        err_console.print(t("valuechain.cli.bad_format", lang, value=fmt))
        raise typer.Exit(2)
    open_store()
    from econsec.valuechain.store_io import read_tables

    tables = read_tables()
    if fmt == "csv":
        write_csv_folder(tables, out)
    else:
        write_workbook(tables, out)
    console.print(t("valuechain.cli.exported", lang, path=str(out)))


def info(lang: LangOption = None) -> None:
    """Summarise the stored value chain: counts, countries, tiers, data version."""
    from econsec.store import database_label, open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.valuechain.summary import summarise

    summary = summarise(lang)
    console.print(t("valuechain.cli.database", lang, label=database_label()))
    for line in summary:
        console.print(line)
    from econsec.registry import info_lines

    for line in info_lines("info", lang):  # what other capabilities add (registry)
        console.print(line)


def load_demo(lang: str) -> None:
    """Load the demo company into the store unless it holds a value chain, then show it."""
    from econsec.valuechain.intake.apply import import_path
    from econsec.valuechain.store_io import current_version

    workbook = _examples_dir() / "demo-company.xlsx"
    if not current_version():
        console.print(t("valuechain.cli.loading_demo", lang, path=workbook.name))
        outcome = import_path(workbook)
        if outcome.run is None:
            _show_issues(outcome.validation.issues, lang)
            raise typer.Exit(EXIT_INPUT_ERRORS)
    info(lang)


def register(app: typer.Typer) -> None:
    app.command()(template)
    app.command()(validate)
    app.command("import")(import_)
    app.command()(export)
    app.command()(info)
