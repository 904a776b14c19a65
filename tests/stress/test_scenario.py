"""Scenario files: validation errors name file, line and field; hashes follow content."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from econsec.stress.errors import StressError
from econsec.stress.scenario import parse_scenario, resolve
from econsec.valuechain.compile import compile_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "valuechain"))
from minichain import mini_tables


def error_of(text: str) -> StressError:
    with pytest.raises(StressError) as info:
        sc = parse_scenario(text, source="s.yaml")
        resolve(sc, compile_tables(mini_tables()))
    return info.value


def test_malformed_yaml_names_the_line() -> None:
    err = error_of("name: x\nduration_weeks: 3\nevents: [\n  {kind: disruption\n")
    assert err.key == "yaml.syntax"
    assert "s.yaml" in err.message("en") and "line" in err.message("en")
    assert "行目" in err.message("ja")


def test_negative_duration_names_line_and_field() -> None:
    err = error_of("name: x\nevents: [{kind: disruption, sites: [N1]}]\nduration_weeks: -4\n")
    assert err.key == "stress.scenario.invalid"
    assert err.params["line"] == 3 and err.params["field"] == "duration_weeks"


def test_bad_event_field_is_located() -> None:
    err = error_of(
        "name: x\nduration_weeks: 3\nevents:\n  - kind: disruption\n    sites: [N1]\n  - kind: disruption\n    capacity_loss: 1.5\n    sites: [T1]\n"
    )
    assert err.params["field"] == "events[1].capacity_loss"
    assert err.params["line"] == 7


def test_unknown_site_is_named() -> None:
    err = error_of("name: x\nduration_weeks: 3\nevents: [{kind: disruption, sites: [N1, NOPE]}]")
    assert err.key == "stress.scenario.unknown_id"
    assert "NOPE" in err.message("en") and "events[0]" in err.message("en")
    assert "NOPE" in err.message("ja")


def test_event_without_target_is_rejected() -> None:
    err = error_of("name: x\nduration_weeks: 3\nevents: [{kind: sanction}]")
    assert err.key == "stress.scenario.invalid"


def test_hash_ignores_layout_and_order_but_not_content() -> None:
    a = parse_scenario("name: x\nduration_weeks: 3\nevents: [{kind: disruption, sites: [N1, T1]}]")
    b = parse_scenario(
        "# comment\nevents:\n- sites: [T1, N1]\n  kind: disruption\nduration_weeks: 3.0\nname: x\n"
    )
    c = parse_scenario("name: x\nduration_weeks: 4\nevents: [{kind: disruption, sites: [N1, T1]}]")
    assert a.hash == b.hash != c.hash


def test_matching_nothing_is_noted_not_fatal() -> None:
    sc = parse_scenario("name: x\nduration_weeks: 3\nevents: [{kind: disruption, countries: [FR]}]")
    dis = resolve(sc, compile_tables(mini_tables()))
    assert dis.empty and dis.notes[0][0] == "stress.scenario.matches_nothing"


def test_infeasible_programme_is_reported_not_a_number() -> None:
    from econsec.stress.engine import Engine

    tables = mini_tables()
    tables["inventory"][0]["on_hand_units"] = float("nan")
    with pytest.raises(StressError) as info:
        Engine(compile_tables(tables, version="nan-test"))
    assert info.value.key == "stress.programme.bad_number"
    assert "slot_inventory" in info.value.message("en")


def test_solver_reports_infeasible_and_unbounded_as_such() -> None:
    import numpy as np
    import scipy.sparse as sp

    from econsec.stress.lp import INFEASIBLE, UNBOUNDED, Model

    # x ≤ −1 with x ≥ 0: infeasible.  min −x with x ≥ 0 and no row: unbounded.
    m = Model(
        sp.csc_matrix(np.array([[1.0]])),
        np.array([1.0]),
        np.zeros(1),
        np.full(1, np.inf),
        np.array([-1.0]),
    )
    sol = m.solve()
    assert sol.status == INFEASIBLE and sol.col_value.size == 0
    m = Model(
        sp.csc_matrix(np.array([[0.0]])),
        np.array([-1.0]),
        np.zeros(1),
        np.full(1, np.inf),
        np.array([1.0]),
    )
    assert m.solve().status == UNBOUNDED
    err = StressError("stress.programme.not_optimal", what="TTS", status=INFEASIBLE)
    assert "infeasible" in err.message("en") and "TTS" in err.message("ja")
