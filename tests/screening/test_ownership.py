"""The 50% rule on hand-worked ownership graphs, and list diffs."""

from __future__ import annotations

from econsec.screening.diff import diff_fingerprints, fingerprints
from econsec.screening.entity import ListEntity
from econsec.screening.ownership import fifty_percent_rule, ownership_chain


def test_aggregate_of_two_listed_owners() -> None:
    # A (listed) owns 30% of C, B (listed) owns 25%: 55% in aggregate flags C.
    owners = {"C": [("A", 30.0), ("B", 25.0), ("X", 45.0)]}
    flags = fifty_percent_rule(owners, {"A", "B"})
    assert set(flags) == {"C"}
    assert flags["C"].aggregate_pct == 55.0
    assert set(flags["C"].chains) == {("A", "C"), ("B", "C")}


def test_below_fifty_is_not_flagged() -> None:
    assert fifty_percent_rule({"C": [("A", 49.9), ("X", 50.1)]}, {"A"}) == {}


def test_indirect_chain_through_flagged_subsidiary() -> None:
    # A listed → 60% of B → 50% of C → 100% of D: all three are flagged, chain shown.
    owners = {"B": [("A", 60.0)], "C": [("B", 50.0)], "D": [("C", 100.0)]}
    flags = fifty_percent_rule(owners, {"A"})
    assert set(flags) == {"B", "C", "D"}
    assert flags["D"].chains == (("A", "B", "C", "D"),)


def test_cycle_terminates() -> None:
    owners = {"B": [("C", 40.0)], "C": [("B", 40.0)]}
    assert fifty_percent_rule(owners, {"A"}) == {}
    assert ownership_chain({"B": "C", "C": "B"}, "B") == ["C"]


def test_diff_added_changed_removed() -> None:
    old = [ListEntity("1", "A"), ListEntity("2", "B"), ListEntity("3", "C")]
    new = [ListEntity("1", "A"), ListEntity("2", "B2"), ListEntity("4", "D")]
    diff = diff_fingerprints(fingerprints(old), fingerprints(new))
    assert diff.added == ("4",) and diff.changed == ("2",) and diff.removed == ("3",)
    assert diff.unchanged == 1 and diff.touched == {"2", "4"}
