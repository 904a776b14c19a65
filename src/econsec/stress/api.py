"""The Python API of the stress tests: run a scenario, sweep a network, export results."""

from __future__ import annotations

from typing import Any

from econsec.stress.engine import Engine
from econsec.stress.results import export, scenario_result
from econsec.stress.scenario import Scenario, load_scenario, parse_scenario, resolve
from econsec.stress.sweep import local_executor, sweep
from econsec.valuechain.compiled import CompiledChain

__all__ = [
    "Engine",
    "export",
    "load_scenario",
    "local_executor",
    "parse_scenario",
    "run_scenario",
    "sweep",
]


def run_scenario(
    chain: CompiledChain | Engine, scenario: Scenario, *, per_product: bool = True
) -> dict[str, Any]:
    """Resolve ``scenario`` on the chain, solve TTR (over its duration) and TTS, return the payload."""
    engine = chain if isinstance(chain, Engine) else Engine(chain)
    disruption = resolve(scenario, engine.chain)
    outcome = engine.run(
        disruption, scenario.duration_weeks, per_product=per_product, full_service=True
    )
    return scenario_result(engine, scenario, outcome)
