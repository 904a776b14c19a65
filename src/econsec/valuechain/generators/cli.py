"""The ``econsec generate`` command: write a synthetic value chain of any size."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
EXIT_USAGE = 2
_STAGES = ("sites", "items", "bom", "volumes", "rows", "done")


def generate(
    out: Annotated[Path, typer.Option("--out", help="Workbook (.xlsx) or folder for CSV files")],
    sites: Annotated[int, typer.Option(help="Supplier sites (own plants come on top)")] = 200,
    parts: Annotated[int, typer.Option(help="Part types other than products")] = 2000,
    tiers: Annotated[int, typer.Option(help="Supplier tiers")] = 4,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same network")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv")] = "xlsx",
    lang: Annotated[str | None, typer.Option("--lang", help="ja or en")] = None,
) -> None:
    """Write a synthetic value chain of any size / 任意規模の合成バリューチェーンを生成。

    Ford scale: --sites 4400 --parts 55000 --tiers 10.
    """
    from econsec.valuechain.generators.synthetic import generate_network
    from econsec.valuechain.workbook import write_csv_folder, write_workbook

    lang = normalise_lang(lang)
    if fmt not in ("xlsx", "csv"):
        err_console.print(t("valuechain.cli.bad_format", lang, value=fmt))
        raise typer.Exit(EXIT_USAGE)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(t("valuechain.generate.stage.sites", lang), total=len(_STAGES))

        def stage(name: str) -> None:
            bar.update(
                task,
                completed=_STAGES.index(name),
                description=t(f"valuechain.generate.stage.{name}", lang),
            )

        try:
            tables = generate_network(sites, parts, tiers, seed, progress=stage)
        except ValueError as exc:
            err_console.print(_bad_size(lang, sites, parts, tiers))
            raise typer.Exit(EXIT_USAGE) from exc
        bar.update(task, completed=len(_STAGES))
        rows = sum(len(r) for r in tables.values())
        writing = bar.add_task(t("valuechain.generate.stage.writing", lang), total=rows)
        if fmt == "csv":
            write_csv_folder(tables, out)
        else:
            write_workbook(tables, out, progress=lambda n: bar.advance(writing, n))
        bar.update(writing, completed=rows)
    console.print(
        t(
            "valuechain.generate.written",
            lang,
            path=out,
            sites=sites,
            items=len(tables["items"]),
            bom=len(tables["bom"]),
            links=len(tables["supply_links"]),
        )
    )


def _bad_size(lang: str, sites: int, parts: int, tiers: int) -> str:
    return t("valuechain.generate.bad_size", lang, sites=sites, parts=parts, tiers=tiers)


def register(app: typer.Typer) -> None:
    """Add ``generate`` to the econsec command line."""
    app.command()(generate)
