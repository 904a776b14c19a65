"""The investment case of a set of measures: EAL before and after, NPV, payback, ROI, tornado.

"After" is the same Monte Carlo (same risks, seed and draws) on the chain with the measures
compiled in (measures.py); a faster recovery scales the durations of the risks of its site.
Cash flows: the one-off cost now, then each year the avoided expected loss less the annual
cost, discounted at ``rate`` over ``horizon`` years. Payback is undiscounted (one-off ÷ net
yearly benefit); ROI is (avoided loss − cost) ÷ cost over the horizon, undiscounted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from econsec.planning.curves import Key, build_curves
from econsec.planning.likelihood import Risk
from econsec.planning.losscurve import LossCurve
from econsec.planning.measures import Applied, CostParameters
from econsec.planning.montecarlo import curve_loss, draw, simulate
from econsec.stress.engine import Engine
from econsec.valuechain.compiled import CompiledChain


def cash_flow(
    eal_before: float,
    eal_after: float,
    one_off: float,
    annual: float,
    horizon_years: int,
    rate_pct: float,
) -> dict[str, Any]:
    """NPV, payback and ROI of paying ``one_off`` now and ``annual`` a year to avoid EAL."""
    benefit = eal_before - eal_after - annual
    r = rate_pct / 100.0
    npv = -one_off + sum(benefit / (1.0 + r) ** y for y in range(1, horizon_years + 1))
    cost = one_off + annual * horizon_years
    avoided = (eal_before - eal_after) * horizon_years
    return {
        "avoided_per_year": eal_before - eal_after,
        "net_benefit_per_year": benefit,
        "npv": npv,
        "payback_years": one_off / benefit if benefit > 0 else None,
        "roi": (avoided - cost) / cost if cost > 0 else None,
    }


def risks_after(risks: list[Risk], applied: Applied) -> list[Risk]:
    """Risks with durations scaled where a measure shortens a site's recovery time."""
    out = []
    for r in risks:
        factors = [applied.ttr_factor[s] for s in r.sites if s in applied.ttr_factor]
        if factors and r.kind == "site":
            r = replace(r, duration=r.duration.scaled(min(factors)))
        out.append(r)
    return out


@dataclass
class Evaluator:
    """EAL of a risk list on one chain, reusing loss curves across evaluations."""

    chain: CompiledChain
    max_weeks: float
    years: int
    seed: int
    joint: bool = True

    def __post_init__(self) -> None:
        self.engine = Engine(self.chain)
        self.curves: dict[Key, LossCurve] = {}  # one risk list per evaluator

    def eal(self, risks: list[Risk], frequency: float = 1.0, duration: float = 1.0) -> float:
        scaled = [
            replace(r, frequency=r.frequency * frequency, duration=r.duration.scaled(duration))
            for r in risks
        ]
        events = draw(scaled, self.years, self.seed, self.max_weeks)
        keys: list[Key] = sorted({(int(i),) for i in set(events.risk.tolist())})
        if self.joint:
            keys += events.joint_keys()
        # Curves depend on the disruption only, not on frequency or duration: one per key.
        missing = [k for k in keys if k not in self.curves]
        self.curves.update(
            build_curves(self.chain, risks, missing, self.max_weeks, engine=self.engine)
        )
        return simulate(scaled, events, curve_loss(self.curves), self.seed, joint=self.joint).stats[
            "eal"
        ]


def investment_case(
    chain: CompiledChain,
    applied: Applied,
    risks: list[Risk],
    *,
    max_weeks: float,
    years: int,
    seed: int,
    horizon_years: int = 10,
    params: CostParameters | None = None,
    joint: bool = True,
) -> dict[str, Any]:
    """EAL before/after, the cash-flow figures, and a tornado (±50 %)."""
    params = params or CostParameters()
    before = Evaluator(chain, max_weeks, years, seed, joint)
    after = Evaluator(applied.chain, max_weeks, years, seed, joint)
    moved = risks_after(risks, applied)
    one_off = sum(m.one_off_cost for m in applied.measures)
    annual = sum(m.annual_cost for m in applied.measures)

    def npv(freq: float = 1.0, dur: float = 1.0, cost: float = 1.0) -> float:
        flows = cash_flow(
            before.eal(risks, freq, dur), after.eal(moved, freq, dur), one_off * cost,
            annual * cost, horizon_years, params.discount_rate_pct,
        )  # fmt: skip
        return float(flows["npv"])

    eal_before, eal_after = before.eal(risks), after.eal(moved)
    flows = cash_flow(
        eal_before, eal_after, one_off, annual, horizon_years, params.discount_rate_pct
    )
    tornado = [
        {"factor": "frequencies", "low": npv(freq=0.5), "high": npv(freq=1.5)},
        {"factor": "durations", "low": npv(dur=0.5), "high": npv(dur=1.5)},
        {"factor": "costs", "low": npv(cost=0.5), "high": npv(cost=1.5)},
    ]
    return {
        "data_version_before": chain.version,
        "data_version_after": applied.chain.version,
        "measures": [m.to_dict() for m in applied.measures],
        "one_off_cost": one_off,
        "annual_cost": annual,
        "eal_before": eal_before,
        "eal_after": eal_after,
        "horizon_years": horizon_years,
        "discount_rate_pct": params.discount_rate_pct,
        **flows,
        "tornado": tornado,
        "years": years,
        "seed": seed,
        "joint": joint,
    }
