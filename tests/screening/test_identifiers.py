"""Corporate number (法人番号) and LEI as strong identifiers: check digits checked against an
independent computation, and their effect on the score and on the index."""

from __future__ import annotations

import random

from econsec.screening.entity import ListEntity
from econsec.screening.identifiers import (
    CORPORATE_NUMBER,
    LEI,
    corporate_number_valid,
    lei_valid,
    strong_identifier,
)
from econsec.screening.index import ScreeningIndex
from econsec.screening.scoring import Subject, score_entity

TOYOTA = "1180301018771"  # トヨタ自動車株式会社, from the NTA corporate number site
GLEIF = "506700GE1G29325QX363"  # GLEIF's own LEI


def _corporate_check_digit(base: str) -> int:
    # Written out from the ordinance's formula, digit by digit from the right.
    weights = [1, 2] * 6
    total = 0
    for position, digit in enumerate(base[::-1]):
        total += int(digit) * weights[position]
    return 9 - total % 9


def _lei_check_digits(base18: str) -> str:
    # ISO 7064 MOD 97-10: append 00, take the remainder, subtract from 98.
    number = int("".join(str(int(c, 36)) for c in base18 + "00"))
    return f"{98 - number % 97:02d}"


def test_corporate_number_check_digit_against_independent_formula() -> None:
    assert corporate_number_valid(TOYOTA)
    rng = random.Random(3)
    for _ in range(200):
        base = "".join(rng.choice("0123456789") for _ in range(12))
        good = _corporate_check_digit(base)
        assert corporate_number_valid(f"{good}{base}")
        assert not any(corporate_number_valid(f"{d}{base}") for d in range(10) if d != good)
    assert not corporate_number_valid("118030101877")  # 12 digits
    assert not corporate_number_valid("１１８０３０１０１８７７１")  # full-width: not ASCII


def test_lei_check_digits_against_independent_formula() -> None:
    assert lei_valid(GLEIF)
    rng = random.Random(5)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(200):
        base = "".join(rng.choice(alphabet) for _ in range(18))
        lei = base + _lei_check_digits(base)
        assert lei_valid(lei)
        # MOD 97-10 detects every single-digit substitution.
        k = next((i for i, c in enumerate(lei) if c.isdigit()), None)
        if k is not None:
            flipped = lei[:k] + str((int(lei[k]) + 1) % 10) + lei[k + 1 :]
            assert not lei_valid(flipped)


def test_labels_and_spacing_are_read() -> None:
    assert strong_identifier(f"法人番号：{TOYOTA}") == (CORPORATE_NUMBER, TOYOTA)
    assert strong_identifier("１１８０ ３０１０ １８７７１") == (CORPORATE_NUMBER, TOYOTA)  # NFKC
    assert strong_identifier(f"LEI {GLEIF.lower()}") == (LEI, GLEIF)
    assert strong_identifier(f"lei:{TOYOTA}") is None  # labelled LEI that is no LEI
    assert strong_identifier("2180301018771") is None  # wrong check digit


def _entity(name: str, *identifiers: str) -> ListEntity:
    return ListEntity(entity_id=name, name=name, kind="organisation", identifiers=identifiers)


def test_shared_identifier_decides_and_a_conflict_lowers() -> None:
    listed = _entity("Toyota Motor Corporation", TOYOTA)
    other_name = score_entity(Subject("全く別の名前", "organisation", (), (TOYOTA,)), listed, "l")
    assert other_name.score >= 0.99
    assert [f.name for f in other_name.features] == ["strong_identifier_match"]
    plain = score_entity(Subject("トヨタ自動車"), listed, "l")
    conflict = score_entity(
        Subject("トヨタ自動車", "organisation", (), ("8010401050387",)), listed, "l"
    )
    assert corporate_number_valid("8010401050387")
    assert any(f.name == "identifier_conflict" and f.effect == -0.3 for f in conflict.features)
    assert abs(conflict.score - (plain.score - 0.3)) < 1e-3


def test_index_finds_an_entry_by_identifier_whatever_the_name() -> None:
    index = ScreeningIndex.build([("l", [_entity("Toyota Motor Corporation", TOYOTA)])])
    hits = index.screen(Subject("XYZ Holdings", "organisation", (), (f"法人番号 {TOYOTA}",)))
    assert [h.entity_id for h in hits] == ["Toyota Motor Corporation"]
    assert index.screen(Subject("XYZ Holdings", "organisation")) == []
