"""CISO Assistant library export: passes the format checks and reads back identically."""

from __future__ import annotations

import copy

import pytest
import yaml

from econsec.guideline.ciso import check_library, export_library, import_library
from econsec.guideline.frameworks import Framework, builtin_frameworks
from econsec.guideline.interchange_errors import ImportProblems


@pytest.mark.parametrize("framework_id", ["esmg-1.0-draft", "tlcg-1"])
def test_export_is_valid_and_round_trips(framework_id: str) -> None:
    framework = builtin_frameworks()[framework_id]
    library = export_library(framework)
    assert check_library(library) == []
    text = yaml.safe_dump(library, allow_unicode=True, sort_keys=False)
    reread = yaml.safe_load(text)
    assert import_library(reread) == framework


def test_export_shape(mini: Framework) -> None:
    library = export_library(mini)
    assert library["urn"] == "urn:econsec:risk:library:mini-1"
    fw = library["objects"]["framework"]
    assert [s["score"] for s in fw["scores_definition"]] == [0, 1, 2, 3, 4]
    nodes = {n["ref_id"]: n for n in fw["requirement_nodes"]}
    assert nodes["X"]["depth"] == 1 and "parent_urn" not in nodes["X"]
    assert (
        nodes["X-1"]["parent_urn"] == nodes["X"]["urn"]
        and nodes["X-1"]["importance"] == "mandatory"
    )
    assert nodes["q1"]["assessable"] and nodes["q1"]["depth"] == 3
    assert nodes["q3"]["implementation_groups"] == ["P1", "P2"]
    assert nodes["q1"]["translations"]["en"]["description"] == "Question 1"
    urns = [n["urn"] for n in fw["requirement_nodes"]]
    assert len(urns) == len(set(urns)) and all(u == u.lower() for u in urns)


def _nodes(library: dict) -> list[dict]:
    return library["objects"]["framework"]["requirement_nodes"]


@pytest.mark.parametrize(
    ("damage", "key"),
    [
        (lambda lib: lib.pop("packager"), "guideline.ciso.missing"),
        (
            lambda lib: _nodes(lib)[1].update(urn=_nodes(lib)[0]["urn"]),
            "guideline.ciso.duplicate_urn",
        ),
        (
            lambda lib: _nodes(lib)[2].update(urn=_nodes(lib)[2]["urn"].upper()),
            "guideline.ciso.urn_case",
        ),
        (
            lambda lib: _nodes(lib)[2].update(parent_urn="urn:econsec:risk:req_node:mini-1:zz"),
            "guideline.ciso.no_parent",
        ),
        (lambda lib: _nodes(lib)[2].update(depth=2), "guideline.ciso.depth"),
        (lambda lib: _nodes(lib)[0].update(depth=2), "guideline.ciso.depth"),
        (
            lambda lib: _nodes(lib)[2].update(implementation_groups=["P7"]),
            "guideline.ciso.unknown_group",
        ),
        (lambda lib: _nodes(lib)[1].update(importance="critical"), "guideline.ciso.importance"),
    ],
)
def test_checker_catches_format_violations(mini: Framework, damage, key: str) -> None:
    library = copy.deepcopy(export_library(mini))
    damage(library)
    problems = check_library(library)
    assert key in {p.key for p in problems}
    with pytest.raises(ImportProblems):
        import_library(library)
