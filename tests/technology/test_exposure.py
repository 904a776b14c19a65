"""The exposure engine on a hand-worked register and against a brute-force recomputation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from econsec.technology import exposure as ex
from econsec.technology.routes import load_routes, matrix

# Two technologies. T0 is held at a JV plant in a country of concern by a JV partner without an
# exit clause, 42 people have access (30 without a need-to-know reason); T1 is held at home.
FACTS = dict(
    exhibited=[False, True],
    hold_tech=[0, 0, 1], hold_kind=[0, 1, 0], hold_overseas=[True, False, False],
    hold_concern=[True, False, False], hold_label=["Ningbo JV", "PLM", "Home plant"],
    hold_country=["CN", "JP", "JP"],
    acc_tech=[0, 0, 1], acc_headcount=[12, 30, 5], acc_key=[True, False, False],
    acc_reason=[True, False, True], acc_label=["R&D", "JV engineers", "Design"],
    org_concern=[True, False], org_hit=[True, False], org_label=["Xici", "Nordlicht"],
    org_country=["CN", "DE"],
    pl_tech=[0, 1], pl_org=[0, 1], pl_role=[0, 2], pl_nda=[False, True], pl_exit=[False, True],
    ctl_tech=[-1, 0], ctl_route=[0, 1], ctl_status=[2, 1],
    inc_tech=[0], inc_route=[3], inc_open=[True],
)  # fmt: skip
ROUTES = ex.route_matrix([
    ("withdrawal", {"no_exit_clause": 0.6, "jv_partner": 0.2, "concern_site": 0.3}),
    ("people", {"headcount": 0.5, "no_need_to_know": 0.3}),
    ("trade", {"exhibited": 0.5}),
    ("cyber", {"digital": 0.2}),
])  # fmt: skip


def test_hand_worked_cells() -> None:
    facts = ex.Facts.build(2, **FACTS)
    res = ex.exposure(facts, ROUTES)
    # T0 withdrawal: 0.6 + 0.2 + 0.3 = 1.1 → 1; the general control in place on route 0 halves
    # it: 0.5 (medium).
    assert res.score[0, 0] == pytest.approx(0.5)
    assert ex.LEVELS[res.level[0, 0]] == "medium"
    # T0 people: headcount 42/50 = 0.84 → 0.42; need-to-know 30/42 → 0.3·0.714 = 0.2143;
    # sum 0.6343, partial control ×0.75 = 0.4757 (medium).
    assert res.score[0, 1] == pytest.approx((0.5 * 42 / 50 + 0.3 * 30 / 42) * 0.75)
    # T1 people: 5 people, all with a reason: 0.5·0.1 = 0.05 → low (floor 0.05).
    assert res.score[1, 1] == pytest.approx(0.05) and ex.LEVELS[res.level[1, 1]] == "low"
    # T1 trade: exhibited 0.5 → medium; T0 not exhibited → 0.
    assert res.score[1, 2] == pytest.approx(0.5) and res.score[0, 2] == 0
    # T0 cyber: digital 0.2 + one open incident 0.3 = 0.5.
    assert res.score[0, 3] == pytest.approx(0.5) and res.incidents[0, 3] == 1
    gaps = {tuple(c) for c in res.gaps().tolist()}
    assert (0, 0) not in gaps  # control in place
    assert {(0, 1), (1, 2), (0, 3)} <= gaps


def test_reasons_name_the_facts() -> None:
    facts = ex.Facts.build(2, **FACTS)
    res = ex.exposure(facts, ROUTES)
    why = ex.Explainer(facts, ROUTES, res).cell_reasons(0, 0)
    keys = [r.key for r in why]
    assert keys[:3] == ["technology.reason.no_exit_clause", "technology.reason.concern_site",
                        "technology.reason.jv_partner"]  # fmt: skip
    assert why[0].params["partners"] == "Xici"
    assert why[1].params["where"] == "Ningbo JV (CN)"
    assert keys[-1] == "technology.reason.control.in_place"
    people = ex.Explainer(facts, ROUTES, res).cell_reasons(0, 1)
    assert people[0].params == {"people": 42, "groups": 2, "full": 50}
    assert people[1].params["people"] == 30 and people[1].params["of"] == 42


def _brute(facts: ex.Facts, weights: np.ndarray) -> np.ndarray:
    """Cell by cell, from the definitions in the module docstring."""
    n, r = facts.n_tech, weights.shape[1]
    out = np.zeros((n, r))
    for t, j in itertools.product(range(n), range(r)):
        holds = [k for k in range(len(facts.hold_tech)) if facts.hold_tech[k] == t]
        links = [k for k in range(len(facts.pl_tech)) if facts.pl_tech[k] == t]
        accs = [k for k in range(len(facts.acc_tech)) if facts.acc_tech[k] == t]
        people = sum(int(facts.acc_headcount[k]) for k in accs)
        unreasoned = sum(int(facts.acc_headcount[k]) for k in accs if not facts.acc_reason[k])
        holding_roles = {0, 1, 2}
        s = {
            "overseas_site": any(facts.hold_overseas[k] for k in holds),
            "concern_site": any(facts.hold_concern[k] for k in holds),
            "digital": any(facts.hold_kind[k] > 0 for k in holds),
            "exhibited": bool(facts.exhibited[t]),
            **{role: any(facts.pl_role[k] == i for k in links)
               for i, role in enumerate(ex.PARTNER_ROLES)},
            "partner_concern": any(facts.org_concern[facts.pl_org[k]] for k in links),
            "partner_hit": any(facts.org_hit[facts.pl_org[k]] for k in links),
            "no_nda": any(not facts.pl_nda[k] for k in links),
            "no_exit_clause": any(not facts.pl_exit[k] and facts.pl_role[k] in holding_roles
                                  for k in links),
            "headcount": min(1.0, people / ex.HEADCOUNT_FULL),
            "key_people": any(facts.acc_key[k] and facts.acc_headcount[k] > 0 for k in accs),
            "no_need_to_know": unreasoned / people if people else 0.0,
        }  # fmt: skip
        raw = min(1.0, sum(weights[ex.SIGNAL_INDEX[k], j] * float(v) for k, v in s.items()))
        statuses = [int(facts.ctl_status[k]) for k in range(len(facts.ctl_tech))
                    if facts.ctl_route[k] == j and facts.ctl_tech[k] in (-1, t)]  # fmt: skip
        factor = {None: 1.0, 0: 1.0, 1: 0.75, 2: 0.5}[max(statuses) if statuses else None]
        incidents = sum(1 for k in range(len(facts.inc_tech)) if facts.inc_tech[k] == t
                        and facts.inc_route[k] == j and facts.inc_open[k])  # fmt: skip
        out[t, j] = min(1.0, raw * factor + ex.INCIDENT_BUMP * incidents)
    return out


def random_facts(rng: np.random.Generator, n: int, orgs: int, per: int = 3) -> ex.Facts:
    def pick(size: int, high: int) -> list[int]:
        return rng.integers(0, high, size).tolist()

    def flags(size: int, p: float = 0.5) -> list[bool]:
        return (rng.random(size) < p).tolist()

    h, a, p, c, i = n * per, n * per, n * per, n, n // 2
    return ex.Facts.build(
        n, exhibited=flags(n, 0.2),
        hold_tech=pick(h, n), hold_kind=pick(h, 3), hold_overseas=flags(h), hold_concern=flags(h, 0.2),
        acc_tech=pick(a, n), acc_headcount=pick(a, 40), acc_key=flags(a, 0.3), acc_reason=flags(a),
        org_concern=flags(orgs, 0.2), org_hit=flags(orgs, 0.05),
        pl_tech=pick(p, n), pl_org=pick(p, orgs), pl_role=pick(p, 5), pl_nda=flags(p, 0.7),
        pl_exit=flags(p, 0.5),
        ctl_tech=[x - 1 for x in pick(c, n + 1)], ctl_route=pick(c, 16), ctl_status=pick(c, 3),
        inc_tech=pick(i, n), inc_route=pick(i, 16), inc_open=flags(i, 0.7),
    )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_brute_force(seed: int) -> None:
    routes = matrix()
    facts = random_facts(np.random.default_rng(seed), 25, 30)
    res = ex.exposure(facts, routes)
    assert np.allclose(res.score, _brute(facts, routes.weights))
    # Every cell above none has at least one reason, and each signal reason's weights add up to
    # the raw score before the cap.
    explainer = ex.Explainer(facts, routes, res)
    for t, j in zip(*np.nonzero(res.level), strict=True):
        reasons = explainer.cell_reasons(int(t), int(j))
        assert reasons
        total = sum(r.weight for r in reasons)
        assert min(1.0, total) == pytest.approx(res.raw[t, j])


def test_shipped_routes_are_sixteen_and_bilingual() -> None:
    routes = load_routes()
    assert len(routes) == 16
    assert {r.family for r in routes} == {"overseas", "people", "psia"}
    assert sum(r.family == "psia" for r in routes) == 7
    for r in routes:
        assert r.name["ja"] and r.name["en"] and r.source["ja"] and r.framework_item


def test_a_route_with_an_unknown_signal_is_refused() -> None:
    from econsec.technology.routes import parse_routes

    doc = {"schema": "econsec.leakage_routes/1", "routes": [
        {"id": "x", "family": "people", "name": {"ja": "x", "en": "x"},
         "source": {"ja": "s", "en": "s"}, "signals": {"moon_phase": 0.5}}]}  # fmt: skip
    with pytest.raises(ValueError, match="route 1 \\(x\\): unknown signal moon_phase"):
        parse_routes(doc)
