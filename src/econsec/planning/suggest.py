"""Measures suggested by the stress analyses: where TTS < TTR, what would close the gap.

For a scenario whose time to survive is shorter than its duration, every input (slot) that
loses supply — a supply link closed, or its supplier's plant down — and that feeds a product
short of the duration is a binding part. For each, two measures are proposed: safety stock
covering the gap (TTR − TTS weeks of its normal weekly need, priced with the holding cost and
the item's value), and, where the slot has an alternative source qualifying later than TTS,
pre-qualifying it. Each suggestion is then applied and the scenario re-run, so the "after" TTS
it states is the engine's answer with the measure in place.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from econsec.planning.errors import PlanningError
from econsec.planning.measures import CostParameters, Measure, apply_measures
from econsec.stress.api import Engine, sweep
from econsec.stress.scenario import Scenario, resolve, scenario_from_document
from econsec.valuechain.compiled import CompiledChain


def worst_sites(chain: CompiledChain, n: int) -> list[Scenario]:
    """The ``n`` sites of the site sweep with the highest risk index and TTS < TTR, as scenarios."""
    rows = [r for r in sweep(chain, "site")["rows"] if r.get("material")][:n]
    return [
        scenario_from_document(
            {
                "name": f"site {r['id']} down",
                "duration_weeks": r["ttr_weeks"],
                "events": [{"kind": "disruption", "sites": [r["id"]]}],
            },
            f"sweep site {r['id']}",
        )
        for r in rows
    ]


def _cut_slots(chain: CompiledChain, scenario: Scenario) -> list[int]:
    dis = resolve(scenario, chain)
    down = dis.node_factor[chain.link_src] <= 0
    cut = dis.link_closed | down
    return sorted({int(s) for s in chain.link_slot[cut & chain.link_qualified]})


def suggest(
    chain: CompiledChain,
    scenarios: list[Scenario],
    params: CostParameters | None = None,
    *,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Suggested measures per scenario with TTS < TTR, each with its cost and "after" TTS."""
    params = params or CostParameters()
    engine = engine or Engine(chain)
    out: list[dict[str, Any]] = []
    for scenario in scenarios:
        dis = resolve(scenario, chain)
        before = engine.run(dis, scenario.duration_weeks, explain=False)
        if not before.material:
            continue
        gap = scenario.duration_weeks - before.tts_weeks
        short = {
            chain.item_ids[i]
            for i, tts in before.product_tts.items()
            if tts < scenario.duration_weeks
        }
        for slot in _cut_slots(chain, scenario):
            site = chain.site_ids[chain.slot_site[slot]]
            item = chain.item_ids[chain.slot_item[slot]]
            base = {"site": site, "item": item, "source": f"suggested: {scenario.name('en')}"}
            candidates = [
                {**base, "id": f"stock:{site}:{item}", "kind": "safety_stock",
                 "weeks_of_cover": math.ceil(gap * 10) / 10},
            ]  # fmt: skip
            for a in np.flatnonzero(chain.alt_slot == slot):
                if dis.alt_closed[a] or chain.alt_qualification_weeks[a] <= before.tts_weeks:
                    continue
                supplier = chain.site_ids[chain.node_site[chain.alt_src[a]]]
                candidates.append(
                    {**base, "id": f"prequalify:{supplier}:{site}:{item}", "kind": "prequalify",
                     "supplier_site": supplier, "qualification_weeks": 0.0},
                )  # fmt: skip
            for spec in candidates:
                measure = Measure(**spec, where=f"suggestion {spec['id']}")
                try:
                    applied = apply_measures(chain, [measure], params)
                except PlanningError:
                    continue  # e.g. no value known for the item: nothing to price
                after = Engine(applied.chain).run(
                    resolve(scenario, applied.chain), scenario.duration_weeks, explain=False
                )
                m = applied.measures[0]
                if (
                    after.excess_lost_margin >= before.excess_lost_margin
                    and after.tts_weeks <= before.tts_weeks
                ):
                    continue  # closes none of the gap: not worth proposing
                out.append(
                    {
                        "scenario": scenario.name("en"),
                        "scenario_hash": scenario.hash,
                        "products_short": sorted(short),
                        "tts_before": before.tts_weeks,
                        "tts_after": after.tts_weeks,
                        "lost_margin_before": before.excess_lost_margin,
                        "lost_margin_after": after.excess_lost_margin,
                        "annualised_cost": m.annualised(params),
                        "measure": m.to_dict(),
                    }
                )
    out.sort(key=lambda s: (s["scenario"], -(s["lost_margin_before"] - s["lost_margin_after"])))
    return out
