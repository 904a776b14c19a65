"""``econsec demo``: load the demo company, compute what the workbench shows (exposure, the
example stress scenarios), print the headline in the terminal, then serve the workbench.

Each result is stored with the data version it came from, so a second ``make demo`` reuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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

    lang = normalise_lang(lang)
    open_store()
    load_demo(lang)
    _exposure(lang)
    _scenarios(lang)
    from econsec.governance.demo import create_demo_risks

    create_demo_risks(SCENARIOS)
    finish(lang=lang, serve=serve)


def register(app: typer.Typer) -> None:
    app.command()(demo)


def _exposure(lang: str) -> None:
    from econsec.reports.gather import compute_exposure, stored_exposure

    report = stored_exposure() or compute_exposure()
    losses = report.losses.get("site", [])
    ranked = sorted(losses, key=lambda loss: -loss.margin_per_week)[:5]
    console.print(t("demo.exposure.title", lang))
    for loss in ranked:
        console.print(
            t(
                "demo.exposure.line",
                lang,
                site=loss.element_id,
                name=loss.name,
                country=loss.country,
                products=len(loss.products),
                margin=f"{loss.margin_per_week:,.0f}",
                currency=report.currency,
            )
        )


def _scenarios(lang: str) -> None:
    if not SCENARIOS.is_dir():
        return
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.models import Result
    from econsec.stress.store import save_result
    from econsec.valuechain.store_io import compile_store

    chain = compile_store()
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
