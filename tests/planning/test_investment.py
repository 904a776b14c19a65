"""The investment case: cash-flow arithmetic by hand; "after" equals re-running on the chain
with the measures applied; a faster recovery shortens its site's durations."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.planning.investment import cash_flow, investment_case, risks_after
from econsec.planning.likelihood import Duration, Risk
from econsec.planning.measures import Measure, apply_measures
from econsec.planning.montecarlo import direct_loss, draw, simulate
from econsec.stress.engine import Engine
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables


def test_cash_flow_by_hand() -> None:
    f = cash_flow(100.0, 40.0, 100.0, 10.0, 3, 10.0)
    assert f["net_benefit_per_year"] == 50.0
    assert f["npv"] == pytest.approx(-100 + 50 / 1.1 + 50 / 1.21 + 50 / 1.331)
    assert f["payback_years"] == 2.0
    assert f["roi"] == pytest.approx((60 * 3 - 130) / 130)


def test_after_equals_rerun_with_measures_applied() -> None:
    chain = compile_tables(random_tables(4))
    site = int(np.flatnonzero(np.isfinite(chain.site_ttr_weeks))[2])
    slot = 0
    measures = [
        Measure("stock", "safety_stock", site=chain.site_ids[chain.slot_site[slot]],
                item=chain.item_ids[chain.slot_item[slot]], units=500.0, unit_value=10.0),
        Measure("bcp", "faster_recovery", site=chain.site_ids[site],
                ttr_weeks=float(chain.site_ttr_weeks[site]) / 2, one_off_cost=1000.0),
    ]  # fmt: skip
    applied = apply_measures(chain, measures)
    risks = [
        Risk(f"site:{chain.site_ids[s]}", "", "site", 0.5, Duration("fixed", 8.0), (s,))
        for s in range(len(chain.site_ids))
    ]
    case = investment_case(chain, applied, risks, max_weeks=30.0, years=40, seed=2)
    moved = risks_after(risks, applied)
    assert moved[site].duration.a == 4.0 and moved[0].duration.a in (8.0, 4.0)
    # Independently: direct TTR solves per event on the changed chain, same draw.
    events = draw(moved, 40, 2, 30.0)
    engine = Engine(applied.chain)
    direct = simulate(moved, events, direct_loss(engine, moved), 2)
    assert case["eal_after"] == pytest.approx(direct.stats["eal"], rel=1e-6, abs=1e-6)
    assert case["eal_before"] > case["eal_after"] > 0
    assert case["one_off_cost"] == 1000.0 and case["annual_cost"] == pytest.approx(0.2 * 5000)
    assert {t["factor"] for t in case["tornado"]} == {"frequencies", "durations", "costs"}
