"""Country names and codes as they appear in lists → ISO 3166-1 alpha-2 (lower case)."""

from __future__ import annotations

from functools import lru_cache

# Spellings pycountry does not resolve by itself (list usage and Japanese names).
_OVERRIDES = {
    "russia": "ru",
    "iran": "ir",
    "north korea": "kp",
    "korea, north": "kp",
    "korea north": "kp",
    "democratic people's republic of korea": "kp",
    "south korea": "kr",
    "korea, south": "kr",
    "syria": "sy",
    "burma": "mm",
    "taiwan": "tw",
    "vietnam": "vn",
    "laos": "la",
    "uk": "gb",
    "united kingdom": "gb",
    "usa": "us",
    "united states": "us",
    "turkey": "tr",
    "czech republic": "cz",
    "democratic republic of the congo": "cd",
    "congo, democratic republic of the": "cd",
    "hong kong": "hk",
    "macau": "mo",
    "palestinian": "ps",
    "venezuela": "ve",
    "bolivia": "bo",
    "tanzania": "tz",
    "moldova": "md",
    "kosovo": "xk",
    "中国": "cn",
    "中華人民共和国": "cn",
    "香港": "hk",
    "台湾": "tw",
    "イラン": "ir",
    "北朝鮮": "kp",
    "朝鮮民主主義人民共和国": "kp",
    "韓国": "kr",
    "ロシア": "ru",
    "シリア": "sy",
    "パキスタン": "pk",
    "イスラエル": "il",
    "インド": "in",
    "アフガニスタン": "af",
    "アラブ首長国連邦": "ae",
    "uae": "ae",
    "トルコ": "tr",
    "ベラルーシ": "by",
    "アルメニア": "am",
    "ウズベキスタン": "uz",
    "キルギス": "kg",
    "カザフスタン": "kz",
    "日本": "jp",
    "米国": "us",
    "アメリカ": "us",
    # Nationalities as the Ministry of Finance's asset-freeze list writes them.
    "ロシア連邦": "ru",
    "ベラルーシ共和国": "by",
    "イラク": "iq",
    "リビア": "ly",
    "スーダン": "sd",
    "ソマリア": "so",
    "イエメン": "ye",
    "ウクライナ": "ua",
    "レバノン": "lb",
    "サウジアラビア": "sa",
    "サウディ・アラビア": "sa",
    # Countries as MOFCOM's announcements write them (simplified Chinese).
    "美国": "us",
    "美利坚合众国": "us",
    "英国": "gb",
    "加拿大": "ca",
    "德国": "de",
    "法国": "fr",
    "荷兰": "nl",
    "日本国": "jp",
    "韩国": "kr",
    "俄罗斯": "ru",
    "以色列": "il",
    "澳大利亚": "au",
    "新加坡": "sg",
    "印度": "in",
    "中国台湾": "tw",
    "台湾地区": "tw",
    "中国台湾地区": "tw",
}


@lru_cache(maxsize=4096)
def to_iso2(value: str) -> str:
    """ISO alpha-2 in lower case, or the cleaned input when it is no country we know."""
    import pycountry

    text = " ".join(value.strip().split())
    key = text.casefold()
    if not key:
        return ""
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    try:
        return str(pycountry.countries.lookup(text).alpha_2).lower()
    except LookupError:
        pass
    return key
