"""`econsec stress run SCENARIO.yaml` and `econsec stress sweep` (progress bar with ETA)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
stress_app = typer.Typer(
    help="Stress tests: TTS/TTR, scenario sweeps / ストレステスト", no_args_is_help=True
)

LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
OutOption = Annotated[
    list[Path] | None,
    typer.Option("--out", help="Write results to .json, .csv or .xlsx (repeatable)"),
]


def _chain(lang: str) -> Any:
    from econsec.store import open_store

    open_store()
    try:
        from econsec.valuechain.store_io import compile_store

        return compile_store()
    except Exception as exc:  # the stored data could not be compiled: say so, do not crash
        err_console.print(t("stress.cli.no_chain", lang, problem=str(exc)))
        raise typer.Exit(1) from exc


def _tts_text(tts: float | None, applies: bool) -> str:
    """∞ for unlimited, a dash where no demand is served in normal times (TTS does not apply)."""
    if not applies:
        return "—"
    return "∞" if tts is None else f"{tts:.1f}"


def _check_outputs(out: list[Path] | None, lang: str) -> None:
    """Refuse an --out path that could not be written before any solving starts."""
    from econsec.stress.errors import StressError
    from econsec.stress.results import check_export_path

    for path in out or []:
        try:
            check_export_path(path)
        except StressError as exc:
            err_console.print(exc.message(lang))
            raise typer.Exit(2) from exc


def _finish(
    payload: dict[str, Any], scenario: Any, out: list[Path] | None, store: bool, lang: str
) -> None:
    from econsec.stress.results import export

    for path in out or []:
        export(payload, path, lang)
        console.print(t("stress.cli.saved", lang, path=str(path)))
    if store:
        from econsec.stress.store import save_result

        record = save_result(payload, scenario)
        console.print(t("stress.cli.stored", lang, id=record.pk))


@stress_app.command("run")
def run(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario YAML")],
    lang: LangOption = None,
    out: OutOption = None,
    store: Annotated[bool, typer.Option(help="Store the result in the database")] = True,
) -> None:
    """Run one scenario: TTS, TTR, lost sales per product and market, and why."""
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.errors import StressError
    from econsec.stress.results import render

    lang = normalise_lang(lang)
    _check_outputs(out, lang)
    if not scenario_file.exists():
        err_console.print(t("stress.scenario.not_found", lang, path=str(scenario_file)))
        raise typer.Exit(1)
    try:
        scenario = load_scenario(str(scenario_file))
        chain = _chain(lang)
        payload = run_scenario(chain, scenario)
    except StressError as exc:
        err_console.print(exc.message(lang))
        raise typer.Exit(1) from exc
    table = Table(title=scenario.name(lang))
    for key in (
        "stress.col.product",
        "stress.col.tts",
        "stress.col.lost_units",
        "stress.col.lost_margin",
    ):
        table.add_column(t(key, lang))
    for p in payload["products"]:
        tts = _tts_text(p["tts_weeks"], p.get("tts_applies", True))
        table.add_row(p["item"], tts, f"{p['lost_units']:,.0f}", f"{p['lost_margin']:,.0f}")
    console.print(table)
    for line in render(payload["explanations"], lang):
        console.print(line)
    for line in render(payload["notes"], lang):
        err_console.print(line)
    _finish(payload, scenario, out, store, lang)


@stress_app.command("sweep")
def sweep_cmd(
    by: Annotated[str, typer.Option("--by", help="site, org or country")] = "site",
    executor: Annotated[
        str, typer.Option("--executor", help="local or dask://HOST:PORT")
    ] = "local",
    workers: Annotated[int | None, typer.Option(help="Local worker processes")] = None,
    default_ttr: Annotated[
        float | None, typer.Option(help="TTR (weeks) for sites without one")
    ] = None,
    top: Annotated[int, typer.Option(help="Rows to show")] = 20,
    lang: LangOption = None,
    out: OutOption = None,
    store: Annotated[bool, typer.Option(help="Store the result in the database")] = True,
) -> None:
    """Disrupt every site (org, country) alone for its recovery time; rank by REI."""
    from econsec.stress.errors import StressError
    from econsec.stress.sweep import BY, check_default_ttr, local_executor, sweep

    lang = normalise_lang(lang)
    if by not in BY:
        err_console.print(t("stress.cli.bad_by", lang, value=by))
        raise typer.Exit(2)
    try:
        check_default_ttr(default_ttr)
    except StressError as exc:
        err_console.print(exc.message(lang))
        raise typer.Exit(2) from exc
    _check_outputs(out, lang)
    if executor != "local" and not executor.startswith("dask://"):
        err_console.print(t("stress.cli.bad_executor", lang, value=executor))
        raise typer.Exit(2)
    chain = _chain(lang)
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(t("stress.cli.progress", lang), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            if executor == "local":
                with local_executor(chain, workers) as pool:
                    payload = sweep(
                        chain, by, executor=pool, default_ttr_weeks=default_ttr, progress=progress
                    )
            else:
                from dask.distributed import Client

                with Client(executor.removeprefix("dask://")) as client:  # type: ignore[no-untyped-call]
                    payload = sweep(
                        chain,
                        by,
                        dask_client=client,
                        default_ttr_weeks=default_ttr,
                        progress=progress,
                    )
        except StressError as exc:
            err_console.print(exc.message(lang))
            raise typer.Exit(1) from exc
    table = Table()
    for key in (
        "stress.col.entity",
        "stress.col.ttr",
        "stress.col.tts",
        "stress.col.lost_margin",
        "stress.col.rei",
    ):
        table.add_column(t(key, lang))
    for r in payload["rows"][:top]:
        tts = _tts_text(r["tts_weeks"], r.get("tts_applies", True))
        table.add_row(
            r["id"], f"{r['ttr_weeks']:g}", tts, f"{r['lost_margin']:,.0f}", f"{r['rei']:.3f}"
        )
    console.print(table)
    for site in payload["skipped"][:10]:
        err_console.print(t("stress.sweep.no_ttr", lang, site=site))
    _finish(payload, None, out, store, lang)


def register(app: typer.Typer) -> None:
    app.add_typer(stress_app, name="stress")
