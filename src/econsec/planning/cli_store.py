"""`econsec plan measures import|export|list|check` and `econsec plan report`: the stored
catalogue and the board section written on its own (docs/decisions/0103)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]


class _CheckByDefault(TyperGroup):
    """``plan measures FILE`` (the earlier form) still checks a measures YAML file."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["check", *args]
        return super().resolve_command(ctx, args)


measures_app = typer.Typer(
    cls=_CheckByDefault,
    help="The measures catalogue: import, export, list, check / 対策カタログ",
    no_args_is_help=True,
)


def _chain(lang: str) -> Any:
    from econsec.stress.cli import _chain as stored_chain

    return stored_chain(lang)


@measures_app.command("import")
def import_cmd(
    workbook: Annotated[Path, typer.Argument(help="Workbook with a 対策/measures sheet")],
    lang: LangOption = None,
) -> None:
    """Import the measures sheet and the likelihood sheet (either or both), all-or-nothing,
    checked against the stored value chain."""
    from econsec.planning.sheet import SheetProblems, read_workbook

    lang = normalise_lang(lang)
    chain = _chain(lang)  # opens the store before the models are imported
    from econsec.planning.store import example_risks, latest_risks, save_workbook

    try:
        measures, packed = read_workbook(workbook, chain, latest_risks() or example_risks())
    except SheetProblems as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(1) from exc
    count, risks = save_workbook(measures, packed, actor="cli")
    console.print(t("planning.sheet.imported", lang, count=count))
    if risks:
        console.print(t("planning.sheet.imported_risks", lang))


@measures_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx)")],
    lang: LangOption = None,
) -> None:
    """Write the stored catalogue as a measures sheet (re-importable)."""
    from econsec.planning.sheet import export
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.planning.models import Measure

    count = export(out, [m.spec() for m in Measure.objects.all()], lang)
    console.print(t("planning.sheet.exported", lang, count=count, path=str(out)))


@measures_app.command("list")
def list_cmd(lang: LangOption = None) -> None:
    """The stored catalogue with each measure's annualised cost on the stored chain."""
    from econsec.planning.errors import PlanningError
    from econsec.planning.measures import CostParameters, resolve_costs

    lang = normalise_lang(lang)
    chain = _chain(lang)
    from econsec.planning.store import catalogue

    params = CostParameters()
    table = Table(title=t("planning.cli.catalogue", lang))
    for key in ("planning.col.id", "planning.col.kind", "planning.col.target", "planning.col.cost"):
        table.add_column(t(key, lang))
    rows = catalogue()
    for m in rows:
        target = "/".join(x for x in (m.supplier_site, m.site, m.item, m.chokepoint) if x)
        try:
            cost = f"{resolve_costs(chain, m, params).annualised(params):,.0f}"
        except PlanningError as exc:
            cost = exc.message(lang)
        table.add_row(m.id, m.kind, target, cost)
    console.print(table)
    if not rows:
        console.print(t("planning.cli.no_measures", lang))


def report_cmd(
    out: Annotated[list[Path], typer.Option("--out", help="HTML, PDF or xlsx file(s) to write")],
    run: Annotated[
        int | None, typer.Option(help="Stored optimisation run (default: latest)")
    ] = None,
    lang: LangOption = None,
) -> None:
    """The section 「経済安全保障対策への投資」 on its own, from a stored optimisation run."""
    from econsec.planning.errors import PlanningError
    from econsec.planning.report import write_standalone
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    try:
        written = write_standalone(out, lang, run)
    except PlanningError as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(1) from exc
    for path in written:
        console.print(t("planning.report.written", lang, path=str(path)))


def cite_cmd(
    campaign: Annotated[int, typer.Argument(help="Assessment campaign id")],
    item: Annotated[str, typer.Option(help="Principle-2 item, e.g. GOV-B")] = "GOV-B",
    run: Annotated[int | None, typer.Option(help="Stored run (default: latest)")] = None,
    lang: LangOption = None,
) -> None:
    """Cite a stored run as evidence for a principle-2 item of a self-assessment."""
    from econsec.planning.errors import PlanningError
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.planning.ties import cite_run

    try:
        evidence = cite_run(campaign, item, run, actor="cli")
    except PlanningError as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(1) from exc
    console.print(t("planning.cite.done", lang, item=item, ref=evidence.ref_id,
                    version=evidence.data_version[:12]))  # fmt: skip
