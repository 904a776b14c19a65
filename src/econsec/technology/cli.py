"""``econsec tech …``: the core-technology register, its leakage exposure, workbook, incidents.

The command line is the operator's tool on the company's own machine: it shows technology
names. The pages, the API and the board report apply need-to-know.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
ActorOption = Annotated[str, typer.Option("--actor", help="Who does it")]

tech_app = typer.Typer(help="Core-technology register / コア技術の登録簿", no_args_is_help=True)


def _open(lang: str | None) -> str:
    from econsec.store import open_store

    open_store()
    return normalise_lang(lang)


def _fail(exc: Exception, lang: str) -> None:
    from econsec.technology.errors import TechnologyError

    if isinstance(exc, TechnologyError):
        err_console.print(exc.message(lang), markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    raise exc


@tech_app.command("list")
def list_cmd(lang: LangOption = None) -> None:
    """Technologies with their tier and the reasons for it."""
    lang = _open(lang)
    from econsec.technology.models import Technology
    from econsec.technology.service import rate, render, tech_name

    techs = list(Technology.objects.all())
    if not techs:
        console.print(t("technology.cli.none", lang))
        return
    table = Table(show_lines=True)
    for key in ("tech", "tier", "reasons"):
        table.add_column(t(f"technology.cli.col.{key}", lang))
    for x in techs:
        r = rate(x)
        table.add_row(f"{x.tech_id}\n{tech_name(x, lang)}", str(r.tier),
                      "\n".join(render(reason, lang) for reason in r.reasons))  # fmt: skip
    console.print(table)


@tech_app.command("exposure")
def exposure_cmd(
    all_cells: Annotated[bool, typer.Option("--all", help="Also low cells")] = False,
    lang: LangOption = None,
) -> None:
    """The technology × route matrix: the cells at medium or above, with their reasons."""
    lang = _open(lang)
    from econsec.technology.exposure import LEVELS
    from econsec.technology.service import compute, route_label, store_run

    matrix = compute()
    run = store_run(matrix)
    floor = 1 if all_cells else 2
    table = Table(title=t("technology.cli.exposure_title", lang), show_lines=True)
    for key in ("tech", "route", "level", "reasons"):
        table.add_column(t(f"technology.cli.col.{key}", lang))
    res, comp = matrix.result, matrix.compiled
    for i, tech_id in enumerate(comp.tech_ids):
        for j, route_id in enumerate(comp.routes.ids):
            level = int(res.level[i, j])
            if level < floor:
                continue
            table.add_row(
                tech_id, route_label(route_id, lang),
                f"{t('technology.level.' + LEVELS[level], lang)} ({res.score[i, j]:.2f})",
                "\n".join(matrix.reasons(tech_id, route_id, lang)),
            )  # fmt: skip
    console.print(table)
    console.print(t("technology.cli.counts", lang, **run.summary["levels"],
                    technologies=len(comp.tech_ids), routes=len(comp.routes.ids),
                    gaps=run.summary["gaps"]))  # fmt: skip
    if comp.unresolved:
        console.print(t("technology.cli.unresolved", lang, refs=", ".join(comp.unresolved)))


@tech_app.command("routes")
def routes_cmd(lang: LangOption = None) -> None:
    """The leakage routes econsec rates against (reference data)."""
    lang = normalise_lang(lang)
    from econsec.technology.routes import load_routes

    table = Table(title=t("technology.cli.routes_title", lang))
    for column in ("id", t("technology.cli.col.route", lang), "source"):
        table.add_column(column)
    for r in load_routes():
        table.add_row(r.id, r.label(lang), r.source[lang])
    console.print(table)


@tech_app.command("indispensability")
def indispensability_cmd(lang: LangOption = None) -> None:
    """Items we sell: how much others depend on them, why, and where it is eroding."""
    lang = _open(lang)
    from econsec.technology.indispensable import scores
    from econsec.technology.service import render

    table = Table(title=t("technology.cli.indispensability_title", lang), show_lines=True)
    for key in ("item", "score", "reasons"):
        table.add_column(t(f"technology.cli.col.{key}", lang))
    for item_id, result in scores():
        flag = f" ({t('technology.cli.eroding', lang)})" if result.eroding else ""
        table.add_row(item_id, f"{result.score:.1f}{flag}",
                      "\n".join(render(r, lang) for r in result.reasons))  # fmt: skip
    console.print(table)


@tech_app.command("export")
def export_cmd(path: Path, lang: LangOption = None) -> None:
    """Write the register as a seven-sheet workbook."""
    lang = _open(lang)
    from econsec.technology.workbook import export

    counts = export(path, lang)
    console.print(t("technology.cli.exported", lang, path=str(path), counts=counts), markup=False)


@tech_app.command("import")
def import_cmd(path: Path, actor: ActorOption = "", lang: LangOption = None) -> None:
    """Check and import the workbook, all-or-nothing (any problem: nothing is written)."""
    lang = _open(lang)
    from econsec.sheet_problems import ImportProblems
    from econsec.technology.workbook import import_workbook

    try:
        counts = import_workbook(path, actor=actor)
    except ImportProblems as exc:
        for problem in exc.problems:
            err_console.print(problem.message(lang), markup=False, soft_wrap=True)
        err_console.print(t("technology.cli.nothing_written", lang, count=len(exc.problems)))
        raise typer.Exit(1) from exc
    console.print(t("technology.cli.imported", lang, counts=counts), markup=False)


@tech_app.command("incident")
def incident_cmd(
    code: str,
    title: Annotated[str, typer.Option()] = "",
    tech: Annotated[list[str] | None, typer.Option(help="Technology id (repeat)")] = None,
    route: Annotated[list[str] | None, typer.Option(help="Route id (repeat)")] = None,
    status: Annotated[str, typer.Option(help="Move an incident on to this status")] = "",
    note: Annotated[str, typer.Option()] = "",
    detected: Annotated[str, typer.Option(help="YYYY-MM-DD")] = "",
    evidence: Annotated[
        list[Path] | None, typer.Option(help="Evidence file to keep by its hash (repeat)")
    ] = None,
    actor: ActorOption = "",
    lang: LangOption = None,
) -> None:
    """Record a suspected leak (with --title), move one on (--status), add evidence files."""
    lang = _open(lang)
    from econsec.technology.errors import TechnologyError
    from econsec.technology.models import Incident
    from econsec.technology.service import add_evidence, advance, open_incident

    try:
        if evidence:
            found = Incident.objects.filter(code=code).first()
            if found is None:
                raise TechnologyError("technology.incident.not_found", code=code)
            for path in evidence:
                with path.open("rb") as stream:
                    row = add_evidence(found, path.name, stream, actor=actor)
                console.print(t("technology.cli.evidence", lang, name=row.name, sha=row.sha256))
            if not status:
                return
        if status:
            incident = Incident.objects.filter(code=code).first()
            if incident is None:
                raise TechnologyError("technology.incident.not_found", code=code)
            advance(incident, status, actor=actor, note=note)
            console.print(t("technology.cli.incident_moved", lang, code=code,
                            status=t(f"technology.incident.status.{status}", lang)))  # fmt: skip
            return
        day = dt.date.fromisoformat(detected) if detected else dt.date.today()
        open_incident(code, title, day, tech or [], route or [], actor=actor, description=note)
        console.print(t("technology.cli.incident_opened", lang, code=code))
    except TechnologyError as exc:
        _fail(exc, lang)


@tech_app.command("grant")
def grant_cmd(
    user: str,
    revoke: Annotated[bool, typer.Option("--revoke")] = False,
    actor: ActorOption = "",
    lang: LangOption = None,
) -> None:
    """Give a user need-to-know for technology records (or take it away)."""
    lang = _open(lang)
    from econsec.technology.errors import TechnologyError
    from econsec.technology.service import grant

    try:
        grant(user, allow=not revoke, actor=actor)
    except TechnologyError as exc:
        _fail(exc, lang)
    console.print(t("technology.cli.revoked" if revoke else "technology.cli.granted", lang,
                    user=user))  # fmt: skip


@tech_app.command("cite")
def cite_cmd(
    campaign: Annotated[int, typer.Argument(help="Assessment campaign id")],
    item: Annotated[str, typer.Option(help="Framework item, e.g. IND-A")] = "IND-A",
    actor: ActorOption = "",
    lang: LangOption = None,
) -> None:
    """Cite the current exposure matrix as evidence for an assessment item."""
    lang = _open(lang)
    from econsec.technology.ties import cite_exposure

    run = cite_exposure(campaign, item, actor=actor)
    console.print(t("technology.cli.cited", lang, campaign=campaign, item=item, run=run.pk))


@tech_app.command("link-risk")
def link_risk_cmd(tech_id: str, risk: str, lang: LangOption = None) -> None:
    """Link a governance risk (by code) to a technology."""
    lang = _open(lang)
    from econsec.technology.errors import TechnologyError
    from econsec.technology.ties import link_risk

    try:
        link_risk(tech_id, risk)
    except TechnologyError as exc:
        _fail(exc, lang)
    console.print(t("technology.cli.linked", lang, risk=risk))


@tech_app.command("fact")
def fact_cmd(
    action: Annotated[str, typer.Argument(help="add, change or remove")],
    kind: Annotated[
        str, typer.Argument(help="holding, access, partner, control, market_share or customer")
    ],
    fields: Annotated[
        list[str] | None, typer.Argument(help="field=value, by the workbook's column keys")
    ] = None,
    tech: Annotated[str, typer.Option(help="Technology id (not for market_share, customer)")] = "",
    fact_id: Annotated[int, typer.Option("--id", help="The fact to change or remove")] = 0,
    actor: ActorOption = "",
    lang: LangOption = None,
) -> None:
    """One fact at a time: where a technology is held, a group or partner with access, its own
    control; an item's market share or customer. Checked as the workbook import checks it."""
    lang = _open(lang)
    from econsec.technology import facts
    from econsec.technology.errors import TechnologyError
    from econsec.technology.models import Technology

    try:
        found = facts.kind_of(kind)
        owner = None
        if found.per_technology:
            owner = Technology.objects.filter(tech_id=tech).first()
            if owner is None:
                raise TechnologyError("technology.unknown_tech", tech=tech)
        form: dict[str, str] = {}
        for pair in fields or []:
            name, sep, value = pair.partition("=")
            if not sep:
                raise TechnologyError("technology.cli.fact_pair", pair=pair)
            form[name.strip()] = value
        known = {c.key for c in found.columns}
        for name in form:
            if name not in known:
                raise TechnologyError("technology.api.unknown_field", field=name)
        if action == "add":
            fact_id = facts.add(owner, found, form, actor=actor).pk
        elif action == "change":
            facts.change(owner, found, fact_id, form, actor=actor)
        elif action == "remove":
            facts.remove(owner, found, fact_id, actor=actor)
        else:
            raise TechnologyError("technology.cli.fact_action", action=action)
    except facts.FactProblems as exc:
        for line in exc.messages(lang):
            err_console.print(line, markup=False, soft_wrap=True)
        err_console.print(t("technology.facts.nothing_written", lang, count=len(exc.problems)))
        raise typer.Exit(1) from exc
    except TechnologyError as exc:
        _fail(exc, lang)
    console.print(t(f"technology.cli.fact_{action}", lang, kind=kind, id=fact_id))


def register(app: typer.Typer) -> None:
    from econsec.technology.cli_countries import countries_app

    if not any(g.name == "countries" for g in tech_app.registered_groups):
        tech_app.add_typer(countries_app, name="countries")
    app.add_typer(tech_app, name="tech")
