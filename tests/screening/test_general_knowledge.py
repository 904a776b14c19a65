"""General knowledge the matcher reads from data tables: nicknames, number words, abbreviations,
title words that are also name parts. Each rule has matches it must make and near misses it
must not."""

from __future__ import annotations

import pytest

from econsec.screening.names import compare_names
from econsec.screening.nicknames import is_nickname
from econsec.screening.numbers import fold_numbers, roman_value
from econsec.screening.scoring import DEFAULT_CONFIG

THRESHOLD = DEFAULT_CONFIG.threshold


def test_nickname_table_relates_a_name_and_its_own_nicknames_only() -> None:
    assert is_nickname("ted", "theodore") and is_nickname("theodore", "ted")
    assert is_nickname("bill", "william")
    # Both are Benjamin's nicknames, but a Ben is not a Jamie.
    assert not is_nickname("ben", "jamie")
    assert not is_nickname("ted", "william")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ted Doe", "Theodore Doe"),
        ("Bill Clinton", "William Clinton"),
        ("Peggy Lee", "Margaret Lee"),
    ],
)
def test_people_match_under_their_nicknames(a: str, b: str) -> None:
    assert compare_names(a, b, kind="person").score >= THRESHOLD
    # Without the table the pair is far apart: the rule is what carries it.
    assert compare_names(a, b, kind="organisation").score < THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ted Doe", "Theodora Dee"), ("Ben Doe", "Jamie Doe"), ("Ted Doe", "Thomas Doe")],
)
def test_nicknames_do_not_join_other_people(a: str, b: str) -> None:
    assert compare_names(a, b, kind="person").score < THRESHOLD


def test_nickname_explanation_names_the_pair() -> None:
    result = compare_names("Ted Doe", "Theodore Doe", kind="person")
    pairs = {(m.query, m.candidate): m.similarity for m in result.matched}
    assert pairs[("ted", "theodore")] == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("brigade forty four", ["brigade", "44"]),
        ("brigade forty 4", ["brigade", "44"]),
        ("brigade fourty four", ["brigade", "44"]),
        ("one hundred and five", ["105"]),
        ("two thousand and twenty one", ["2021"]),
        ("twenty first century", ["21", "century"]),
        ("44th brigade", ["44", "brigade"]),
        ("vingt quatre", ["24"]),
        ("vierzig zwei", ["42"]),
        # Separate numbers stay separate; "and" between words is kept.
        ("three four", ["3", "4"]),
        ("smith and wesson", ["smith", "and", "wesson"]),
        ("ten 4", ["10", "4"]),
    ],
)
def test_number_words_are_read_as_digits(words: str, expected: list[str]) -> None:
    assert fold_numbers(words.split()) == expected


def test_roman_numerals_are_valued_by_rule() -> None:
    values = {"ii": 2, "iv": 4, "viii": 8, "ix": 9, "xiv": 14, "xxxix": 39}
    assert {k: roman_value(k) for k in values} == values
    # Single letters are initials; longer letter runs are words.
    assert [roman_value(t) for t in ("i", "v", "x", "mix", "civ", "iiii", "vv")] == [None] * 7


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Brigade Forty-Four", "Brigade 44"),
        ("Brigade Forty 4", "Brigade 44"),
        ("Third Avenue Capital", "3rd Avenue Capital"),
        ("First Bank Int'l", "First International Bank"),
        ("Acme Mfg Co.", "Acme Manufacturing Company"),
    ],
)
def test_numbers_and_abbreviations_match(a: str, b: str) -> None:
    assert compare_names(a, b, kind="organisation").score >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [("Brigade Forty-Four", "Brigade 45"), ("Brigade Forty-Four", "Brigade Four")],
)
def test_different_numbers_do_not_match(a: str, b: str) -> None:
    assert compare_names(a, b, kind="organisation").score < THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("General Motors Company", "General Motor Co"),
        ("vanderbilt corp", "van der bilt corp"),
        ("El Nino Trading", "El Nino Trading LLC"),
    ],
)
def test_title_words_that_are_name_parts_still_count(a: str, b: str) -> None:
    assert compare_names(a, b, kind="organisation").score >= 0.9


def test_titles_are_still_dropped_for_people() -> None:
    assert compare_names("General John Smith", "John Smith", kind="person").score == 1.0
    assert compare_names("Dr. Maria Lopez", "Maria Lopez", kind="person").score == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mao Tse-tung", "Mao Zedong"),
        ("Hsi Chin-p'ing", "Xi Jinping"),
        ("Teng Hsiao-ping", "Deng Xiaoping"),
        ("Chou En-lai", "Zhou Enlai"),
        ("Chiang Chieh-shih", "Jiang Jieshi"),
        ("毛泽东", "Mao Tse-tung"),
    ],
)
def test_wade_giles_meets_pinyin(a: str, b: str) -> None:
    result = compare_names(a, b, kind="person")
    assert result.score >= THRESHOLD
    assert "zh-wg" in result.transliteration


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mao Tse-tung", "Mao Zemin"),
        ("Hsi Chin-ping", "Xi Jinhua"),
        # The key merges b/p and zh/ch, but not whole different syllables.
        ("Teng Hsiao-ping", "Deng Xiaoming"),
    ],
)
def test_wade_giles_key_does_not_blur_other_syllables(a: str, b: str) -> None:
    assert compare_names(a, b, kind="person").score < THRESHOLD


