"""``econsec report``: write the board report (HTML, PDF or xlsx, in ja or en) from the stored
results, the same report the web page's job builds."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from econsec.i18n import normalise_lang, t
from econsec.valuechain.cli import LangOption

console = Console()
err_console = Console(stderr=True)


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


def report(
    out: Annotated[Path, typer.Option("--out", help="File to write / 出力先ファイル")],
    report_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="html, pdf or xlsx (default: from --out's suffix)"),
    ] = None,
    recompute: Annotated[
        bool, typer.Option(help="Recompute the exposure analysis first / 依存分析を再計算")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write the board report / 取締役会報告を出力する"""
    from econsec.jobs import JobFailed
    from econsec.reports.gather import build_board_report
    from econsec.reports.store import keep, previous_report
    from econsec.store import open_store

    lang = normalise_lang(lang)
    chosen = report_format.value if report_format else out.suffix.lower().lstrip(".")
    if chosen not in {f.value for f in ReportFormat}:
        err_console.print(t("reports.cli.bad_format", lang, value=out.suffix or str(out)))
        raise typer.Exit(2)
    open_store()
    try:
        # Compared with the last stored report (from here or the web), then stored itself.
        board = build_board_report(recompute=recompute, previous=previous_report())
    except JobFailed as exc:
        err_console.print(t(exc.key, lang, **exc.params))
        raise typer.Exit(1) from exc
    data = render(board, chosen, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    keep(board, "cli")
    console.print(t("reports.cli.written", lang, path=str(out), size=f"{len(data):,}"))


def render(board: object, fmt: str, lang: str) -> bytes:
    """The report in ``fmt`` (html, pdf, xlsx) and ``lang`` as bytes."""
    from econsec.reports.model import BoardReport

    assert isinstance(board, BoardReport)
    if fmt == "pdf":
        from econsec.reports.pdf import board_pdf

        return board_pdf(board, lang)
    if fmt == "xlsx":
        from econsec.reports.xlsx import board_workbook

        return board_workbook(board, lang)
    from econsec.reports.html import board_html

    return board_html(board, lang).encode("utf-8")


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)
