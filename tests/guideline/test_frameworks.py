"""Built-in frameworks load from data, validate, and are complete in ja and en."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from econsec.guideline.frameworks import (
    Framework,
    FrameworkError,
    Text,
    builtin_frameworks,
    capabilities,
    capability_links,
    framework_from_dict,
    framework_to_dict,
    load_framework,
)

from .conftest import FIXTURES

DATA = Path(__file__).resolve().parents[2] / "src" / "econsec" / "guideline" / "data"
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _texts(framework: Framework) -> list[tuple[str, Text]]:
    out = [("name", framework.name), ("description", framework.description)]
    out += [(f"scale/{m.level}", m.name) for m in framework.maturity_scale]
    out += [(p.id, p.name) for p in framework.principles]
    for area in framework.areas:
        out += [(area.id, area.name), (area.id, area.description)]
        for item in area.items:
            out += [
                (item.id, item.name),
                (item.id, item.description),
                (item.id, item.typical_evidence),
            ]
            out += [(f"{item.id}/m{i}", m) for i, m in enumerate(item.maturity or ())]
            out += [(q.id, q.text) for q in item.questions]
    return out


def test_both_builtin_frameworks_load() -> None:
    frameworks = builtin_frameworks()
    assert set(frameworks) == {"esmg-1.0-draft", "tlcg-1"}


def test_guideline_structure_is_faithful() -> None:
    esmg = builtin_frameworks()["esmg-1.0-draft"]
    assert [p.id for p in esmg.principles] == ["P1", "P2", "P3"]
    assert {a.id: [i.id for i in a.items] for a in esmg.areas} == {
        "AUT": ["AUT-A", "AUT-B", "AUT-C", "AUT-D"],
        "IND": ["IND-A", "IND-B", "IND-C", "IND-D", "IND-E"],
        "GOV": ["GOV-A", "GOV-B", "GOV-C", "GOV-D"],
    }
    assert esmg.derivation == "econsec"
    assert "not METI's official" in esmg.description.en
    for _, item in esmg.items():
        assert item.maturity is not None and len(item.maturity) == 5
        assert len(item.questions) >= 2
        assert item.principles


def test_leakage_guidance_structure() -> None:
    tlcg = builtin_frameworks()["tlcg-1"]
    assert {a.id: len(a.items) for a in tlcg.areas} == {"OVS": 5, "PPL": 4, "RTE": 7}


@pytest.mark.parametrize("framework_id", ["esmg-1.0-draft", "tlcg-1"])
def test_every_text_is_translated(framework_id: str) -> None:
    framework = builtin_frameworks()[framework_id]
    for where, text in _texts(framework):
        assert text.ja.strip() and text.en.strip(), where
        assert _KANA_KANJI.search(text.ja), f"{where}: Japanese text has no Japanese: {text.ja!r}"
        assert not _KANA_KANJI.search(text.en), f"{where}: English text has Japanese: {text.en!r}"


@pytest.mark.parametrize("framework_id", ["esmg-1.0-draft", "tlcg-1"])
def test_dict_round_trip(framework_id: str) -> None:
    framework = builtin_frameworks()[framework_id]
    assert framework_from_dict(framework_to_dict(framework)) == framework


def test_capability_links_point_at_real_items_and_capabilities() -> None:
    known = capabilities()
    for framework in builtin_frameworks().values():
        links = capability_links(framework)
        assert links, framework.id
        for item_id, caps in links.items():
            assert item_id in framework.item_index, item_id
            assert set(caps) <= set(known), caps
    esmg = builtin_frameworks()["esmg-1.0-draft"]
    assert "exposure.concentration" in capability_links(esmg)["AUT-A"]
    assert "stress.ttr_tts" in capability_links(esmg)["GOV-B"]


def _raw() -> dict:
    return yaml.safe_load((FIXTURES / "mini.yaml").read_text(encoding="utf-8"))


def test_missing_translation_is_located() -> None:
    raw = _raw()
    del raw["areas"][1]["items"][0]["questions"][2]["text"]["en"]
    with pytest.raises(FrameworkError) as caught:
        framework_from_dict(raw, "mini.yaml")
    (issue,) = caught.value.issues
    assert issue.location == "areas/1/items/0/questions/2/text"
    assert issue.key == "guideline.framework.required"
    assert "'en'" in caught.value.messages("en")[0]
    assert "必須" in caught.value.messages("ja")[0]


def test_semantic_errors_are_collected() -> None:
    raw = _raw()
    raw["areas"][1]["items"][0]["questions"][0]["id"] = "q1"  # duplicate of X-1's q1
    raw["areas"][0]["items"][0]["principles"] = ["P9"]
    raw["areas"][0]["items"][1]["id"] = "x-1"  # clashes with X-1 once lower-cased
    with pytest.raises(FrameworkError) as caught:
        framework_from_dict(raw, "mini.yaml")
    keys = sorted(i.key for i in caught.value.issues)
    assert keys == [
        "guideline.framework.case_clash",
        "guideline.framework.duplicate_id",
        "guideline.framework.unknown_principle",
    ]
    dup = next(i for i in caught.value.issues if i.key.endswith("duplicate_id"))
    assert dup.location == "areas/1/items/0/questions/0"
    assert dup.params["first"] == "areas/0/items/0/questions/0"


def test_bad_enum_and_unknown_field() -> None:
    raw = copy.deepcopy(_raw())
    raw["areas"][0]["items"][0]["importance"] = "critical"
    raw["areas"][0]["colour"] = "red"
    with pytest.raises(FrameworkError) as caught:
        framework_from_dict(raw)
    by_key = {i.key: i for i in caught.value.issues}
    assert by_key["guideline.framework.enum"].location == "areas/0/items/0/importance"
    assert by_key["guideline.framework.unknown_field"].location == "areas/0"


def test_shipped_schema_rejects_what_the_loader_rejects(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(bad)
    assert caught.value.issues[0].key == "yaml.syntax"
    assert (DATA / "framework.schema.json").exists()
