"""`econsec exposure`: autonomy analytics on the stored value chain."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from econsec import tabular
from econsec.exposure.analyse import Options, analyse
from econsec.exposure.export import SECTIONS, section_rows
from econsec.exposure.problems import ExposureError
from econsec.exposure.results import ExposureReport
from econsec.i18n import normalise_lang, t
from econsec.valuechain.compiled import CompiledChain

FORMATS = ("table", "csv", "xlsx", "json")
_TABLE_TOP = 15


def _groups(ids: list[str], lang: str) -> dict[str, frozenset[str]]:
    from econsec.reference.groups import load_groups

    known = load_groups()
    out: dict[str, frozenset[str]] = {}
    for gid in ids:
        group = known.get(gid)
        if group is None:
            raise typer.BadParameter(t("exposure.cli.unknown_group", lang, group=gid))
        from datetime import date

        out[gid] = group.members_on(date.today())
    return out


def _stored_version() -> str:
    from econsec.store import open_store

    open_store()  # before importing anything that defines models: it configures Django
    from econsec.valuechain.store_io import current_version

    return current_version()


def _stored_chain() -> CompiledChain:
    from econsec.valuechain.store_io import compile_store

    return compile_store()


def run(
    chain: CompiledChain,
    *,
    fmt: str,
    out: Path | None,
    lang: str,
    options: Options,
    console: Console,
    section: str = "products",
) -> ExposureReport:
    """Analyse ``chain`` and write the report in ``fmt`` (table to the console by default)."""
    report = analyse(chain, options)
    render(report, fmt=fmt, out=out, lang=lang, console=console, section=section)
    return report


def render(
    report: ExposureReport,
    *,
    fmt: str,
    out: Path | None,
    lang: str,
    console: Console,
    section: str = "products",
) -> None:
    """Write ``report`` in ``fmt`` to ``out`` (table to the console by default)."""
    if fmt == "json":
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=1)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            out.write_text(text, encoding="utf-8")
    elif fmt == "csv":
        head, rows = section_rows(report, section, lang)
        if out is not None:
            tabular.write_csv(out, head, rows)
        else:
            writer = tabular.csv_writer(sys.stdout)
            writer.writerow(head)
            writer.writerows(rows)
    elif fmt == "xlsx":
        if out is None:
            raise typer.BadParameter(t("exposure.cli.needs_out", lang, format=fmt))
        out.write_bytes(
            tabular.write_xlsx((name, *section_rows(report, name, lang)) for name in SECTIONS)
        )
    else:
        for name in ("products", "losses", "suppliers", "warnings"):
            head, rows = section_rows(report, name, lang, top=_TABLE_TOP)
            if not rows:
                continue
            table = Table(title=t(f"exposure.table.{name}", lang), show_lines=name == "products")
            for heading in head:
                table.add_column(heading, overflow="fold")
            for row in rows[: _TABLE_TOP * 3]:
                table.add_row(*(str(v) for v in row))
            console.print(table)
        _time_ranked(report, lang, console)
        _registered_lines(lang, console)
    if out is not None:
        Console(stderr=True).print(t("exposure.cli.written", lang, path=out))


def _stored_site_sweep(version: str) -> list[dict[str, Any]]:
    """The rows of the latest stored site sweep of ``version`` (none when not swept)."""
    from django.apps import apps

    # ``exposure --demo`` analyses without a store (Django unconfigured, or no database access
    # at all): then there is simply no sweep, whatever the reason the lookup fails.
    try:
        result = apps.get_model("stress", "Result")
        row = (
            result.objects.filter(kind="sweep", sweep_by="site", data_version=version)
            .order_by("-created_at", "-id")
            .first()
        )
    except Exception:
        return []
    return list((row.payload or {}).get("rows") or []) if row is not None else []


def _time_ranked(report: Any, lang: str, console: Console) -> None:
    """Single points of failure ranked by cover against recovery (exposure/ranking.py)."""
    from econsec.exposure.ranking import rank_losses

    ranked = rank_losses(
        report.losses.get("site", []), _stored_site_sweep(report.data_version), report.currency
    )
    if not ranked:
        return
    table = Table(title=t("exposure.table.spof_time", lang), show_lines=True)
    for key in ("element", "name", "products", "cover_recovery", "value_at_risk", "why"):
        table.add_column(t(f"exposure.col.rank_{key}", lang), overflow="fold")
    for r in ranked[:_TABLE_TOP]:
        cover = "" if not r.swept else f"{_weeks(r.tts_weeks)} / {_weeks(r.ttr_weeks)}"
        value = "" if r.value_at_risk is None else f"{r.value_at_risk:,.0f}"
        why = " / ".join(x.text(lang) for x in r.reasons)
        table.add_row(r.loss.element_id, r.loss.name, str(len(r.loss.products)), cover, value, why)
    console.print(table)


def _registered_lines(lang: str, console: Console) -> None:
    """Lines other capabilities add to the table (registry.register_info_lines)."""
    from econsec.registry import info_lines

    for line in info_lines("exposure", lang):
        console.print(line)


def _weeks(x: float | None) -> str:
    return "∞" if x is None else f"{x:.1f}"


def register(app: typer.Typer) -> None:
    """Add the `exposure` command to the econsec CLI."""

    @app.command(
        "exposure", help=t("exposure.cli.help", "en") + " / " + t("exposure.cli.help", "ja")
    )
    def exposure(
        fmt: Annotated[str, typer.Option("--format", help="table, csv, xlsx or json")] = "table",
        out: Annotated[Path | None, typer.Option("--out", help="output file")] = None,
        section: Annotated[
            str, typer.Option("--section", help="csv: " + ", ".join(SECTIONS))
        ] = "products",
        group: Annotated[
            list[str] | None, typer.Option("--group", help="country group id (repeatable)")
        ] = None,
        concern_group: Annotated[
            str | None, typer.Option("--concern-group", help="group whose share costs points")
        ] = None,
        demo: Annotated[
            bool, typer.Option("--demo", help="analyse the built-in demo company, not the store")
        ] = False,
        store: Annotated[
            bool, typer.Option("--store/--no-store", help="keep the results with the data version")
        ] = True,
        recompute: Annotated[
            bool,
            typer.Option(
                "--recompute", help="analyse again even when results for this data are stored"
            ),
        ] = False,
        lang: Annotated[str | None, typer.Option("--lang", help="ja or en")] = None,
    ) -> None:
        language = normalise_lang(lang)
        err = Console(stderr=True)
        if fmt not in FORMATS:
            err.print(t("exposure.cli.bad_format", language, value=fmt))
            raise typer.Exit(2)
        if section not in SECTIONS:
            raise typer.BadParameter(section)
        ids = list(group or [])
        if concern_group and concern_group not in ids:
            ids.append(concern_group)
        options = Options(groups=_groups(ids, language), concern_group=concern_group)
        console = Console(width=None if sys.stdout.isatty() else 200)
        stored_options: dict[str, object] = {"groups": sorted(ids), "concern": concern_group}
        if demo:
            from econsec.valuechain.compile import compile_tables
            from econsec.valuechain.generators.demo import demo_company

            chain = compile_tables(demo_company())
        else:
            try:
                version = _stored_version()
            except Exception as exc:  # the store may be unreachable
                err.print(t("exposure.cli.no_store", language, reason=exc))
                raise typer.Exit(1) from None
            if not version:
                err.print(t("exposure.cli.empty_store", language))
                raise typer.Exit(1)
            if not recompute:
                from econsec.exposure.store import load_report

                # Results depend only on the data version, the options and the econsec
                # version, all in the key: reading them back is exact and skips the analysis.
                kept = load_report(version, stored_options)
                if kept is not None:
                    render(kept, fmt=fmt, out=out, lang=language, console=console, section=section)
                    err.print(t("exposure.cli.reused", language, version=version[:12]))
                    return
            try:
                chain = _stored_chain()
            except Exception as exc:  # compile may fail on data the intake let through
                err.print(t("exposure.cli.no_store", language, reason=exc))
                raise typer.Exit(1) from None
        try:
            report = run(
                chain,
                fmt=fmt,
                out=out,
                lang=language,
                options=options,
                console=console,
                section=section,
            )
        except ExposureError as exc:
            err.print(exc.message(language))
            raise typer.Exit(1) from None
        if store and not demo:
            from econsec.exposure.store import save_report

            save_report(report, stored_options)
            err.print(t("exposure.cli.stored", language, version=report.data_version[:12]))
