"""The fast sweep against a per-scenario full rebuild, normal-time shortfall against the plain LP,
and the no-LP shortcut against the LP (docs/decisions/0071)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.stress.sweep import sweep
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables
from tests.stress.reference import reference_ttr, reference_tts


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def untouched(chain) -> Disruption:  # type: ignore[no-untyped-def]
    return Disruption(
        np.ones(chain.n_nodes),
        np.zeros(chain.n_links, dtype=bool),
        np.zeros(chain.alt_src.shape[0], dtype=bool),
    )


@pytest.mark.parametrize("seed", range(16))
def test_normal_shortfall_matches_plain_lp(seed: int) -> None:
    """Lost margin with nothing disrupted equals the plain LP's, at several horizons."""
    chain = compile_tables(random_tables(seed, tight=True))
    engine = Engine(chain)
    for horizon in (1.0, 6.0, 20.0):
        expected = reference_ttr(chain, untouched(chain), horizon)
        assert close(engine.normal_lost_margin(horizon), expected), (horizon, expected)
    # The served rows are served for ever in normal times.
    served = np.flatnonzero(engine.prog.served)
    assert reference_tts(chain, untouched(chain), served) == math.inf


@pytest.mark.parametrize("seed", range(10))
def test_fast_sweep_equals_full_rebuild_per_scenario(seed: int) -> None:
    """Every row of the sweep equals a whole programme rebuilt and solved for that site alone."""
    chain = compile_tables(random_tables(seed, tight=bool(seed % 2)))
    payload = sweep(chain, "site", default_ttr_weeks=10.0, chunk_size=3)
    node_site = chain.node_site
    for row in payload["rows"]:
        site = chain.site_ids.index(row["id"])
        factor = np.where(node_site == site, 0.0, 1.0)
        dis = Disruption(
            factor, np.zeros(chain.n_links, bool), np.zeros(chain.alt_src.shape[0], bool)
        )
        fresh = Engine(chain)
        full = fresh.run(dis, row["ttr_weeks"], per_product=False, full=True, fresh_models=True)
        assert close(row["lost_margin"], full.lost_margin), row
        assert close(row["normal_lost_margin"], full.normal_lost_margin), row
        tts = None if math.isinf(full.tts_weeks) else full.tts_weeks
        assert close(row["tts_weeks"], tts), row
        assert row["excess_lost_margin"] >= 0.0


def _with_dead_end(seed: int) -> dict[str, list[dict[str, object]]]:
    """A random chain plus a site whose part feeds only an item nobody sells."""
    tables = random_tables(seed, tight=True)
    tables["organisations"].append(
        {"org_id": "OX", "name": "OX", "kind": "supplier", "country": "CN"}
    )
    tables["sites"].append(
        {"site_id": "X", "org_id": "OX", "name": "X", "country": "CN", "kind": "plant"}
    )
    tables["items"] += [
        {"item_id": "SPARE", "name": "SPARE", "kind": "component", "unit": "pcs"},
        {"item_id": "KIT", "name": "KIT", "kind": "component", "unit": "pcs"},
    ]
    tables["bom"].append(
        {"parent_item_id": "KIT", "child_item_id": "SPARE", "quantity_per_unit": 2}
    )
    tables["production"] += [
        {"site_id": "X", "item_id": "SPARE", "capacity_per_week": 50.0},
        {"site_id": "S0", "item_id": "KIT", "capacity_per_week": 20.0},
    ]
    tables["supply_links"].append(
        {
            "supplier_site_id": "X",
            "item_id": "SPARE",
            "receiving_site_id": "S0",
            "share": 1.0,
            "qualified": True,
            "chokepoints": [],
        }
    )
    return tables


@pytest.mark.parametrize("seed", range(12))
def test_shortcut_without_reachable_market_equals_lp(seed: int) -> None:
    chain = compile_tables(_with_dead_end(seed))
    engine = Engine(chain)
    site = chain.site_ids.index("X")
    dis = Disruption(
        np.where(chain.node_site == site, 0.0, 1.0),
        np.zeros(chain.n_links, bool),
        np.zeros(chain.alt_src.shape[0], bool),
    )
    out = engine.run(dis, 12.0)
    assert out.shortcut and out.lp_solves == 0
    assert close(out.lost_margin, reference_ttr(chain, dis, 12.0))
    assert out.excess_lost_margin == 0.0
    served = np.flatnonzero(engine.prog.served)
    assert close(out.tts_weeks, reference_tts(chain, dis, served))
