"""`econsec plan measures|suggest|simulate|case|optimise|report`: measures as investments.

See docs/decisions/0100 and 0101.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
plan_app = typer.Typer(
    help="Measures as investments: loss distributions, measures / 対策への投資",
    no_args_is_help=True,
)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
SaveOption = Annotated[
    bool, typer.Option("--save/--no-save", help="Store the run with its inputs and data version")
]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "scenarios"


def _chain(lang: str) -> Any:
    from econsec.stress.cli import _chain as stored_chain

    return stored_chain(lang)


def _fail(exc: Exception, lang: str) -> typer.Exit:
    message = exc.message(lang) if hasattr(exc, "message") else str(exc)
    err_console.print(message)
    return typer.Exit(1)


def measures_cmd(
    measures_file: Annotated[Path, typer.Argument(help="Measures YAML")],
    lang: LangOption = None,
) -> None:
    """Check a measures file against the stored chain and show each measure's annual cost."""
    from econsec.planning.errors import PlanningError
    from econsec.planning.measures import CostParameters, apply_measures, load_measures

    lang = normalise_lang(lang)
    params = CostParameters()
    try:
        measures = load_measures(measures_file)
        applied = apply_measures(_chain(lang), measures, params)
    except PlanningError as exc:
        raise _fail(exc, lang) from exc
    table = Table(title=t("planning.cli.measures", lang))
    for key in ("planning.col.id", "planning.col.kind", "planning.col.target", "planning.col.cost"):
        table.add_column(t(key, lang))
    for m in applied.measures:
        target = "/".join(x for x in (m.supplier_site, m.site, m.item, m.chokepoint) if x)
        table.add_row(m.id, m.kind, target, f"{m.annualised(params):,.0f}")
    console.print(table)


@plan_app.command("suggest")
def suggest_cmd(
    scenario_files: Annotated[
        list[Path] | None, typer.Argument(help="Scenario YAML files (default: the examples)")
    ] = None,
    sites: Annotated[int, typer.Option(help="Also the N worst sites of the site sweep")] = 5,
    out: Annotated[Path | None, typer.Option("--out", help="Write suggestions as JSON")] = None,
    lang: LangOption = None,
) -> None:
    """For every scenario with TTS < TTR: the binding parts and the stock or source that helps."""
    from econsec.planning.errors import PlanningError
    from econsec.planning.suggest import suggest, worst_sites
    from econsec.stress.api import Engine, load_scenario
    from econsec.stress.errors import StressError

    lang = normalise_lang(lang)
    files = scenario_files or sorted(EXAMPLES.glob("*.yaml"))
    try:
        chain = _chain(lang)
        scenarios = [load_scenario(str(f)) for f in files]
        if sites > 0:
            scenarios += worst_sites(chain, sites)
        found = suggest(chain, scenarios, engine=Engine(chain))
    except (PlanningError, StressError) as exc:
        raise _fail(exc, lang) from exc
    table = Table(title=t("planning.cli.suggestions", lang))
    for key in (
        "planning.col.scenario", "planning.col.id", "planning.col.tts_before",
        "planning.col.tts_after", "planning.col.loss_after", "planning.col.cost",
    ):  # fmt: skip
        table.add_column(t(key, lang))
    for s in found:
        after = "∞" if s["tts_after"] == float("inf") else f"{s['tts_after']:.1f}"
        table.add_row(
            s["scenario"], s["measure"]["id"], f"{s['tts_before']:.1f}", after,
            f"{s['lost_margin_after']:,.0f}", f"{s['annualised_cost']:,.0f}",
        )  # fmt: skip
    console.print(table)
    if out:
        out.write_text(json.dumps(found, ensure_ascii=False, indent=1, default=str), "utf-8")


