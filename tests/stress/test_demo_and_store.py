"""The shipped example scenarios on the demo company, executors agreeing, and stored results."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.stress.api import load_scenario, run_scenario, sweep
from econsec.stress.engine import Engine
from econsec.stress.results import export, render
from econsec.stress.sweep import local_executor
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


@pytest.fixture(scope="module")
def demo() -> Engine:
    return Engine(compile_tables(demo_company()))


def test_cn_rare_earth_restriction(demo: Engine) -> None:
    # Only the Dy-rich NdFeB magnet chain and the servo magnets are Chinese-sourced without a
    # qualified alternative inside 26 weeks: the e-axles and servo motors lose sales, the
    # electronics (inverters, chargers, DC-DC) do not. Hamamatsu's magnet cover (1.5 weeks)
    # plus rotor and motor stock gives a TTS of 2.5 weeks against the 26-week restriction.
    r = run_scenario(
        demo, load_scenario(str(EXAMPLES / "cn-rare-earth-export-restriction-26w.yaml"))
    )
    assert r["material"] is True and r["tts_weeks"] == pytest.approx(2.5)
    hit = {p["item"] for p in r["products"] if p["lost_units"] > 0}
    assert hit == {"P-EAX150", "P-EAX80", "P-SRV04", "P-SRV20"}
    assert r["lost_margin"] == pytest.approx(8_409_395_966, rel=1e-6)
    assert any("TOHO-HMM" in line for line in render(r["explanations"], "en"))


def test_taiwan_strait_closed(demo: Engine) -> None:
    r = run_scenario(demo, load_scenario(str(EXAMPLES / "taiwan-strait-closed-8w.yaml")))
    assert r["material"] is True
    assert r["lost_margin"] == pytest.approx(1_763_110_800, rel=1e-6)
    # The electronics lose sales through the strait (MCUs); the 800 V inverter survives 8 weeks.
    by_item = {p["item"]: p for p in r["products"]}
    assert by_item["P-INV800"]["lost_units"] == 0 and by_item["P-INV800"]["tts_weeks"] > 8
    assert by_item["P-OBC11"]["lost_units"] > 0


def test_process_pool_gives_identical_results(demo: Engine) -> None:
    here = sweep(demo.chain, "country")
    with local_executor(demo.chain, workers=2) as pool:
        there = sweep(demo.chain, "country", executor=pool, chunk_size=3)
    keys = ("id", "lost_margin", "tts_weeks", "rei", "scenario_hash")
    assert [[r[k] for k in keys] for r in here["rows"]] == [
        [r[k] for k in keys] for r in there["rows"]
    ]


def test_exports_and_store(demo: Engine, tmp_path: Path, db: None) -> None:
    from econsec.stress import models
    from econsec.stress.store import save_result

    scenario = load_scenario(str(EXAMPLES / "taiwan-strait-closed-8w.yaml"))
    payload = run_scenario(demo, scenario)
    for suffix in (".json", ".csv", ".xlsx"):
        assert export(payload, tmp_path / f"r{suffix}", "ja").stat().st_size > 0
    saved = save_result(payload, scenario)
    again = save_result(run_scenario(demo, scenario), scenario)
    assert models.Scenario.objects.count() == 1
    assert saved.scenario_hash == again.scenario_hash == scenario.hash
    assert saved.payload["lost_margin"] == again.payload["lost_margin"]
    assert saved.data_version == demo.chain.version and saved.solver_version.startswith("HiGHS")
    swept = save_result(sweep(demo.chain, "site"))
    assert swept.kind == "sweep" and swept.payload["rows"]
