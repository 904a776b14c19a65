"""Hostile YAML for the planning files (measures, risks): an alias bomb and a file of 60,000
values are refused, located (file, line), in ja and en, within the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import load_risks
from econsec.planning.measures import load_measures
from econsec.valuechain.compile import compile_tables
from tests.hostile import files
from tests.hostile.budget import measured
from tests.stress.netgen import random_tables

ALIASES = "measures:\n  - &m {id: a, kind: safety_stock, site: J1, item: P0}\n" + "  - *m\n" * 999


# 60,000 values in 120 KB: under the size cap, over the loader's 50,000-value cap.
VALUES = "measures: [" + "0," * 59_999 + "0]\n"
RISK_VALUES = "scenarios:\n  - {file: x.yaml, sources: [" + "0," * 59_999 + "0]}\n"


@pytest.mark.parametrize(
    ("text", "loader"),
    [(ALIASES, "measures"), (ALIASES, "risks"), (VALUES, "measures"), (RISK_VALUES, "risks")],
)
def test_hostile_planning_yaml_is_refused_located(text: str, loader: str, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    chain = compile_tables(random_tables(2))
    with measured() as budget, pytest.raises(PlanningError) as err:
        if loader == "measures":
            load_measures(path)
        else:
            load_risks(path, chain)
    budget.check()
    en, ja = err.value.message("en"), err.value.message("ja")
    assert "p.yaml" in en and "line" in en, en
    assert "p.yaml" in ja and "行目" in ja, ja


def test_characters_in_measure_ids_stay_text(tmp_path: Path) -> None:
    for name, chars in files.CHARACTERS.items():
        path = tmp_path / "m.yaml"
        path.write_text(f'measures:\n  - {{id: "{chars}", kind: teleport}}\n', encoding="utf-8")
        with pytest.raises(PlanningError) as err:
            load_measures(path)
        assert "m.yaml" in err.value.message("en"), name
        assert "m.yaml" in err.value.message("ja"), name
