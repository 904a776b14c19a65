"""Candidate retrieval and scoring with qualifiers, checked against brute force."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

from econsec.screening.entity import ListEntity
from econsec.screening.index import ScreeningIndex
from econsec.screening.loaders import load_list
from econsec.screening.scoring import DEFAULT_CONFIG, Subject, score_entity

FIXTURES = Path(__file__).parent / "fixtures"

ENTITIES = [
    ListEntity("1", "MITSUBISHI HEAVY INDUSTRIES LTD", "organisation", countries=("jp",)),
    ListEntity("2", "HUAWEI TECHNOLOGIES CO., LTD.", "organisation", countries=("cn",)),
    ListEntity("3", "IVANOV, Ivan", "person", countries=("ru",), identifiers=("7654321",)),
    ListEntity("4", "Toyota Tsusho Corporation", "organisation"),
    ListEntity("5", "Kawasaki Heavy Industries", "organisation"),
    ListEntity("6", "ACME PRECISION TOOLS GMBH", "organisation", aliases=("ACME PT",)),
]


def _index() -> ScreeningIndex:
    return ScreeningIndex.build([("test", ENTITIES)])


def test_japanese_query_finds_romanised_entry() -> None:
    (best, *_) = _index().screen(Subject("三菱重工業株式会社", "organisation", ("jp",)))
    assert best.entity_id == "1"
    names = [f.name for f in best.features]
    assert "country_match" in names
    assert best.transliteration.startswith("ja")


def test_explanation_is_never_a_bare_float() -> None:
    (best, *_) = _index().screen(Subject("華為技術", "organisation"))
    assert best.entity_id == "2"
    lines = best.explain()
    assert any("huawei = huawei" in line for line in lines)
    assert best.tokens and best.transliteration.startswith("zh")


def test_qualifiers_raise_and_lower() -> None:
    index = _index()
    person = Subject("Ivan Ivanov", "person", ("ru",))
    (match,) = [m for m in index.screen(person, all_above=0.0) if m.entity_id == "3"]
    other_country = Subject("Ivan Ivanov", "person", ("fr",))
    (lower,) = [m for m in index.screen(other_country, all_above=0.0) if m.entity_id == "3"]
    assert match.score > lower.score
    assert any(f.name == "country_mismatch" and f.effect < 0 for f in lower.features)
    as_company = Subject("Ivan Ivanov", "organisation")
    (kind,) = [m for m in index.screen(as_company, all_above=0.0) if m.entity_id == "3"]
    assert any(f.name == "kind_mismatch" for f in kind.features)
    by_id = Subject("I. Ivanoff", "person", identifiers=("7654321",))
    (ident,) = [m for m in index.screen(by_id, all_above=0.0) if m.entity_id == "3"]
    assert ident.score >= DEFAULT_CONFIG.identifier_match_score


def test_per_list_threshold() -> None:
    index = ScreeningIndex.build([("strict", ENTITIES[:1]), ("loose", ENTITIES[:1])])
    config = DEFAULT_CONFIG.__class__(list_thresholds=(("strict", 0.99),))
    found = index.screen(Subject("Mitsubishi Heavy Industires"), config)
    assert {m.list_name for m in found} == {"loose"}


def test_index_is_picklable_and_same_after() -> None:
    index = _index()
    copy = pickle.loads(pickle.dumps(index))
    subject = Subject("Toyota Tsusho")
    assert [m.entity_id for m in copy.screen(subject)] == [
        m.entity_id for m in index.screen(subject)
    ]


def test_blocking_recall_matches_brute_force_on_typos() -> None:
    """Every entity brute-force scoring finds above threshold, the index finds too."""
    sdn = load_list(FIXTURES / "ofac_v2", list_name="sdn").entities
    entities = list(ENTITIES) + list(sdn)
    index = ScreeningIndex.build([("test", entities)])
    rng = random.Random(3)
    for entity in entities:
        for _ in range(3):
            chars = list(entity.name)
            i = rng.randrange(1, len(chars) - 1)
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            subject = Subject("".join(chars))
            brute = {
                e.entity_id
                for e in entities
                if score_entity(subject, e, "test").score >= DEFAULT_CONFIG.threshold
            }
            found = {m.entity_id for m in index.screen(subject)}
            assert brute <= found, (subject.name, brute, found)
