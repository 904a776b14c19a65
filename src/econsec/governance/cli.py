"""``econsec audit verify | anchor | log`` (and the risk register's ``econsec risk …``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
EXIT_INPUT_ERRORS = 1

audit_app = typer.Typer(
    help="Tamper-evident audit trail / 改ざん検知可能な監査証跡", no_args_is_help=True
)


@audit_app.command("verify")
def verify_cmd(
    anchor_file: Annotated[
        Path | None, typer.Option("--anchor", help="Also check a head written by `audit anchor`")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Check the whole hash chain; exit 1 naming the first broken record."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.chain import read_anchor, verify

    anchor = None
    if anchor_file is not None:
        try:
            anchor = read_anchor(anchor_file)
        except (OSError, ValueError, json.JSONDecodeError) as exc:
            err_console.print(t("governance.audit.bad_anchor", lang, path=str(anchor_file)))
            raise typer.Exit(2) from exc
    result = verify(anchor=anchor)
    if result.ok:
        console.print(
            t("governance.audit.ok", lang, count=result.count, hash=result.head_hash),
            markup=False,
            soft_wrap=True,
        )
        return
    broken = result.broken
    assert broken is not None
    record = "-" if broken.record_id is None else str(broken.record_id)
    err_console.print(
        t("governance.audit.broken", lang, seq=broken.seq, id=record, checked=result.count),
        markup=False,
        soft_wrap=True,
    )
    err_console.print(t(broken.reason, lang, seq=broken.seq), markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT_ERRORS)


@audit_app.command("anchor")
def anchor_cmd(
    path: Annotated[Path, typer.Argument(help="File to write the head hash to (JSON)")],
    lang: LangOption = None,
) -> None:
    """Write the chain's head (sequence number and hash) to a file kept outside the database."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.chain import anchor

    data = anchor(path)
    console.print(
        t("governance.audit.anchored", lang, path=str(path), seq=data["seq"], hash=data["hash"]),
        markup=False,
        soft_wrap=True,
    )


@audit_app.command("log")
def log_cmd(
    limit: Annotated[int, typer.Option(help="Most recent records to show")] = 30,
    lang: LangOption = None,
) -> None:
    """The most recent records of the audit trail."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.models import AuditEvent

    table = Table()
    for key in ("seq", "at", "actor", "action", "object", "reason"):
        table.add_column(t(f"governance.audit.col.{key}", lang))
    for e in AuditEvent.objects.order_by("-seq")[:limit]:
        table.add_row(
            str(e.seq), e.at.isoformat(timespec="seconds"), e.actor, e.action, e.object_ref,
            e.reason,
        )  # fmt: skip
    console.print(table)


risk_app = typer.Typer(help="Risk register / リスク台帳", no_args_is_help=True)


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


@risk_app.command("list")
def risk_list(lang: LangOption = None) -> None:
    """The register: impact from the linked stress results, inherent and residual ratings."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.models import Risk
    from econsec.governance.risks import rate_all

    rated = rate_all(Risk.objects.all())
    if not rated:
        console.print(t("governance.risk.empty", lang))
        return
    # Figures in a compact table; the texts (title, owner, source) on a line each below it,
    # so nothing is cut on an 80-column terminal.
    table = Table()
    for key in ("code", "impact", "inherent", "residual", "treatment", "review"):
        table.add_column(t(f"governance.risk.col.{key}", lang), no_wrap=True)
    lines = []
    for r in rated:
        risk = r.risk
        impact = _money(r.impact.money)
        if r.impact.stale and r.impact.source.startswith("stress"):
            impact += " " + t("governance.risk.stale", lang)
        table.add_row(
            risk.code,
            impact,
            f"{risk.likelihood}×{r.inherent_impact or '-'} = {r.inherent or '-'}",
            str(r.residual or "-"),
            t(f"governance.risk.treatment.{risk.treatment}", lang),
            str(risk.next_review or "-"),
        )
        title = risk.title_ja if lang == "ja" else risk.title_en
        source = risk.link_label or r.impact.source or "-"
        lines.append(
            t(
                "governance.risk.line",
                lang,
                code=risk.code,
                title=title,
                owner=risk.owner or "-",
                source=source,
            )
        )
    console.print(table)
    for line in lines:
        console.print(line, markup=False)


