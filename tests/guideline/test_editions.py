"""Edition mappings: checks, and answers carried forward by hand-worked rules."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from econsec.guideline.editions import (
    Dropped,
    ItemValues,
    carry_forward,
    check_edition_mapping,
    edition_mapping_from_dict,
)
from econsec.guideline.frameworks import Framework, framework_from_dict, framework_to_dict
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.scoring import Result


def second_edition(mini: Framework) -> Framework:
    """mini-1 reworked: q1 kept, q2 reworded, q3 split in two, q4+q5 merged, q6 dropped,
    qn new; item X-2 dropped, item Y-1 reworded, item Z-1 new."""
    raw: dict[str, Any] = copy.deepcopy(framework_to_dict(mini))
    raw["id"], raw["edition"] = "mini-2", "2"
    x1, _x2 = raw["areas"][0]["items"]
    x1["questions"][1]["text"] = {"ja": "設問2(改)", "en": "Question 2 (revised)"}
    x1["questions"] += [
        {"id": "q3a", "text": {"ja": "設問3a", "en": "Question 3a"}},
        {"id": "q3b", "text": {"ja": "設問3b", "en": "Question 3b"}},
    ]
    raw["areas"][0]["items"] = [x1]
    y1 = raw["areas"][1]["items"][0]
    y1["name"] = {"ja": "項目Y1(改)", "en": "Item Y1 (revised)"}
    y1["questions"] = [{"id": "q45", "text": {"ja": "設問45", "en": "Question 45"}}]
    z1 = copy.deepcopy(y1)
    z1["id"] = "Z-1"
    z1["questions"] = [{"id": "qn", "text": {"ja": "新設問", "en": "New question"}}]
    raw["areas"][1]["items"].append(z1)
    return framework_from_dict(raw, "mini-2")


MAPPING: dict[str, Any] = {
    "schema": "econsec.guideline.edition-mapping/1",
    "from": {"framework": "mini-1", "version": 1},
    "to": {"framework": "mini-2", "version": 1},
    "items": [
        {"from": "X-1", "to": "X-1", "relation": "equal"},
        {"from": "X-2", "relation": "removed"},
        {"from": "Y-1", "to": "Y-1", "relation": "changed"},
        {"to": "Z-1", "relation": "new"},
    ],
    "questions": [
        {"from": "q1", "to": "q1", "relation": "equal"},
        {"from": "q2", "to": "q2", "relation": "changed", "note": "reworded"},
        {"from": "q3", "to": ["q3a", "q3b"], "relation": "split"},
        {"from": ["q4", "q5"], "to": "q45", "relation": "merged"},
        {"from": "q6", "relation": "removed"},
        {"to": "qn", "relation": "new"},
    ],
}


def test_carry_forward_by_relation(mini: Framework) -> None:
    new = second_edition(mini)
    mapping = edition_mapping_from_dict(MAPPING)
    assert check_edition_mapping(mapping, mini, new) == []
    answers = {
        "q1": (Result.DONE, "ok"),
        "q2": (Result.PARTIAL, ""),
        "q3": (Result.DONE, "x"),
        "q4": (Result.DONE, "c4"),
        "q5": (Result.PARTIAL, "c5"),
        "q6": (Result.NOT_DONE, ""),
    }
    items = {
        "X-1": ItemValues(3, "Sato", dt.date(2026, 3, 31), "fine"),
        "X-2": ItemValues(maturity=1),
        "Y-1": ItemValues(2, "Ito"),
    }
    carried = carry_forward(mapping, mini, new, answers, items)
    assert carried.questions == {
        "q1": (Result.DONE, "ok"),
        "q2": (Result.PARTIAL, ""),
        "q3a": (Result.DONE, "x"),
        "q3b": (Result.DONE, "x"),
        # merged: the weaker result, comments kept with their old ids
        "q45": (Result.PARTIAL, "[q4] c4\n[q5] c5"),
    }
    assert carried.items == {
        "X-1": ItemValues(3, "Sato", dt.date(2026, 3, 31), "fine"),
        "Y-1": ItemValues(2, "Ito"),
    }
    assert carried.review_questions == ("q2", "q3a", "q3b", "q45")
    assert carried.review_items == ("Y-1",)
    assert carried.new_questions == ("qn",) and carried.new_items == ("Z-1",)
    assert carried.removed == (
        Dropped("item", "X-2", maturity=1),
        Dropped("question", "q6", result="not_done"),
    )
    assert carried.copied == 5 + 2


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([Result.NA, Result.NA], Result.NA),
        ([Result.NA, Result.DONE], Result.DONE),
        ([Result.DONE, Result.NOT_DONE], Result.NOT_DONE),
    ],
)
def test_merged_result_is_the_weakest_applicable(
    mini: Framework, given: list[Result], expected: Result
) -> None:
    new = second_edition(mini)
    mapping = edition_mapping_from_dict(MAPPING)
    answers = {"q4": (given[0], ""), "q5": (given[1], "")}
    assert carry_forward(mapping, mini, new, answers, {}).questions["q45"] == (expected, "")


def test_merged_items_take_lowest_maturity_and_earliest_due(mini: Framework) -> None:
    raw = copy.deepcopy(MAPPING)
    raw["items"] = [
        {"from": ["X-1", "X-2"], "to": "X-1", "relation": "merged"},
        {"from": "Y-1", "to": "Y-1", "relation": "equal"},
        {"to": "Z-1", "relation": "new"},
    ]
    mapping = edition_mapping_from_dict(raw)
    new = second_edition(mini)
    assert check_edition_mapping(mapping, mini, new) == []
    items = {
        "X-1": ItemValues(3, "Sato", dt.date(2026, 6, 1), "a"),
        "X-2": ItemValues(1, "Ito", dt.date(2026, 3, 1), ""),
    }
    carried = carry_forward(mapping, mini, new, {}, items)
    assert carried.items["X-1"] == ItemValues(1, "Sato, Ito", dt.date(2026, 3, 1), "[X-1] a")
    assert carried.review_items == ("X-1",)


def test_unlisted_changed_maps_same_ids_and_reports_the_rest(mini: Framework) -> None:
    new = second_edition(mini)
    raw = {k: MAPPING[k] for k in ("schema", "from", "to")} | {"unlisted": "changed"}
    mapping = edition_mapping_from_dict(raw)
    assert check_edition_mapping(mapping, mini, new) == []
    answers = {q: (Result.DONE, "") for q in mini.question_index}
    carried = carry_forward(mapping, mini, new, answers, {})
    assert set(carried.questions) == {"q1", "q2"}
    assert carried.review_questions == ("q1", "q2")
    assert carried.new_questions == ("q3a", "q3b", "q45", "qn")
    assert [d.id for d in carried.removed] == ["q3", "q4", "q5", "q6"]


def test_mapping_problems_are_located(mini: Framework) -> None:
    new = second_edition(mini)
    raw = copy.deepcopy(MAPPING)
    raw["questions"][0] = {"from": "q1", "to": ["q1", "qn"], "relation": "equal"}
    raw["questions"][4] = {"from": "q9", "relation": "removed"}
    del raw["items"][3]
    problems = check_edition_mapping(edition_mapping_from_dict(raw), mini, new, "m.yaml")
    got = [(p.where, p.key, dict(p.params)) for p in problems]
    assert got == [
        ("m.yaml: items", "guideline.edition.unlisted_to", {"kind": "item", "id": "Z-1"}),
        (
            "m.yaml: questions/0",
            "guideline.edition.arity",
            {"relation": "equal", "sources": 1, "targets": 2},
        ),
        ("m.yaml: questions/4", "guideline.edition.unknown_from", {"kind": "question", "id": "q9"}),
        (
            "m.yaml: questions/5",
            "guideline.edition.listed_twice",
            {"id": "qn", "first": "questions/0"},
        ),
        ("m.yaml: questions", "guideline.edition.unlisted_from", {"kind": "question", "id": "q6"}),
    ]
    assert "Z-1" in problems[0].message("ja") and "新版" in problems[0].message("ja")


def test_mapping_for_other_editions_is_refused(mini: Framework) -> None:
    raw = copy.deepcopy(MAPPING)
    raw["from"]["version"] = 2
    problems = check_edition_mapping(edition_mapping_from_dict(raw), mini, second_edition(mini))
    assert [(p.key, p.params["named"]) for p in problems] == [
        ("guideline.edition.wrong_framework", "mini-1@2")
    ]


def test_malformed_mapping_is_located() -> None:
    raw = copy.deepcopy(MAPPING)
    raw["questions"][0]["relation"] = "same"
    del raw["to"]["version"]
    with pytest.raises(ImportProblems) as caught:
        edition_mapping_from_dict(raw, "m.yaml")
    assert [p.where for p in caught.value.problems] == [
        "m.yaml: questions/0/relation",
        "m.yaml: to",
    ]
