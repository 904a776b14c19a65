"""``econsec demo``: load the demo company, compute what the workbench shows (exposure, the
example stress scenarios, the site sweep), load the demo list set and screen the chain, open a
self-assessment campaign, print the headline in the terminal, then serve the workbench.

Each result is stored with the data version it came from, so a second ``make demo`` reuses them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from econsec.i18n import normalise_lang, t
from econsec.valuechain.cli import LangOption

console = Console()
SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def demo(
    lang: LangOption = None,
    serve: Annotated[bool, typer.Option(help="Serve the web workbench after loading")] = True,
) -> None:
    """Load the demo company into the store (once) and show what econsec sees."""
    from econsec.store import open_store
    from econsec.valuechain.cli import load_demo
    from econsec.web.demo import run as finish

    started = time.monotonic()
    lang = normalise_lang(lang)
    open_store()
    load_demo(lang)
    report, exposure_id = _exposure()
    chain = _scenarios(lang)
    sweep_id, sweep_payload = _sweep(chain, lang)
    _headline(report, sweep_payload, lang)
    _lists(lang)
    _assessment(exposure_id, sweep_id, chain.version, lang)
    from econsec.governance.demo import create_demo_risks

    create_demo_risks(SCENARIOS)
    from econsec.registry import registry, resolve

    for _, step in registry.demo_steps:
        resolve(step)(lang)
    console.print(t("demo.ready", lang, seconds=f"{time.monotonic() - started:.0f}"))
    finish(lang=lang, serve=serve)


def register(app: typer.Typer) -> None:
    app.command()(demo)


def _exposure() -> tuple[Any, str]:
    """The stored exposure report (computed once) and its stored result's id."""
    from econsec.exposure.models import ExposureResult
    from econsec.reports.gather import compute_exposure, stored_exposure

    report = stored_exposure() or compute_exposure()
    row = ExposureResult.objects.filter(data_version=report.data_version).order_by("-id").first()
    return report, str(row.pk) if row is not None else report.data_version


def _headline(report: Any, sweep: dict[str, Any], lang: str) -> None:
    """The five most urgent single points of failure, ranked by time and value at risk."""
    from econsec.exposure.ranking import rank_losses

    ranked = rank_losses(report.losses.get("site", []), sweep.get("rows") or [], report.currency)
    console.print(t("demo.exposure.title_time", lang))
    for r in ranked[:5]:
        loss = r.loss
        console.print(
            t(
                "demo.exposure.line_time",
                lang,
                site=loss.element_id,
                name=loss.name,
                country=loss.country,
                products=len(loss.products),
                tts="∞" if r.tts_weeks is None else f"{r.tts_weeks:.1f}",
                ttr="—" if r.ttr_weeks is None else f"{r.ttr_weeks:g}",
                margin=f"{r.value_at_risk or 0:,.0f}",
                currency=report.currency,
            )
        )
        for reason in r.reasons[1:]:  # why it ranks above a structurally identical site
            console.print("    " + reason.text(lang))


def _scenarios(lang: str) -> Any:
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.models import Result
    from econsec.stress.store import save_result
    from econsec.valuechain.store_io import compile_store

    chain = compile_store()
    if not SCENARIOS.is_dir():
        return chain
    console.print(t("demo.stress.title", lang))
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(str(path))
        stored = (
            Result.objects.filter(scenario_hash=scenario.hash, data_version=chain.version)
            .order_by("-created_at")
            .first()
        )
        payload = stored.payload if stored is not None else run_scenario(chain, scenario)
        if stored is None:
            save_result(payload, scenario)
        console.print(
            t(
                "demo.stress.line",
                lang,
                name=scenario.name(lang),
                tts=f"{payload['tts_weeks']:.1f}",
                ttr=f"{payload['ttr_weeks']:.1f}",
                margin=f"{payload['lost_margin']:,.0f}",
                currency=payload["currency"],
            )
        )
    return chain


def _sweep(chain: Any, lang: str) -> tuple[str, dict[str, Any]]:
    """Run (once) and store the site sweep; returns the stored result's id and payload."""
    from econsec.demo_steps import site_sweep
    from econsec.stress.models import Result

    payload = site_sweep(chain)
    rows = payload.get("rows") or []
    if rows:
        top = rows[0]
        console.print(
            t(
                "demo.sweep.line",
                lang,
                count=len(rows),
                site=top["id"],
                rei=f"{top['rei']:.2f}",
                ttr=f"{top['ttr_weeks']:g}",
            )
        )
    row = Result.objects.filter(kind="sweep", data_version=chain.version).order_by("-id").first()
    return (str(row.pk) if row is not None else ""), payload


def _lists(lang: str) -> None:
    from econsec.demo_steps import load_demo_lists, screen_chain
    from econsec.screening.models import Hit

    for name, count, new in load_demo_lists():
        console.print(
            t("demo.lists.loaded" if new else "demo.lists.kept", lang, name=name, count=count)
        )
    counts = screen_chain()
    console.print(
        t(
            "demo.lists.screened",
            lang,
            screened=counts.get("screened", 0),
            open=Hit.objects.filter(status="open").count(),
        )
    )


def _assessment(exposure_id: str, sweep_id: str, version: str, lang: str) -> None:
    from econsec.demo_steps import assessment_campaign
    from econsec.guideline.campaigns import campaign_scorecard
    from econsec.guideline.scoring import gap_list

    campaign = assessment_campaign(exposure_id, sweep_id, version)
    framework, card = campaign_scorecard(campaign)
    implementation = card.overall.implementation
    console.print(
        t(
            "demo.assessment.line",
            lang,
            id=campaign.pk,
            name=campaign.name,
            implementation="—" if implementation is None else f"{100 * implementation:.0f}%",
            gaps=len(gap_list(framework, card)),
        )
    )
