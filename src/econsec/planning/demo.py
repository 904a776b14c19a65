"""``econsec demo``: the example measures in the catalogue, so the planning pages have
something to run on (simulations and optimisations are left to the user: they take minutes)."""

from __future__ import annotations

from pathlib import Path

from econsec.i18n import t

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "planning"


def demo_step(lang: str) -> None:
    from rich.console import Console

    from econsec.planning import store
    from econsec.planning.measures import load_measures
    from econsec.planning.models import Measure

    measures = [m for m in load_measures(EXAMPLES / "measures.yaml")
                if not Measure.objects.filter(measure_id=m.id).exists()]  # fmt: skip
    store.check(store.load_chain(), measures)
    if measures:
        store.save_measures(measures, origin="import", actor="demo")
    Console().print(t("planning.demo.done", lang, count=Measure.objects.count()))
