"""Hanja read as Korean (hanja.py, data/hanja_hangul.csv): the table, the initial-sound rule,
the spellings a name gets, and what the matcher makes of them. Examples are hand-made; the
hangul syllables are checked against the Unicode syllable arithmetic written out here."""

from __future__ import annotations

import pytest

from econsec.screening.hanja import hangul_spellings, hanja_table, initial_sound_rule
from econsec.screening.names import compare_names, korean_key, same_script_cap
from econsec.screening.transliterate import readings

THRESHOLD = 0.6


def syllable(initial: int, vowel: int, final: int = 0) -> str:
    """Hangul syllable from jamo indices (Unicode 3.12), computed independently of hanja.py."""
    return chr(0xAC00 + (initial * 21 + vowel) * 28 + final)


def test_table_is_unihan_khangul_with_its_licence() -> None:
    table = hanja_table()
    # Unihan 14.0 gives about 8,500 characters a Korean reading.
    assert 8000 < len(table) < 9000
    assert [s for s, _ in table["金"]] == ["금", "김"]
    assert table["李"][0][0] == "리"
    from econsec.screening import hanja

    text = hanja._TABLE.read_text(encoding="utf-8")
    assert "Unicode" in text.split("codepoint,char,kHangul")[0]
    assert "Permission is hereby granted" in text


@pytest.mark.parametrize(
    ("dictionary", "initial_form"),
    [
        (syllable(5, 20), syllable(11, 20)),  # 리 → 이 (ㄹ before i falls silent)
        (syllable(5, 8), syllable(2, 8)),  # 로 → 노 (ㄹ → ㄴ)
        (syllable(5, 17, 8), syllable(11, 17, 8)),  # 률 → 율
        (syllable(2, 6), syllable(11, 6)),  # 녀 → 여 (ㄴ before y falls silent)
        (syllable(0, 0), syllable(0, 0)),  # 가 unchanged
        (syllable(2, 0), syllable(2, 0)),  # 나 unchanged (ㄴ before a stays)
        ("a", "a"),  # not a syllable
    ],
)
def test_initial_sound_rule(dictionary: str, initial_form: str) -> None:
    assert initial_sound_rule(dictionary) == initial_form


def test_spellings_south_north_and_name_readings() -> None:
    # 李雪主: South Korea writes 이 at the start of a name, North Korea 리.
    assert hangul_spellings("李雪主")[:2] == ("이설주", "리설주")
    # 金 is 금 by the dictionary and 김 as a surname (a reading approved for names).
    assert "김정은" in hangul_spellings("金正恩")
    # Characters without a Korean reading (kana) leave the name unread.
    assert hangul_spellings("トヨタ") == ()
    assert hangul_spellings("Samsung") == ()


def test_hanja_reading_is_a_form_named_in_the_explanation() -> None:
    methods = {m for _, m in readings("盧泰愚")}
    assert "ko-hanja" in methods and "ja" in methods and "zh" in methods
    result = compare_names("盧泰愚", "Roh Tae-woo", kind="person")
    assert result.score >= THRESHOLD
    assert "ko-hanja" in result.transliteration


def test_hanja_glossary_translates_from_the_hanja_not_the_hangul() -> None:
    # 造船 is shipbuilding; its hangul 조선 is also 朝鮮 (Korea).
    forms = dict((m, t) for t, m in readings("大宇造船海洋") if m == "ko-hanja+words")
    assert "shipbuilding" in forms["ko-hanja+words"]
    assert "korea" not in forms["ko-hanja+words"]
    assert (
        compare_names("大宇造船海洋", "Daewoo Shipbuilding & Marine Engineering").score >= THRESHOLD
    )


@pytest.mark.parametrize(
    ("hanja", "latin"),
    [
        ("現代建設", "Hyundai Engineering & Construction"),
        ("三星電子", "Samsung Electronics"),
        ("金正恩", "Kim Jong Un"),
        ("崔龍海", "Choe Ryong Hae"),
    ],
)
def test_hanja_meets_romanisation(hanja: str, latin: str) -> None:
    kind = "person" if len(hanja) == 3 else "organisation"
    assert compare_names(hanja, latin, kind=kind).score >= THRESHOLD


@pytest.mark.parametrize(
    ("hanja", "latin"),
    [
        ("金正男", "Kim Jong Un"),  # one given-name syllable differs: another person
        ("金泳三", "Kim Yong Nam"),
        ("現代建設", "Hyundai Motor Company"),  # same group, another company
    ],
)
def test_hanja_non_matches(hanja: str, latin: str) -> None:
    kind = "person" if len(hanja) == 3 else "organisation"
    assert compare_names(hanja, latin, kind=kind).score < THRESHOLD


def test_hanja_against_hangul_is_one_script() -> None:
    # Written with different characters but the same name: the same-script cap reads the hanja.
    assert same_script_cap("盧泰愚", "노태우") == 1.0
    assert compare_names("盧泰愚", "노태우", kind="person").score == 1.0
    # A different hangul name stays capped.
    assert same_script_cap("盧泰愚", "노무현") < 0.2
    assert compare_names("盧泰愚", "노무현", kind="person").score < THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("taewoo", "taeu"),  # 우 written woo
        ("hyundai", "hyeondae"),  # ㅐ written ai
        ("thaek", "taek"),  # North Korea's aspirate th
    ],
)
def test_korean_key_customary_spellings(a: str, b: str) -> None:
    assert korean_key(a) == korean_key(b)


def test_korean_key_keeps_won_and_eun_apart() -> None:
    assert korean_key("won") != korean_key("eun")


def test_explanation_shows_the_hangul_spelling_and_glossary_steps() -> None:
    from econsec.screening.entity import ListEntity
    from econsec.screening.scoring import Subject, score_entity

    entity = ListEntity(
        entity_id="x", name="Daewoo Shipbuilding & Marine Engineering", kind="organisation"
    )
    match = score_entity(Subject("大宇造船海洋"), entity, "list")
    lines = match.explain()
    assert match.score >= THRESHOLD
    assert any("ko-hanja+words" in line for line in lines), lines
    assert "  大宇造船海洋 → 대우조선해양 (hanja)" in lines
    assert "  造船 → shipbuilding" in lines
