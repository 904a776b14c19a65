"""Measures compiled into the chain: applying one and re-running the stress test reproduces the
"after" figures; the suggestions on the demo company; bad input is refused, located, ja/en."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from econsec.i18n import t
from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import parse_risks
from econsec.planning.measures import Measure, apply_measures, parse_measures
from econsec.planning.suggest import suggest, worst_sites
from econsec.stress.api import load_scenario
from econsec.stress.engine import Engine
from econsec.stress.scenario import resolve
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company
from econsec.valuechain.schema import Tables

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
RARE_EARTH = EXAMPLES / "cn-rare-earth-export-restriction-26w.yaml"


@pytest.fixture(scope="module")
def chain():  # type: ignore[no-untyped-def]
    return compile_tables(demo_company())


def test_safety_stock_is_stock_in_the_programme(chain) -> None:  # type: ignore[no-untyped-def]
    m = Measure("m1", "safety_stock", site="TOHO-HMM", item="C-MAG-NDFEB-DY", units=5000.0)
    applied = apply_measures(chain, [m])
    # Independently: the same stock written into the workbook's tables and compiled.
    tables: Tables = demo_company()
    inventory = tables["inventory"]
    row = next(
        (r for r in inventory if r["site_id"] == "TOHO-HMM" and r["item_id"] == "C-MAG-NDFEB-DY"),
        None,
    )
    if row is None:
        inventory.append(
            {"site_id": "TOHO-HMM", "item_id": "C-MAG-NDFEB-DY", "on_hand_units": 5000.0}
        )
    else:
        row["on_hand_units"] = float(row["on_hand_units"]) + 5000.0
    by_hand = compile_tables(tables)
    sc = load_scenario(str(RARE_EARTH))
    a = Engine(applied.chain).run(resolve(sc, applied.chain), sc.duration_weeks, explain=False)
    b = Engine(by_hand).run(resolve(sc, by_hand), sc.duration_weeks, explain=False)
    assert a.tts_weeks == pytest.approx(b.tts_weeks, rel=1e-9)
    assert a.lost_margin == pytest.approx(b.lost_margin, rel=1e-9)
    before = Engine(chain).run(resolve(sc, chain), sc.duration_weeks, explain=False)
    assert a.lost_margin < before.lost_margin  # the stock does something


def test_suggestions_reproduce_after_rerun(chain) -> None:  # type: ignore[no-untyped-def]
    sc = load_scenario(str(RARE_EARTH))
    found = suggest(chain, [sc])
    ids = [s["measure"]["id"] for s in found]
    assert "stock:TOHO-HMM:C-MAG-NDFEB-DY" in ids  # the rare-earth magnet weak point
    for s in found[:3]:
        spec = {k: v for k, v in s["measure"].items()}
        applied = apply_measures(chain, parse_measures([spec], "suggestion"))
        after = Engine(applied.chain).run(
            resolve(sc, applied.chain), sc.duration_weeks, explain=False
        )
        assert after.excess_lost_margin == pytest.approx(s["lost_margin_after"], rel=1e-9)
        assert after.tts_weeks == pytest.approx(s["tts_after"], rel=1e-9)
        assert after.excess_lost_margin < s["lost_margin_before"] or after.tts_weeks > 2.5


def test_prequalify_faster_recovery_and_capacity(chain) -> None:  # type: ignore[no-untyped-def]
    a = int(np.flatnonzero(chain.alt_qualification_weeks > 0)[0])
    supplier = chain.site_ids[chain.node_site[chain.alt_src[a]]]
    site = chain.site_ids[chain.slot_site[chain.alt_slot[a]]]
    item = chain.item_ids[chain.slot_item[chain.alt_slot[a]]]
    site0 = int(np.flatnonzero(np.isfinite(chain.site_ttr_weeks))[0])
    ms = [
        Measure("q", "prequalify", site=site, item=item, supplier_site=supplier),
        Measure("r", "faster_recovery", site=chain.site_ids[site0],
                ttr_weeks=float(chain.site_ttr_weeks[site0]) / 2),
    ]  # fmt: skip
    applied = apply_measures(chain, ms)
    assert applied.chain.alt_qualification_weeks[a] == 0.0
    assert applied.chain.site_ttr_weeks[site0] == chain.site_ttr_weeks[site0] / 2
    assert applied.measures[0].one_off_cost > 0 and applied.chain.version != chain.version


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ({"id": "x", "kind": "safety_stock", "site": "NOPE", "item": "C-MAG-NDFEB-DY",
          "units": 1}, "planning.measure.unknown"),
        ({"id": "x", "kind": "safety_stock", "site": "TOHO-HMM", "item": "C-MAG-NDFEB-DY",
          "units": 1, "one_off_cost": -5}, "planning.measure.negative"),
        ({"id": "x", "kind": "teleport"}, "planning.measure.bad_kind"),
    ],
)  # fmt: skip
def test_bad_measures_are_located(chain, entry, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanningError) as err:
        apply_measures(chain, parse_measures([entry], "measures.yaml"))
    assert err.value.key == key
    for lang in ("ja", "en"):
        assert "measures.yaml: measures[0]" in err.value.message(lang)


def test_frequency_above_daily_is_refused(chain) -> None:  # type: ignore[no-untyped-def]
    doc = {"sweep": {"by": "site", "frequency_per_year": 400}}
    with pytest.raises(PlanningError) as err:
        parse_risks(doc, chain, "risks.yaml", EXAMPLES)
    assert err.value.key == "planning.risk.bad_frequency"
    assert "risks.yaml: sweep" in err.value.message("ja")
    assert t("planning.risk.bad_frequency", "en", where="w", value=1, most=365)


def test_defaults_are_marked(chain) -> None:  # type: ignore[no-untyped-def]
    doc = {"scenarios": [{"file": RARE_EARTH.name, "frequency_per_year": 0.1}],
           "sweep": {"by": "site"}}  # fmt: skip
    risks = parse_risks(doc, chain, "risks.yaml", EXAMPLES).risks
    assert risks[0].defaults == ("duration",) and risks[0].provenance
    assert all(r.defaults == ("frequency", "duration") for r in risks[1:])


def test_suggestions_cover_the_taiwan_foundry(chain) -> None:  # type: ignore[no-untyped-def]
    # The site sweep's worst sites include the Taiwanese foundry making the MCU dies; its
    # suggestion (MCU die stock at the assembler) lengthens the time to survive.
    sites = worst_sites(chain, 5)
    assert "site TJSC-HC down" in [s.name("en") for s in sites]
    found = suggest(chain, [s for s in sites if s.name("en") == "site TJSC-HC down"])
    best = max(found, key=lambda s: s["tts_after"])
    assert best["measure"]["item"].startswith("D-MCU") and best["tts_after"] > best["tts_before"]