@plan_app.command("simulate")
def simulate_cmd(
    risks_file: Annotated[Path, typer.Argument(help="Risks YAML (frequencies, durations)")],
    years: Annotated[int, typer.Option(help="Simulated years")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 1,
    workers: Annotated[int, typer.Option(help="Worker processes (0: here)")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Write the summary as JSON")] = None,
    save: SaveOption = True,
    lang: LangOption = None,
) -> None:
    """Monte Carlo loss distribution: EAL, VaR and CVaR at 95/99 %, each risk's share."""
    from econsec.planning.curves import local_pool
    from econsec.planning.errors import PlanningError
    from econsec.planning.likelihood import load_risks
    from econsec.planning.montecarlo import loss_distribution, summary

    lang = normalise_lang(lang)
    try:
        chain = _chain(lang)
        risks = load_risks(risks_file, chain)
        pool = local_pool(chain, risks.risks, workers) if workers > 0 else None
        try:
            dist, _ = loss_distribution(
                chain, risks.risks, years=years, seed=seed, max_weeks=risks.max_weeks,
                executor=pool,
            )  # fmt: skip
        finally:
            if pool is not None:
                pool.shutdown()
    except PlanningError as exc:
        raise _fail(exc, lang) from exc
    result = summary(dist, risks.risks)
    for key in ("eal", "var95", "cvar95", "var99", "cvar99"):
        console.print(f"{t('planning.stat.' + key, lang)}: {result[key]:,.0f} {chain.currency}")
    table = Table(title=t("planning.cli.contributions", lang))
    for key in (
        "planning.col.risk",
        "planning.col.frequency",
        "planning.col.eal",
        "planning.col.defaults",
    ):
        table.add_column(t(key, lang))
    for r in result["risks"]:
        table.add_row(
            r["label"], f"{r['frequency_per_year']:.3f}", f"{r['eal_contribution']:,.0f}",
            ", ".join(r["defaults"]),
        )  # fmt: skip
    console.print(table)
    if out:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    if save:
        _saved("simulation", chain, risks_file, result, years, seed, {}, lang)


@plan_app.command("case")
def case_cmd(
    risks_file: Annotated[Path, typer.Argument(help="Risks YAML (frequencies, durations)")],
    measures_file: Annotated[Path, typer.Argument(help="Measures YAML")],
    years: Annotated[int, typer.Option(help="Simulated years")] = 2_000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 1,
    horizon: Annotated[int, typer.Option(help="Horizon in years")] = 10,
    out: Annotated[Path | None, typer.Option("--out", help="Write the case as JSON")] = None,
    lang: LangOption = None,
) -> None:
    """Investment case of the measures: EAL before/after, NPV, payback, ROI, tornado (±50 %)."""
    from econsec.planning.errors import PlanningError
    from econsec.planning.investment import investment_case
    from econsec.planning.likelihood import load_risks
    from econsec.planning.measures import apply_measures, load_measures

    lang = normalise_lang(lang)
    try:
        chain = _chain(lang)
        risks = load_risks(risks_file, chain)
        applied = apply_measures(chain, load_measures(measures_file))
        case = investment_case(
            chain, applied, risks.risks, max_weeks=risks.max_weeks, years=years, seed=seed,
            horizon_years=horizon,
        )  # fmt: skip
    except PlanningError as exc:
        raise _fail(exc, lang) from exc
    for key in ("eal_before", "eal_after", "one_off_cost", "annual_cost", "npv"):
        console.print(f"{t('planning.case.' + key, lang)}: {case[key]:,.0f} {chain.currency}")
    payback = case["payback_years"]
    console.print(
        f"{t('planning.case.payback', lang)}: {'—' if payback is None else f'{payback:.1f}'}"
    )
    for row in case["tornado"]:
        console.print(f"  {row['factor']} ±50 %: NPV {row['low']:,.0f} … {row['high']:,.0f}")
    if out:
        out.write_text(json.dumps(case, ensure_ascii=False, indent=1), "utf-8")


def _weeks(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.1f}"


def suggested_measures(chain: Any, risks: list[Any], have: list[Any] | None = None) -> list[Any]:
    """Candidates from the analyses: the suggestions for every scenario risk and worst site.

    A pre-qualification of a source already among ``have`` is left out (one alternative
    qualified twice does not add up).
    """
    from econsec.planning.measures import parse_measure
    from econsec.planning.suggest import suggest, worst_sites
    from econsec.stress.api import Engine

    scenarios = [r.scenario for r in risks if r.scenario is not None] + worst_sites(chain, 5)
    out: list[Any] = []
    seen = {m.id for m in have or []}
    sources = {(m.supplier_site, m.site, m.item) for m in have or [] if m.kind == "prequalify"}
    for s in suggest(chain, scenarios, engine=Engine(chain)):
        spec = {k: v for k, v in s["measure"].items() if k not in ("annual_cost", "units")}
        target = (spec.get("supplier_site", ""), spec.get("site", ""), spec.get("item", ""))
        if spec["id"] in seen or (spec["kind"] == "prequalify" and target in sources):
            continue
        seen.add(spec["id"])
        if spec["kind"] == "prequalify":
            sources.add(target)
        out.append(parse_measure(spec, f"suggestion {spec['id']}"))
    return out


@plan_app.command("optimise")
def optimise_cmd(
    risks_file: Annotated[Path, typer.Argument(help="Risks YAML (frequencies, durations)")],
    measures_file: Annotated[
        Path | None, typer.Argument(help="Candidate measures YAML (default: none)")
    ] = None,
    suggested: Annotated[bool, typer.Option(help="Add the suggested measures")] = False,
    catalogue: Annotated[
        bool, typer.Option(help="Add the stored measures (the catalogue: plan measures list)")
    ] = False,
    budget: Annotated[float | None, typer.Option(help="One-off budget")] = None,
    annual_budget: Annotated[float | None, typer.Option(help="Annual budget")] = None,
    cvar_limit: Annotated[
        float | None, typer.Option(help="CVaR of the annual loss at --cvar-level at most this")
    ] = None,
    cvar_level: Annotated[float, typer.Option(help="CVaR level, in [0.5, 1)")] = 0.95,
    years: Annotated[int, typer.Option(help="Simulated years the events are drawn from")] = 50,
    seed: Annotated[int, typer.Option(help="Random seed")] = 1,
    frontier: Annotated[int, typer.Option(help="Points of the efficient frontier (0: none)")] = 0,
    marginal: Annotated[bool, typer.Option(help="Each measure's marginal value")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the result as JSON")] = None,
    save: SaveOption = True,
    lang: LangOption = None,
) -> None:
    """Choose the measures minimising annualised cost + expected loss under a budget (MILP)."""
    from econsec.planning.cvar import check as check_cvar
    from econsec.planning.errors import PlanningError
    from econsec.planning.likelihood import load_risks
    from econsec.planning.measures import load_measures
    from econsec.planning.portfolio import optimise_result

    lang = normalise_lang(lang)
    try:
        check_cvar(cvar_limit, cvar_level)
        chain = _chain(lang)
        risks = load_risks(risks_file, chain)
        candidates = load_measures(measures_file) if measures_file else []
        if catalogue:
            from econsec.planning.store import catalogue as stored

            known = {m.id for m in candidates}
            candidates += [m for m in stored() if m.id not in known]
        if suggested:
            known = {m.id for m in candidates}
            more = suggested_measures(chain, risks.risks, candidates)
            candidates += [m for m in more if m.id not in known]
        if not candidates:
            raise PlanningError("planning.optimise.no_candidates")
        result = optimise_result(
            chain, risks, candidates, years=years, seed=seed, one_off_budget=budget,
            annual_budget=annual_budget, cvar_limit=cvar_limit, cvar_level=cvar_level,
            frontier_points=frontier, marginal=marginal,
        )  # fmt: skip
    except PlanningError as exc:
        raise _fail(exc, lang) from exc
    print_portfolio(result, chain.currency, lang)
    if out:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), "utf-8")
    if save:
        extra = {"candidates": [m.to_dict() for m in candidates], "one_off_budget": budget,
                 "annual_budget": annual_budget, "cvar_limit": cvar_limit,
                 "cvar_level": cvar_level, "frontier_points": frontier}  # fmt: skip
        _saved("optimisation", chain, risks_file, result, years, seed, extra, lang)


def print_portfolio(result: dict[str, Any], currency: str, lang: str) -> None:
    p = result["portfolio"]
    table = Table(title=t("planning.cli.portfolio", lang))
    for key in (
        "planning.col.id",
        "planning.col.kind",
        "planning.col.cost",
        "planning.col.marginal",
    ):
        table.add_column(t(key, lang))
    for m in result["measures"]:
        if m["chosen"]:
            value = m.get("marginal")
            table.add_row(
                m["id"], m["kind"], f"{m['annualised']:,.0f}",
                "" if value is None else f"{value:,.0f}",
            )  # fmt: skip
    console.print(table)
    if not p["chosen"]:
        console.print(t("planning.portfolio.none", lang))
    for key in ("objective", "cost", "eal_before", "eal_after"):
        console.print(f"{t('planning.portfolio.' + key, lang)}: {p[key]:,.0f} {currency}")
    pct = p.get("cvar_pct", "95")
    for key in ("cvar_before", "cvar_after", "cvar_limit"):
        if p.get(key) is not None:
            label = t("planning.portfolio." + key, lang, level=pct)
            console.print(f"{label}: {p[key]:,.0f} {currency}")
    console.print(
        t("planning.portfolio.samples", lang, samples=p["samples"], modelled=p["modelled"],
          gap=f"{p['gap']:.1e}")
    )  # fmt: skip
    if result["tts"]:
        table = Table(title=t("planning.cli.tts_after", lang))
        for key in ("planning.col.scenario", "planning.col.product", "planning.col.tts_before",
                    "planning.col.tts_after"):  # fmt: skip
            table.add_column(t(key, lang))
        for r in result["tts"]:
            table.add_row(r["scenario"], r["product"], _weeks(r["tts_before"]),
                          _weeks(r["tts_after"]))  # fmt: skip
        console.print(table)
    if result["frontier"]:
        table = Table(title=t("planning.cli.frontier", lang))
        for key in ("planning.col.budget", "planning.col.cost", "planning.col.eal_after",
                    "planning.col.id"):  # fmt: skip
            table.add_column(t(key, lang))
        for r in result["frontier"]:
            table.add_row(f"{r['budget']:,.0f}", f"{r['cost']:,.0f}", f"{r['eal_after']:,.0f}",
                          ", ".join(r["chosen"]))  # fmt: skip
        console.print(table)


def _saved(
    kind: str, chain: Any, risks_file: Path, result: dict[str, Any], years: int, seed: int,
    extra: dict[str, Any], lang: str,
) -> None:  # fmt: skip
    """Store a run (the default; ``--no-save`` skips it) and say under which number."""
    from econsec.planning.store import pack_risks, risk_rows, store_run, unpack_risks

    packed = pack_risks(risks_file)
    result = {**result, "data_version": chain.version, "currency": chain.currency}
    result.setdefault("risks", risk_rows(unpack_risks(packed, chain)))
    portfolio = result.get("portfolio") or {}
    run = store_run(
        kind, chain.version, seed, years, {"risks": packed, **extra}, result,
        eal=portfolio.get("eal_before", result.get("eal", 0.0)),
        eal_after=portfolio.get("eal_after"), actor="cli",
    )  # fmt: skip
    console.print(t("planning.store.saved", lang, id=run.pk, version=chain.version[:12]))


def register(app: typer.Typer) -> None:
    # The catalogue commands and the report live in cli_store; `measures FILE` stays `check`.
    from econsec.planning.cli_store import cite_cmd, measures_app, report_cmd

    measures_app.command("check")(measures_cmd)
    plan_app.add_typer(measures_app, name="measures")
    plan_app.command("report")(report_cmd)
    plan_app.command("cite")(cite_cmd)
    app.add_typer(plan_app, name="plan")