@risk_app.command("add")
def risk_add(
    code: Annotated[str, typer.Argument(help="Risk code, e.g. R-010")],
    title_ja: Annotated[str, typer.Option("--title-ja")],
    title_en: Annotated[str, typer.Option("--title-en")],
    owner: Annotated[str, typer.Option()] = "",
    area: Annotated[str, typer.Option(help="Guideline area / item")] = "",
    scenario: Annotated[
        Path | None, typer.Option(help="Link to a stress scenario YAML (impact from its results)")
    ] = None,
    impact: Annotated[float | None, typer.Option(help="Entered impact (money)")] = None,
    likelihood: Annotated[int, typer.Option(help="1-5")] = 3,
    treatment: Annotated[str, typer.Option(help="mitigate, avoid or transfer")] = "mitigate",
    actor: Annotated[str, typer.Option(help="Who is adding it")] = "",
    lang: LangOption = None,
) -> None:
    """Add a risk to the register (recorded in the audit trail)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance import risks
    from econsec.governance.errors import GovernanceError

    linked = None
    if scenario is not None:
        if not scenario.exists():
            err_console.print(t("governance.risk.no_scenario", lang, path=str(scenario)))
            raise typer.Exit(EXIT_INPUT_ERRORS)
        from econsec.stress.api import load_scenario

        linked = load_scenario(str(scenario))
    try:
        risks.create(
            code, actor=actor, link_scenario=linked, title_ja=title_ja, title_en=title_en,
            owner=owner, area=area, entered_impact=impact, likelihood=likelihood,
            treatment=treatment,
        )  # fmt: skip
    except GovernanceError as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    console.print(t("governance.risk.added", lang, code=code))


@risk_app.command("accept")
def risk_accept(
    code: Annotated[str, typer.Argument()],
    user: Annotated[str, typer.Option("--user", help="The approving user (an administrator)")],
    reason: Annotated[str, typer.Option("--reason")],
    lang: LangOption = None,
) -> None:
    """Accept a risk: the approving user must be an administrator (or the configured approver)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from django.contrib.auth.models import User

    from econsec.governance import risks
    from econsec.governance.errors import GovernanceError
    from econsec.governance.models import Risk

    risk = Risk.objects.filter(code=code).first()
    if risk is None:
        err_console.print(t("governance.risk.not_found", lang, code=code))
        raise typer.Exit(EXIT_INPUT_ERRORS)
    account = User.objects.filter(username=user).first()
    is_admin = account is not None and (
        account.is_superuser or account.groups.filter(name="administrator").exists()
    )
    try:
        risks.accept(risk, approver=user, is_administrator=is_admin, reason=reason)
    except GovernanceError as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    console.print(t("governance.risk.accepted", lang, code=code, who=user))


@risk_app.command("export")
def risk_export(
    path: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx)")],
    lang: LangOption = None,
) -> None:
    """Write the register to a workbook (row 1 keys, row 2 labels, data from row 3)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.risk_xlsx import export

    count = export(path, lang)
    console.print(t("governance.xlsx.exported", lang, count=count, path=str(path)), markup=False)


@risk_app.command("import")
def risk_import(
    path: Annotated[Path, typer.Argument(help="Workbook (.xlsx) in the export's layout")],
    actor: Annotated[str, typer.Option(help="Who is importing")] = "",
    lang: LangOption = None,
) -> None:
    """Create and change risks from a workbook: all or nothing, every problem located."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.risk_xlsx import import_workbook
    from econsec.sheet_problems import ImportProblems

    try:
        created, changed = import_workbook(path, actor=actor)
    except ImportProblems as exc:
        for problem in exc.problems:
            err_console.print(problem.message(lang), markup=False, soft_wrap=True)
        err_console.print(t("governance.xlsx.nothing_written", lang, count=len(exc.problems)))
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    console.print(t("governance.xlsx.imported", lang, created=created, changed=changed))


kri_app = typer.Typer(help="Key risk indicators / 重要リスク指標", no_args_is_help=True)
_COLOUR = {"green": "green", "amber": "yellow", "red": "red"}


