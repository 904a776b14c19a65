"""Hostile YAML for every place a user supplies it: scenario files, scenario text pasted in the
web page (or sent to the API), framework files, checklist and edition mappings. Each gets a
located error (line and column) in ja and en within the budget; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec import safe_yaml
from econsec.cli import app
from econsec.guideline.checklist_mapping import load_mapping
from econsec.guideline.editions import load_edition_mapping
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.models import StoredFramework
from econsec.stress.errors import StressError
from econsec.stress.scenario import load_scenario, parse_scenario
from tests.hostile import files
from tests.hostile.budget import measured

HEAD = "name: hostile\nduration_weeks: 4\nevents:\n"
SITES = ", ".join(f"S{n:04d}" for n in range(1000))
# The case: one anchored event of 1,000 sites repeated 1,000 times (about 14 KB; the
# aliases made it a million ids and 5.6 s a request).
ALIASED_EVENTS = HEAD + f"  - &e {{kind: disruption, sites: [{SITES}]}}\n" + "  - *e\n" * 999
# (text, the line the error must name)
CASES: dict[str, tuple[str, int]] = {
    "aliases": (ALIASED_EVENTS, 4),
    "alias without anchor text": (HEAD + "  - {kind: disruption, sites: [A]}\n  - *x\n", 5),
    "too many values": (HEAD + "  - {kind: disruption, sites: [" + "A," * 110_000 + "A]}\n", 4),
    "duplicate key": ("name: a\nname: b\n" + HEAD[len("name: hostile\n") :], 2),
    **{
        name: (HEAD.replace("hostile", f'"{text}"') + "  - {kind: disruption, sites: [A]}\n", 1)
        for name, text in files.CHARACTERS.items()
    },
}
SCENARIO_ONLY: dict[str, tuple[str, int]] = {
    "too many ids in one event": (
        HEAD
        + "  - kind: disruption\n    sites: ["
        + ", ".join(f"S{n}" for n in range(10_001))
        + "]\n",
        5,
    ),
}


def _located(message: str, line: int, lang: str) -> bool:
    return f"{line} 行目" in message if lang == "ja" else f"line {line}" in message


def _scenario_from_file(tmp_path: Path) -> Callable[[str], Any]:
    def run(text: str) -> Any:
        path = tmp_path / "s.yaml"
        path.write_bytes(text.encode("utf-8"))  # NUL and friends as they are
        return load_scenario(str(path))

    return run


@pytest.mark.parametrize("case", sorted({**CASES, **SCENARIO_ONLY}))
@pytest.mark.parametrize("entry", ["file", "pasted", "api"])
def test_hostile_scenario_yaml(case: str, entry: str, tmp_path: Path, db: Any) -> None:
    from econsec.stress.models import Scenario
    from econsec.stress.web.run import parse_yaml

    text, line = {**CASES, **SCENARIO_ONLY}[case]
    run: Callable[[str], Any] = {
        "file": _scenario_from_file(tmp_path),
        "pasted": lambda t: parse_yaml(t, "s.yaml"),  # the web page's pasted yaml_text
        "api": lambda t: parse_scenario(t, source="s.yaml"),  # POST /api/stress/scenarios
    }[entry]
    with measured() as spent, pytest.raises(StressError) as caught:
        run(text)
    spent.check()
    for lang in ("ja", "en"):
        message = caught.value.message(lang)
        assert "s.yaml" in message and _located(message, line, lang), message
    assert not Scenario.objects.exists()


def test_yaml_12_numbers_are_numbers() -> None:
    scenario = parse_scenario(HEAD.replace("4", "1e1") + "  - {kind: disruption, sites: [A]}\n")
    assert scenario.duration_weeks == 10.0
    scenario = parse_scenario(HEAD.replace("4", "1.0e1") + "  - {kind: disruption, sites: [A]}\n")
    assert scenario.duration_weeks == 10.0


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_framework_yaml(case: str, tmp_path: Path, db: Any) -> None:
    text, line = CASES[case]
    path = tmp_path / "framework.yaml"
    path.write_bytes(text.encode("utf-8"))
    for lang in ("ja", "en"):
        with measured() as spent:
            result = CliRunner().invoke(app, ["assess", "import", str(path), "--lang", lang])
        spent.check()
        assert result.exit_code == 1, result.output
        output = " ".join(result.output.split())
        assert "framework.yaml" in output and _located(output, line, lang), output
    assert not StoredFramework.objects.filter(origin="imported").exists()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("loader", [load_mapping, load_edition_mapping])
def test_hostile_mapping_yaml(case: str, loader: Callable[[Path], Any], tmp_path: Path) -> None:
    text, line = CASES[case]
    path = tmp_path / "mapping.yaml"
    path.write_bytes(text.encode("utf-8"))
    with measured() as spent, pytest.raises(ImportProblems) as caught:
        loader(path)
    spent.check()
    for lang in ("ja", "en"):
        (message,) = caught.value.messages(lang)
        assert "mapping.yaml" in message and _located(message, line, lang), message


@pytest.mark.parametrize("entry", ["scenario file", "pasted", "api", "framework", "mapping"])
def test_oversized_yaml_is_refused_before_it_is_parsed(entry: str, tmp_path: Path, db: Any) -> None:
    """The size is checked first (pasted text was not held to any limit): the error names the
    file and the limit."""
    from econsec.stress.web.run import parse_yaml

    path = tmp_path / "big.yaml"
    files.oversized(path, 9 * 1024 * 1024)  # over the largest YAML limit (frameworks: 8 MiB)
    text = "# padding\n" * 30_000 + HEAD  # 300 KB: over the scenario limit of 256 KB
    run: Callable[[], Any] = {
        "scenario file": lambda: load_scenario(str(path)),
        "pasted": lambda: parse_yaml(text, "big.yaml"),
        "api": lambda: parse_scenario(text, source="big.yaml"),
        "framework": lambda: CliRunner().invoke(app, ["assess", "import", str(path)]),
        "mapping": lambda: load_mapping(path),
    }[entry]
    with measured() as spent:
        try:
            outcome = run()
        except (StressError, ImportProblems) as exc:
            outcome = exc
    spent.check()
    if isinstance(outcome, StressError):
        messages = [outcome.message("ja"), outcome.message("en")]
    elif isinstance(outcome, ImportProblems):
        messages = outcome.messages("ja") + outcome.messages("en")
    else:
        assert outcome.exit_code == 1
        messages = [" ".join(outcome.output.split())]
    for message in messages:
        assert "big.yaml" in message and ("262144" in message or "8388608" in message), message


@pytest.mark.parametrize("shape", ["flow", "block", "mapping"])
def test_too_many_nodes_is_refused_at_the_first_node_past_the_limit(shape: str) -> None:
    # The 50,001st node's place worked out from the text itself, for each way of writing it.
    n = safe_yaml.MAX_NODES + 10
    if shape == "flow":  # node 1 is the list, node k + 2 is value k
        text = "[" + ", ".join(str(i) for i in range(n)) + "]\n"
        line, column = 1, text.index(f" {safe_yaml.MAX_NODES - 1},") + 2
    elif shape == "block":
        text = "".join(f"- {i}\n" for i in range(n))
        line, column = safe_yaml.MAX_NODES, 3
    else:  # the mapping is node 1, line L's key node 2L and its value node 2L + 1
        text = "".join(f"k{i}: {i}\n" for i in range(n))
        line = safe_yaml.MAX_NODES // 2
        column = len(f"k{line - 1}: ") + 1
    with pytest.raises(safe_yaml.YamlRefused) as caught:
        safe_yaml.load(text, max_bytes=len(text) * 2)
    assert caught.value.key == "yaml.too_many_nodes"
    assert (caught.value.line, caught.value.column) == (line, column)
