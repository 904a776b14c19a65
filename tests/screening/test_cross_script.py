"""Cross-script matching rules (decision 0034), each with its own hand-made examples: katakana
back-transliteration, a second Japanese reading, East Asian personal names, Hangul words,
initials and the Korean sound key, simplified/traditional Chinese with the glossary and place
names, conflicting business words, and the match explanation."""

from __future__ import annotations

import pytest

from econsec.screening.entity import ListEntity
from econsec.screening.katakana import back_transliterate
from econsec.screening.names import compare_names, korean_key
from econsec.screening.normalise import name_forms
from econsec.screening.scoring import Subject, score_entity
from econsec.screening.transliterate import readings, to_simplified

THRESHOLD = 0.6


def score(a: str, b: str, kind: str = "unknown") -> float:
    return compare_names(a, b, kind=kind).score


# --- katakana ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("katakana", "latin"),
    [
        ("ガスプロム", "gasprom"),  # vowels added after p and m dropped
        ("スプリング", "spring"),  # s + consonant and consonant + r onsets
        ("トラック", "trak"),  # t + r onset
        ("ディスク", "disk"),  # ディ is di, not dei
        ("ゴールド", "gord"),  # long o dropped, o after a final d dropped
        ("グーグル", "googr"),  # ー after u is oo
        ("ダイムラー", "daimrer"),  # final ー after a is er
        ("ヴァイオリン", "vaiorin"),  # ヴァ is va
    ],
)
def test_katakana_back_transliteration(katakana: str, latin: str) -> None:
    assert back_transliterate(katakana) == latin


def test_katakana_foreign_names_meet_their_latin_spelling() -> None:
    assert score("スタンダード・チャータード", "Standard Chartered", "organisation") >= THRESHOLD
    assert score("セルゲイ・イワノフ", "Sergei Ivanov", "person") >= THRESHOLD
    # The back-transliterated reading is a separate form, named in the result.
    forms = {f.method for f in name_forms("ガスプロムネフチ")}
    assert "ja-kana" in forms and "ja" in forms


def test_katakana_glossary_words_inside_a_loanword_run() -> None:
    (reading,) = [t for t, m in readings("ゼネラルモーターズ") if m == "ja-kana"]
    assert "motor" in reading


# --- Japanese kanji names --------------------------------------------------------------------------


def test_second_reading_from_the_name_dictionary() -> None:
    methods = {m: t for t, m in readings("柳井正")}
    assert methods["ja"] != methods["ja-unidic"]  # pykakasi and UniDic read 正 differently
    assert score("柳井正", "Tadashi Yanai", "person") >= THRESHOLD


def test_romaji_one_letter_apart_is_another_japanese_name() -> None:
    assert score("加藤誠", "Makoto Kato", "person") >= 0.9
    assert score("加藤誠", "Makoto Sato", "person") < THRESHOLD  # 佐藤 is another surname
    assert score("小松誠", "Makoto Komatsu", "person") >= 0.9
    assert score("小松誠", "Makoto Komatsuda", "person") < THRESHOLD


def test_east_asian_names_have_no_middle_names() -> None:
    assert score("田中誠", "Makoto Tanaka Hiroshi", "person") < THRESHOLD
    # A Latin name with a patronymic keeps its allowance.
    assert score("Vladimir Putin", "Vladimir Vladimirovich Putin", "person") >= THRESHOLD


def test_both_names_in_kanji_must_agree() -> None:
    assert score("高田誠", "高田誠", "person") == 1.0
    assert score("高田誠", "高多誠", "person") < THRESHOLD  # same reading, other character


def test_romaji_not_read_as_number_words() -> None:
    tokens = {t for f in name_forms("天野") for t in f.tokens}
    assert "10" not in tokens


# --- Korean -----------------------------------------------------------------------------------------


def test_korean_key_merges_romanisation_systems() -> None:
    assert korean_key("jeong") == korean_key("jung") == korean_key("chung")
    assert korean_key("park") == korean_key("pak") == korean_key("bak")
    assert korean_key("lee") == korean_key("ri")
    assert korean_key("un") != korean_key("il")


def test_hangul_company_words_and_initials() -> None:
    assert score("현대전자", "Hyundai Electronics", "organisation") >= THRESHOLD
    assert score("케이티", "KT Corporation", "organisation") >= 0.9  # letters spelt in Hangul
    assert score("현대전자", "Hyundai Heavy Industries", "organisation") < THRESHOLD