def test_wade_giles_key_only_for_names_made_of_chinese_syllables() -> None:
    from econsec.screening.chinese import wade_giles_key

    assert wade_giles_key(("mao", "zedong")) == ("mao", "tsetung")
    assert wade_giles_key(("xi", "jinping")) == ("hsi", "chinping")
    # Already Wade-Giles, or not Chinese at all: no extra form.
    assert wade_giles_key(("mao", "tse", "tung")) is None
    assert wade_giles_key(("john", "smith")) is None


@pytest.mark.parametrize(
    ("a", "b", "method"),
    [
        ("Բարակ Օբամա", "Barack Obama", "hy"),
        ("Սերժ Սարգսյան", "Serzh Sargsyan", "hy"),
        ("ბარაკ ობამა", "Barack Obama", "ka"),
        ("მიხეილ სააკაშვილი", "Mikheil Saakashvili", "ka"),
        ("መለስ ዜናዊ", "Meles Zenawi", "am"),
        ("ប៉ុល ពត", "Pol Pot", "km"),
        ("ทักษิณ ชินวัตร", "Thaksin Shinawatra", "th"),
    ],
)
def test_scripts_read_by_letter_table(a: str, b: str, method: str) -> None:
    result = compare_names(a, b, kind="person")
    assert result.score >= THRESHOLD
    assert result.transliteration == method


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ბარაკ ობამა", "Boris Obradovic"),
        ("მიხეილ სააკაშვილი", "Giorgi Saakashvili"),
        ("ប៉ុល ពត", "Paul Potts Trading"),
        ("Սերժ Սարգսյան", "Serzh Sarkisov"),
    ],
)
def test_letter_tables_do_not_match_other_names(a: str, b: str) -> None:
    assert compare_names(a, b, kind="person").score < THRESHOLD


def test_khmer_inherent_vowel_and_musikatoan() -> None:
    from econsec.screening.transliterate import readings

    # ព followed by a consonant sounds its inherent o; ប with ៉ is p.
    assert readings("ប៉ុល ពត") == ((("pol", "pot"), "km"),)


@pytest.mark.parametrize(
    "name",
    [
        "Tactical Missiles Joint Stock Compan",  # cut short at a field width
        "Tactical Missiles Joynt Stock Company",  # misspelt
        "Tactical Missiles Limited Liability Compny",
    ],
)
def test_misspelt_or_cut_legal_forms_are_still_legal_forms(name: str) -> None:
    from econsec.screening.normalise import name_forms

    assert name_forms(name)[0].tokens == ("tactical", "missiles")
    assert compare_names(name, "Tactical Missiles JSC", kind="organisation").score == 1.0


def test_words_near_a_legal_form_are_kept() -> None:
    from econsec.screening.normalise import name_forms

    # "stock company" is not "joint stock company": Acme Stock stays a two-word name.
    assert name_forms("Acme Stock Company")[0].tokens == ("acme", "stock")


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("PLA", "People's Liberation Army", "organisation"),
        ("ISIL", "Islamic State of Iraq and the Levant", "organisation"),
        ("IRGC", "Islamic Revolutionary Guard Corps", "organisation"),
        ("JC Juncker", "Jean-Claude Juncker", "person"),
    ],
)
def test_acronyms_and_initials_meet_the_words(a: str, b: str, kind: str) -> None:
    result = compare_names(a, b, kind=kind)
    assert result.score >= THRESHOLD
    assert any(m.similarity == pytest.approx(0.9) for m in result.matched)


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("PLA", "Pacific Logistics Alliance Novatek", "organisation"),  # an extra name
        ("IRGC", "Islamic Republic Guard", "organisation"),  # initials fall short
        ("KJU", "Kim Jong Un", "person"),  # a person's whole name is not an acronym
        ("PLO", "People's Liberation Army", "organisation"),
    ],
)
def test_acronyms_need_every_initial(a: str, b: str, kind: str) -> None:
    assert compare_names(a, b, kind=kind).score < THRESHOLD


def test_a_token_both_names_have_is_not_read_as_initials() -> None:
    # "AĿL" folds to "al l": "al" must meet "al", not the initials of "al l".
    assert compare_names("AĿL", "AĿL").score == pytest.approx(1.0)
    assert compare_names("Al L Trading", "Al L Trading").score == pytest.approx(1.0)


@pytest.mark.parametrize(
    "name", ["CUBANACAN U.K. LIMITED", "INMOBILIARIA U.M.V. S.A.", "KOREA RYENHA MACHINERY J/V"]
)
def test_names_with_single_letters_after_a_long_word_match_themselves(name: str) -> None:
    assert compare_names(name, name).score == pytest.approx(1.0)