@kri_app.command("list")
def kri_list(lang: LangOption = None) -> None:
    """Compute every indicator now (stored, for the trend) and show colours and reasons."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.kri import compute_all, explain

    readings = compute_all()
    table = Table()
    for key in ("indicator", "value", "status", "trend"):
        table.add_column(t(f"governance.kri.col.{key}", lang))
    for r in readings:
        colour = _COLOUR[r.status]
        assert r.definition is not None
        table.add_row(
            r.definition.label(lang),
            f"{r.value:g}",
            f"[{colour}]● {t(f'governance.kri.status.{r.status}', lang)}[/{colour}]",
            "-" if r.previous is None else f"{r.previous:g}",
        )
    console.print(table)
    for r in readings:
        assert r.definition is not None
        for reason in r.reasons[:10]:
            line = r.definition.label(lang) + " — " + explain(r.definition.formula, reason, lang)
            console.print(line, markup=False, soft_wrap=True)


@kri_app.command("define")
def kri_define(
    key: Annotated[str, typer.Argument(help="Indicator key, e.g. cn_share")],
    formula: Annotated[str, typer.Option(help="One of the formulas (see `kri formulas`)")],
    name_ja: Annotated[str, typer.Option("--name-ja")],
    name_en: Annotated[str, typer.Option("--name-en")],
    amber: Annotated[float, typer.Option()],
    red: Annotated[float, typer.Option()],
    params: Annotated[
        str, typer.Option(help='Parameters as JSON, e.g. {"countries": ["CN"]}')
    ] = "{}",
    actor: Annotated[str, typer.Option(help="Who is defining it")] = "",
    lang: LangOption = None,
) -> None:
    """Define an indicator from a parameterised formula (no free code)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance import kri
    from econsec.governance.errors import GovernanceError

    try:
        values = json.loads(params)
        if not isinstance(values, dict):
            raise ValueError(params)
        kri.define(key, name_ja=name_ja, name_en=name_en, formula=formula, params=values,
                   amber=amber, red=red, actor=actor)  # fmt: skip
    except (ValueError, json.JSONDecodeError) as exc:
        err_console.print(t("governance.cli.bad_params", lang, value=params[:200]), markup=False)
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    except GovernanceError as exc:
        err_console.print(exc.message(lang), markup=False)
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    console.print(t("governance.cli.defined", lang, key=key), markup=False)


@kri_app.command("formulas")
def kri_formulas(lang: LangOption = None) -> None:
    """The formulas an indicator can be built from, with their parameters."""
    from econsec.governance.kri import FORMULAS

    for name, (_, params) in FORMULAS.items():
        console.print(f"{name}({', '.join(params)})", markup=False)


@kri_app.command("deliver")
def kri_deliver(lang: LangOption = None) -> None:
    """Run the scheduled step now: indicators, reminders, digests, then send what is due."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from econsec.governance.schedule import tick

    done = tick()
    console.print(t("governance.cli.delivered", lang, **done), markup=False)


@kri_app.command("prefs")
def kri_prefs(
    user: Annotated[str, typer.Argument(help="User name")],
    email: Annotated[str, typer.Option(help="E-mail address")] = "",
    by_email: Annotated[bool, typer.Option("--by-email/--inbox-only")] = True,
    digest: Annotated[bool, typer.Option("--digest/--each")] = False,
    language: Annotated[str, typer.Option("--language", help="ja or en")] = "ja",
    lang: LangOption = None,
) -> None:
    """Set a user's notification preferences (e-mail per event or a daily digest)."""
    from econsec.store import open_store

    lang = normalise_lang(lang)
    open_store()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from econsec.governance.models import Preference

    try:
        if email:
            validate_email(email)
    except ValidationError as exc:
        err_console.print(t("governance.cli.bad_email", lang, value=email[:200]), markup=False)
        raise typer.Exit(EXIT_INPUT_ERRORS) from exc
    Preference.objects.update_or_create(
        username=user,
        defaults={"email": email, "by_email": by_email and bool(email), "digest": digest,
                  "language": normalise_lang(language)},
    )  # fmt: skip
    console.print(t("governance.cli.prefs_saved", lang, user=user), markup=False)


def register(app: typer.Typer) -> None:
    from econsec.governance.notify_cli import notify_app

    app.add_typer(audit_app, name="audit")
    app.add_typer(risk_app, name="risk")
    app.add_typer(kri_app, name="kri")
    app.add_typer(notify_app, name="notify")