def test_korean_personal_names() -> None:
    assert score("김민준", "Kim Min-jun", "person") >= 0.9
    assert score("김민준", "Kim Min-jae", "person") < THRESHOLD
    assert score("정민수", "Chung Min Soo", "person") >= THRESHOLD  # customary spellings


# --- Chinese ---------------------------------------------------------------------------------------


def test_traditional_characters_read_as_simplified() -> None:
    assert to_simplified("華為技術") == "华为技术"
    assert score("中國農業大學", "China Agricultural University", "organisation") >= 0.9


def test_place_prefix_is_optional_but_two_places_conflict() -> None:
    assert score("上海电气集团", "Shanghai Electric Group", "organisation") >= 0.9
    assert score("电气集团", "Shanghai Electric Group", "organisation") >= THRESHOLD
    assert score("北京电气", "Shanghai Electric", "organisation") < THRESHOLD
    # Older spellings of place names fold onto pinyin.
    assert score("北京电气", "Peking Electric", "organisation") >= 0.9


def test_institution_translated_word_by_word() -> None:
    assert score("中国科学技术大学", "University of Science and Technology of China") >= 0.9


# --- organisations of one group -----------------------------------------------------------------


def test_conflicting_business_words_are_two_companies() -> None:
    assert score("Fuji Electric Co", "Fuji Heavy Industries", "organisation") < THRESHOLD
    assert score("Fuji Electric Co", "Fuji Electric Corporation", "organisation") == 1.0
    assert score("富士電機株式会社", "Fuji Electric Co., Ltd.", "organisation") >= 0.9


# --- explanation ------------------------------------------------------------------------------------


def test_explanation_names_readings_and_glossary_steps() -> None:
    entity = ListEntity(entity_id="x", name="Beijing Institute of Electronics", kind="organisation")
    match = score_entity(Subject("北京电子研究所"), entity, "eul")
    lines = match.explain()
    assert any("ja+words" in line or "zh+words" in line for line in lines)
    assert "  电子 → electronics" in lines
    assert "  北京 → beijing (place)" in lines
    assert match.score >= THRESHOLD


def test_three_syllable_hangul_word_is_also_read_whole() -> None:
    methods = [tokens for tokens, method in readings("코오롱") if method == "ko"]
    assert ("ko", "orong") in methods and ("koorong",) in methods
    assert score("코오롱", "Kolon", "organisation") >= THRESHOLD


def test_japanese_key_spelling_conventions() -> None:
    from econsec.screening.names import japanese_key

    assert japanese_key("ricoh") == japanese_key("riko")  # long o written oh
    assert japanese_key("itoh") == japanese_key("ito")
    assert (
        japanese_key("xiaomi") == japanese_key("shaomi")
        or score("シャオミ", "Xiaomi", "organisation") >= THRESHOLD
    )  # pinyin xi is katakana シ
    assert score("シー・ジンピン", "Xi Jinping", "person") >= THRESHOLD
    # The katakana conjunction is the Latin &.
    assert score("ジョンソン・エンド・ジョンソン", "Johnson & Johnson", "organisation") >= 0.9


# --- stylised large kana and the Japanese key's labials --------------------------------------


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("キヤノン", "キャノン"),  # large ヤ after キ
        ("キユーピー", "キューピー"),
        ("富士フイルム", "富士フィルム"),  # large イ after フ
        ("ダイヤモンド", "ダイヤモンド"),  # イ is a vowel kana: ヤ stays large
        ("ヤマハ", "ヤマハ"),  # ヤ at the start
    ],
)
def test_stylised_large_kana(written: str, plain: str) -> None:
    from econsec.screening.katakana import unstylise

    assert unstylise(written) == plain


def test_stylised_kana_adds_a_reading_and_keeps_the_written_one() -> None:
    kana = [tokens for tokens, method in readings("リヤド") if method == "ja-kana"]
    assert ("riyad",) in kana and ("ryad",) in kana
    assert score("キヤノン", "Canon", "organisation") >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("shinbashi", "shimbashi"),  # ン before b sounds m
        ("nanba", "namba"),
        ("olimpus", "olympus"),  # y between consonants is an i sound
    ],
)
def test_japanese_key_labials_and_y(a: str, b: str) -> None:
    from econsec.screening.names import japanese_key

    assert japanese_key(a) == japanese_key(b)


def test_japanese_key_keeps_y_before_a_vowel() -> None:
    from econsec.screening.names import japanese_key

    assert japanese_key("kyoto") != japanese_key("kioto")
