"""Name normalisation and matching: the Japanese, Chinese and Cyrillic cases the issue pins."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.screening.names import compare_names, japanese_key
from econsec.screening.normalise import name_forms
from econsec.screening.scoring import DEFAULT_CONFIG

MATCHES = [
    ("三菱重工業", "Mitsubishi Heavy Industries"),
    ("三菱重工業株式会社", "Mitsubishi Heavy Industries, Ltd."),
    ("トヨタ", "Toyota"),
    ("トヨタ自動車株式会社", "Toyota Motor Corporation"),
    ("ソニー", "Sony"),
    ("ソニーグループ株式会社", "Sony Group Corporation"),
    ("パナソニック", "Panasonic"),
    ("华为技术有限公司", "Huawei Technologies Co., Ltd."),
    ("華為技術有限公司", "Huawei Technologies"),
    ("Владимир Путин", "Vladimir Putin"),
    ("ООО Газпром", "Gazprom LLC"),
    ("김정은", "Kim Jong Un"),
    ("山田太郎", "Yamada Taro"),
    # Arabic and Hebrew through consonant skeletons.
    ("خالد محمود", "Khaled Mahmoud"),
    ("משה כהן", "Moshe Cohen"),
    # Long-vowel mark written or dropped; ヴ and ブ; old and new kanji forms.
    ("コンピューターシステム", "コンピュータシステム"),
    ("ヴァイオリン工房", "バイオリン工房"),
    ("齋藤商事", "斎藤商事"),
    ("髙島屋", "高島屋"),
    ("渡邊工業", "渡辺工業"),
    # Full-width Latin and half-width katakana.
    ("ＴＯＹＯＴＡ　ＭＯＴＯＲ", "Toyota Motor"),
    ("ｿﾆｰ", "ソニー"),
    # 株式会社 before or after the name, (株), Latin legal forms.
    ("株式会社日立製作所", "日立製作所株式会社"),
    ("(株)日立製作所", "Hitachi, Ltd."),
    ("㈱デンソー", "株式会社デンソー"),
    ("有限会社山田商店", "山田商店"),
    ("Siemens Aktiengesellschaft", "Siemens AG"),
]

NON_MATCHES = [
    ("トヨタ", "Honda"),
    ("三菱重工業", "Kawasaki Heavy Industries"),
    ("Volkswagen Aktiengesellschaft", "Siemens Aktiengesellschaft"),
    ("华为技术有限公司", "ZTE Corporation"),
    ("Unit 1 Trading", "Unit 2 Trading"),
    ("高市早苗", "高石早苗"),  # same pinyin reading, different names
    ("محمد علي", "Khaled Mahmoud"),
]


@pytest.mark.parametrize(("a", "b"), MATCHES)
def test_pinned_matches(a: str, b: str) -> None:
    result = compare_names(a, b)
    assert result.score >= DEFAULT_CONFIG.threshold, (a, b, result)
    # Symmetric enough that either side can be the query.
    assert compare_names(b, a).score >= DEFAULT_CONFIG.threshold


@pytest.mark.parametrize(("a", "b"), NON_MATCHES)
def test_pinned_non_matches(a: str, b: str) -> None:
    assert compare_names(a, b).score < DEFAULT_CONFIG.threshold


def test_legal_forms_are_recorded_not_compared() -> None:
    (form, *_) = name_forms("株式会社テスト")
    assert "jp_kk" in form.legal_forms
    (latin,) = name_forms("Test Co., Ltd.")
    assert latin.tokens == ("test",)
    assert "co_ltd" in latin.legal_forms


def test_explanation_names_transliteration_and_tokens() -> None:
    result = compare_names("三菱重工業", "Mitsubishi Heavy Industries")
    assert result.transliteration.startswith("ja")
    pairs = {(m.query, m.candidate) for m in result.matched}
    assert ("mitsubishi", "mitsubishi") in pairs
    assert ("heavy", "heavy") in pairs


def test_chinese_reading_is_pinyin() -> None:
    result = compare_names("华为技术有限公司", "Huawei Technologies")
    assert result.transliteration.startswith("zh")


def test_japanese_key_folds_loanword_spelling() -> None:
    assert japanese_key("soni") == japanese_key("sony")
    assert japanese_key("panasonikku") == japanese_key("panasonic")


def test_typo_tolerance() -> None:
    assert (
        compare_names("Mitsubishi Heavy Industires", "Mitsubishi Heavy Industries").score
        >= DEFAULT_CONFIG.threshold
    )


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30))
def test_a_name_matches_itself(name: str) -> None:
    if not name_forms(name):
        return
    assert compare_names(name, name).score == pytest.approx(1.0)
