"""Country normalisation and names."""

from __future__ import annotations

import pytest

from econsec.reference.countries import (
    _index,
    all_countries,
    country_name,
    is_country,
    normalise_country,
)

CASES = [
    ("ＪＰ", "JP"),
    (" jp ", "JP"),
    ("jpn", "JP"),
    ("392", "JP"),
    ("Japan", "JP"),
    ("日本", "JP"),
    ("中国", "CN"),
    ("中華人民共和国", "CN"),
    ("People's Republic of China", "CN"),
    ("台湾", "TW"),
    ("Taiwan", "TW"),
    ("Taiwan, Province of China", "TW"),
    ("韓国", "KR"),
    ("大韓民国", "KR"),
    ("South Korea", "KR"),
    ("Korea, Republic of", "KR"),
    ("Republic of Korea", "KR"),
    ("北朝鮮", "KP"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("米国", "US"),
    ("アメリカ", "US"),
    ("アメリカ合衆国", "US"),
    ("英国", "GB"),
    ("イギリス", "GB"),
    ("UK", "GB"),
    ("ドイツ", "DE"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("ベトナム", "VN"),
    ("タイ", "TH"),
    ("マレーシア", "MY"),
    ("インドネシア", "ID"),
    ("フィリピン", "PH"),
    ("シンガポール", "SG"),
    ("インド", "IN"),
    ("香港", "HK"),
    ("ロシア", "RU"),
    ("Russia", "RU"),
    ("オランダ", "NL"),
    ("The Netherlands", "NL"),
    ("フランス", "FR"),
    ("イタリア", "IT"),
    ("スイス", "CH"),
    ("メキシコ", "MX"),
    ("ブラジル", "BR"),
    ("オーストラリア", "AU"),
    ("カナダ", "CA"),
    ("コンゴ民主共和国", "CD"),
    ("DR Congo", "CD"),
    ("チリ", "CL"),
    ("南アフリカ", "ZA"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("ｕｓａ", "US"),
    ("美国", "US"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalise_known(text: str, expected: str) -> None:
    assert normalise_country(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "Narnia", "XX", "ナルニア", "-", "EU"])
def test_normalise_unknown(text: str) -> None:
    assert normalise_country(text) is None


def test_every_code_and_name_round_trips() -> None:
    for c in all_countries():
        assert normalise_country(c.alpha_2) == c.alpha_2
        assert normalise_country(c.alpha_3.lower()) == c.alpha_2
        assert normalise_country(c.name_en) == c.alpha_2, c
        assert normalise_country(c.name_ja) == c.alpha_2, c


def test_every_country_has_japanese_and_english_names() -> None:
    countries = all_countries()
    assert len(countries) >= 249
    for c in countries:
        assert c.name_en.strip() and c.name_ja.strip()
        # A Japanese name must not simply be the English one (untranslated catalogue entry).
        assert c.name_ja != c.name_en, c


def test_index_has_no_ambiguous_keys() -> None:
    # Two different countries under one key would make normalisation order-dependent.
    assert _index()[1] == ()


def test_display_names() -> None:
    assert country_name("TW", "ja") == "台湾"
    assert country_name("TW", "en") == "Taiwan"
    assert country_name("KR", "ja") == "韓国"
    assert country_name("US", "ja") == "米国"
    assert country_name("JP", "en") == "Japan"
    assert country_name("ZZ", "en") == "ZZ"


def test_is_country() -> None:
    assert is_country("JP")
    assert not is_country("jp")
    assert not is_country("WORLD")
