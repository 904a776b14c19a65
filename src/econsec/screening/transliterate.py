"""Turn names in non-Latin scripts into Latin token sequences.

Each name yields one or more *readings* (a tuple of tokens plus the method that produced it), so
an explanation can say which transliteration matched. Japanese uses pykakasi (Hepburn) after the
corporate-word dictionary has translated words like 重工業 → "heavy industry"; Chinese uses
pypinyin; Hangul, Cyrillic and Greek use small tables; Armenian, Georgian, Ge'ez, Khmer and Thai a
letter table generated from anyascii (data/script_letters.csv). A run of Han characters without kana is
ambiguous between Japanese, Chinese and Korean (hanja, read through Unihan's kHangul), so it gets
all three readings.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from econsec.screening.hanja import hangul_spellings
from econsec.screening.katakana import back_transliterate, is_katakana, unstylise

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Reading:
    """A Latin rendering of a name: its tokens and the transliteration method used."""

    tokens: tuple[str, ...]
    method: str  # "latin", "ja", "ja+words", "zh", "zh+words", "ko", "ru", "el", "hy", "ka"…


# --- reference data ---------------------------------------------------------------------------


@cache
def kanji_variants() -> dict[str, str]:
    """Old (旧字体) or variant kanji → the standard Japanese form."""
    lines = (_DATA / "kanji_variants.csv").read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return {row["old"]: row["new"] for row in rows}


@cache
def _corporate_words() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((_DATA / "corporate_words.yaml").read_text("utf-8"))
    return data


@cache
def cjk_words() -> dict[str, str]:
    """CJK company-name word → canonical English words (longest keys are tried first)."""
    # Keys are folded like the names they are looked up in (no long-vowel marks, new kanji).
    return {
        fold_japanese(unicodedata.normalize("NFKC", k)): v
        for k, v in _corporate_words()["cjk"].items()
    }


@cache
def english_variants() -> dict[str, str]:
    """English inflections folded onto the canonical word (industries → industry), and older
    or other spellings of place names (Peking → beijing)."""
    return {**_corporate_words()["english_variants"], **_place_data()["latin"]}


@cache
def organisation_types() -> frozenset[str]:
    """Words naming the kind of body (university, institute, group…), data/corporate_words."""
    return frozenset(_corporate_words().get("organisation_types", []))


@cache
def _place_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((_DATA / "place_names.yaml").read_text("utf-8"))
    return data


@cache
def place_words() -> dict[str, str]:
    """CJK place name → its English form (data/place_names.yaml)."""
    return {
        fold_japanese(unicodedata.normalize("NFKC", k)): v for k, v in _place_data()["cjk"].items()
    }


@cache
def place_tokens() -> frozenset[str]:
    """The English place tokens: optional qualifiers of organisation names."""
    tokens = {t for v in place_words().values() for t in v.split()}
    tokens.update(t for v in _place_data()["latin"].values() for t in v.split())
    return frozenset(tokens)


@cache
def _glossary() -> dict[str, str]:
    """Corporate words and place names: what a CJK run is segmented with."""
    return {**place_words(), **cjk_words()}


# --- script detection ---------------------------------------------------------------------------


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF or ch == "々"


def is_kana(ch: str) -> bool:
    cp = ord(ch)
    return 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF


def is_hangul(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def is_cyrillic(ch: str) -> bool:
    return 0x0400 <= ord(ch) <= 0x04FF


def is_greek(ch: str) -> bool:
    return 0x0370 <= ord(ch) <= 0x03FF


# --- kana and kanji folding ---------------------------------------------------------------------

# ヴ-row katakana are written with バ-row in much Japanese usage (ヴァイオリン/バイオリン); the
# long-vowel mark is written or dropped freely (コンピューター/コンピュータ), so both go.
_KANA_FOLD = [
    ("ヴァ", "バ"),
    ("ヴィ", "ビ"),
    ("ヴェ", "ベ"),
    ("ヴォ", "ボ"),
    ("ヴュ", "ビュ"),
    ("ヴ", "ブ"),
    ("ゔ", "ぶ"),
    ("ヵ", "カ"),
    ("ヶ", "ケ"),
    ("ー", ""),
    ("・", " "),
    ("゠", " "),
]


def fold_japanese(text: str) -> str:
    """Standard kanji forms, ヴ→ブ, no long-vowel marks or middle dots."""
    variants = kanji_variants()
    text = "".join(variants.get(ch, ch) for ch in text)
    for old, new in _KANA_FOLD:
        text = text.replace(old, new)
    return text


# --- Japanese -----------------------------------------------------------------------------------


@cache
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _collapse_long_vowels(romaji: str) -> str:
    """Hepburn without macrons: juukougyou → jukogyo, tarou → taro."""
    for old, new in (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e")):
        romaji = romaji.replace(old, new)
    return romaji


def _romaji(chunk: str) -> list[str]:
    tokens: list[str] = []
    for part in _kakasi().convert(chunk):
        word = _collapse_long_vowels(str(part["hepburn"]).lower())
        word = "".join(ch for ch in word if ch.isalnum())
        if word:
            tokens.append(word)
    return tokens


def _pinyin(chunk: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(chunk) if s.strip()]


def _segment_words(run: str, words: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Split a CJK run into (piece, glossary key or ""), longest dictionary match first;
    ``words`` maps a spelling to its glossary key (by default the glossary itself)."""
    words = words if words is not None else _identity_glossary()
    longest = max((len(k) for k in words), default=1)
    pieces: list[tuple[str, str]] = []
    buffer = ""
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            if run[i : i + size] in words:
                if buffer:
                    pieces.append((buffer, ""))
                    buffer = ""
                pieces.append((run[i : i + size], words[run[i : i + size]]))
                i += size
                break
        else:
            buffer += run[i]
            i += 1
    if buffer:
        pieces.append((buffer, ""))
    return pieces


@cache
def _identity_glossary() -> dict[str, str]:
    return {k: k for k in _glossary()}


@cache
def _katakana_glossary() -> dict[str, str]:
    """Katakana glossary words as written (with ー and ヴ), mapped to their folded keys."""
    return {
        unicodedata.normalize("NFKC", k): fold_japanese(unicodedata.normalize("NFKC", k))
        for k in _corporate_words()["cjk"]
        if all(is_katakana(c) for c in unicodedata.normalize("NFKC", k))
    }


@cache
def _simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=100_000)
def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified (OpenCC t2s): 華為 → 华为."""
    return str(_simplified().convert(text))


def _cjk_readings(run: str, *, japanese: bool, chinese: bool) -> list[tuple[list[str], str]]:
    words = _glossary()
    readings: list[tuple[list[str], str]] = []
    for lang, wanted in (("ja", japanese), ("zh", chinese)):
        if not wanted:
            continue
        # Chinese is read in simplified characters, so one glossary entry serves both scripts.
        pieces = _segment_words(run if lang == "ja" else to_simplified(run))
        plain: list[str] = []
        translated: list[str] = []
        for piece, key in pieces:
            known = bool(key)
            # Pinyin syllables of one run are joined into one token (华为 → huawei), as
            # romanised Chinese names are usually written; the matcher can still split them.
            sound = _romaji(piece) if lang == "ja" else ["".join(_pinyin(piece))]
            plain.extend(sound)
            translated.extend(words[piece].split() if known else sound)
        readings.append((plain, lang))
        if translated != plain:
            readings.append((translated, f"{lang}+words"))
        if lang == "ja":
            # A second Japanese reading from a name dictionary (UniDic): pykakasi reads 孫正義
            # as "mago seigi", UniDic as "son masayoshi"; each is a separate form.
            for tokens, method in _unidic_readings(run):
                if tokens != plain and tokens != translated:
                    readings.append((tokens, method))
    return readings


@cache
def _tagger() -> Any:
    try:
        import fugashi
    except ImportError:  # the optional dictionary reading is simply absent
        return None
    try:
        return fugashi.Tagger()
    except RuntimeError:  # no dictionary installed
        return None


def _unidic_readings(run: str) -> list[tuple[list[str], str]]:
    """The run read word by word through UniDic (fugashi), in Hepburn; corporate words and
    place names translated as in the pykakasi reading."""
    tagger = _tagger()
    if tagger is None or not any(is_han(c) for c in run):
        return []
    words = _glossary()
    plain: list[str] = []
    translated: list[str] = []
    for word in tagger(run):
        kana = word.feature.kana or word.surface
        sound = _romaji(str(kana))
        plain.extend(sound)
        surface = str(word.surface)
        translated.extend(words[surface].split() if surface in words else sound)
    out = [(plain, "ja-unidic")]
    if translated != plain:
        out.append((translated, "ja-unidic+words"))
    return out


# --- Hangul (Revised Romanisation, simplified) ----------------------------------------------

_KO_INITIAL = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_KO_VOWEL = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_KO_FINAL = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]
# Surnames are romanised by custom, not by the rules (김 Kim, 이 Lee, 박 Park…).
_KO_SURNAMES = {
    "김": "kim",
    "이": "lee",
    "박": "park",
    "최": "choi",
    "정": "jung",
    "강": "kang",
    "조": "cho",
    "윤": "yoon",
    "장": "jang",
    "임": "lim",
    "한": "han",
    "오": "oh",
    "신": "shin",
    "류": "ryu",
    "노": "roh",
}


def _hangul_syllable(ch: str) -> str:
    index = ord(ch) - 0xAC00
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    return _KO_INITIAL[initial] + _KO_VOWEL[vowel] + _KO_FINAL[final]


def _hangul_word(word: str, *, first: bool) -> str:
    if first and len(word) >= 2 and word[0] in _KO_SURNAMES:
        return _KO_SURNAMES[word[0]] + " " + "".join(_hangul_syllable(c) for c in word[1:])
    if first and len(word) == 3 and all(is_hangul(c) for c in word):
        # Most Korean personal names are a one-syllable surname and a two-syllable given name.
        return _hangul_syllable(word[0]) + " " + "".join(_hangul_syllable(c) for c in word[1:])
    return "".join(_hangul_syllable(c) if is_hangul(c) else c for c in word)


# Latin letters as their names are written in Hangul (엘지 = LG, 에스케이 = SK): company names
# that are initials are written out this way.
_KO_LETTERS = {
    "에이": "a", "비": "b", "씨": "c", "디": "d", "이": "e", "에프": "f", "지": "g", "에이치": "h",
    "아이": "i", "제이": "j", "케이": "k", "엘": "l", "엠": "m", "엔": "n", "오": "o", "피": "p",
    "큐": "q", "알": "r", "에스": "s", "티": "t", "유": "u", "브이": "v", "더블유": "w",
    "엑스": "x", "와이": "y", "제트": "z",
}  # fmt: skip


def _hangul_initials(word: str) -> str | None:
    """The word read as spelt-out Latin letters (엘지 → lg), or None when it is not one."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in (3, 2, 1):
            if word[i : i + size] in _KO_LETTERS:
                out.append(_KO_LETTERS[word[i : i + size]])
                i += size
                break
        else:
            return None
    return "".join(out) if len(out) >= 2 else None


def _hangul_readings(text: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Readings of a Hangul name: Revised Romanisation (with customary surnames for a name that
    starts with one), the same with corporate words and place names translated (삼성전자 →
    samseong electronics), and initials spelt out in Hangul (엘지전자 → lg electronics).
    Spelling variants between RR, McCune–Reischauer and customary spellings (Sung/seong,
    Pak/bak, Choe/choi) are left to the matcher's Korean sound key (``names.korean_key``)."""
    words = _glossary()
    plain: list[str] = []
    translated: list[str] = []
    initials: list[str] = []
    whole: list[str] = []
    spelt = False
    for index, word in enumerate(text.split()):
        if not any(is_hangul(c) for c in word):
            plain.append(word)
            translated.append(word)
            initials.append(word)
            continue
        pieces = _segment_words(word)
        if len(pieces) == 1 and not pieces[0][1]:
            # A word without glossary words: a personal name or a company's own name.
            reading = _hangul_word(word, first=index == 0)
            # The split into surname and given name may be wrong (포스코 is POSCO, a
            # company), so the word is also kept whole.
            whole.append(reading.replace(" ", "") if word[0] not in _KO_SURNAMES else reading)
            plain.extend(reading.split())
            translated.extend(reading.split())
            letters = _hangul_initials(word)
            if letters is None:
                # Initials that open a name (에스케이하이닉스 → sk hynix).
                for cut in range(len(word) - 1, 1, -1):
                    head = _hangul_initials(word[:cut])
                    if head is not None:
                        rest = "".join(_hangul_syllable(c) for c in word[cut:] if is_hangul(c))
                        letters = f"{head} {rest}"
                        break
            initials.extend((letters or reading).split())
            spelt = spelt or letters is not None
            continue
        for piece, key in pieces:
            sound = "".join(_hangul_syllable(c) if is_hangul(c) else c for c in piece)
            plain.append(sound)
            translated.extend(words[key].split() if key else [sound])
            letters = None if key else _hangul_initials(piece)
            spelt = spelt or letters is not None
            initials.extend(words[key].split() if key else [letters or sound])
    out: list[tuple[tuple[str, ...], str]] = [(tuple(plain), "ko")]
    joined = tuple(t for w in whole for t in w.split())
    if len(whole) == len(text.split()) and joined != tuple(plain):
        out.append((joined, "ko"))
    if translated != plain:
        out.append((tuple(translated), "ko+words"))
    if spelt and initials not in (plain, translated):
        out.append((tuple(initials), "ko+letters"))
    return tuple(out)


# --- Cyrillic and Greek -------------------------------------------------------------------------

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "u",
        ],
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
            "a",
            "e",
            "i",
            "i",
            "o",
            "y",
            "o",
            "i",
            "y",
            "i",
            "y",
        ],
        strict=True,
    )
)


# Arabic and Hebrew are written without most vowels, so they are compared as consonant
# skeletons: محمد → mhmd meets "Mohamed" → mhmd. Long-vowel letters (ا و ي / א) are dropped.
_ARABIC = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "",
    "ع": "",
    "ء": "",
    "ا": "",
    "أ": "",
    "إ": "",
    "آ": "",
    "و": "",
    "ي": "",
    "ى": "",
    "ؤ": "",
    "ئ": "",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ی": "",
}
_HEBREW = {
    "ב": "b",
    "ג": "g",
    "ד": "d",
    "ה": "h",
    "ו": "v",
    "ז": "z",
    "ח": "h",
    "ט": "t",
    "י": "",
    "כ": "k",
    "ך": "k",
    "ל": "l",
    "מ": "m",
    "ם": "m",
    "נ": "n",
    "ן": "n",
    "ס": "s",
    "ע": "",
    "פ": "p",
    "ף": "f",
    "צ": "ts",
    "ץ": "ts",
    "ק": "k",
    "ר": "r",
    "ש": "sh",
    "ת": "t",
    "א": "",
}
SKELETON_METHODS = ("ar", "he")


def is_arabic(ch: str) -> bool:
    return 0x0600 <= ord(ch) <= 0x06FF


def is_hebrew(ch: str) -> bool:
    return 0x0590 <= ord(ch) <= 0x05FF


def skeleton(token: str) -> str:
    """Consonant skeleton of a Latin token (Mohamed → mhmd), doubled letters collapsed."""
    out: list[str] = []
    for ch in token:
        if ch in "aeiouyw" or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out)


def _table(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch).replace("_", "") for ch in text)


# --- scripts read by table: Armenian, Georgian, Ge'ez, Khmer, Thai ------------------------------


@cache
def script_letters() -> dict[str, tuple[str, str]]:
    """Character → (script code, Latin rendering), from data/script_letters.csv."""
    lines = (_DATA / "script_letters.csv").read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return {chr(int(row["codepoint"], 16)): (row["script"], row["latin"]) for row in rows}


_KHMER_MUSIKATOAN = "\u17c9"
# Consonants of the first series carry the inherent vowel a; the second series carries o.
_KHMER_FIRST_SERIES = set("កខចឆដឋណតថបផសហឡអ")


def _is_khmer_consonant(ch: str) -> bool:
    return len(ch) == 1 and 0x1780 <= ord(ch) <= 0x17A2


def _by_table(text: str, letters: dict[str, tuple[str, str]]) -> str:
    """Letters by table; a Khmer consonant followed by another (not by the coeng sign that
    joins a cluster) sounds its inherent vowel (ពត → pot), and ប with the musikatoan sign is p (ប៉ុល → pol)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == _KHMER_MUSIKATOAN and i and text[i - 1] == "ប":
            out[-1] = "p"
            continue
        out.append(letters[ch][1] if ch in letters else ch)
        following = text[i + 1] if i + 1 < len(text) else ""
        if _is_khmer_consonant(ch) and _is_khmer_consonant(following):
            out.append("a" if ch in _KHMER_FIRST_SERIES else "o")
    return "".join(out)


# --- entry point --------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def readings(text: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Latin readings of an NFKC-normalised, lower-cased name (raw tokens, unfiltered).

    Returns (text_with_scripts_replaced, method) pairs as token tuples; Latin text passes through
    as the single reading ``latin``.
    """
    has_kana = any(is_kana(c) for c in text)
    has_han = any(is_han(c) for c in text)
    if not (has_kana or has_han):
        if any(is_hangul(c) for c in text):
            return _hangul_readings(text)
        if any(is_cyrillic(c) for c in text):
            return ((tuple(_table(text, _CYRILLIC).split()), "ru"),)
        if any(is_arabic(c) for c in text):
            words = [skeleton(_table(w, _ARABIC)) for w in text.split()]
            return ((tuple(w for w in words if w), "ar"),)
        if any(is_hebrew(c) for c in text):
            words = [skeleton(_table(w, _HEBREW)) for w in text.split()]
            return ((tuple(w for w in words if w), "he"),)
        if any(is_greek(c) for c in text):
            return ((tuple(_table(text, _GREEK).split()), "el"),)
        letters = script_letters()
        script = next((letters[c][0] for c in text if c in letters), None)
        if script is not None:
            return ((tuple(_by_table(text, letters).split()), script),)
        return ((tuple(text.split()), "latin"),)
    kana_reading = katakana_reading(text) if any(is_katakana(c) for c in text) else None
    unfolded, text = text, fold_japanese(text)
    japanese, chinese = True, not has_kana
    # Split into CJK runs and other text; each CJK run gets its readings, other text is kept.
    variants: dict[str, list[str]] = {}
    segment = ""
    segments: list[tuple[str, bool]] = []
    for ch in text:
        cjk = is_han(ch) or is_kana(ch)
        if segment and (cjk != segments_flag(segment)):
            segments.append((segment, segments_flag(segment)))
            segment = ""
        segment += ch
    if segment:
        segments.append((segment, segments_flag(segment)))
    methods = ["ja", "ja+words", "ja-unidic", "ja-unidic+words"]
    methods += ["zh", "zh+words"] if chinese else []
    for method in methods:
        variants[method] = []
    for seg, cjk in segments:
        if not cjk:
            for method in methods:
                variants[method].extend(seg.split())
            continue
        got = dict((m, toks) for toks, m in _cjk_readings(seg, japanese=japanese, chinese=chinese))
        for method in methods:
            # A segment without a reading of this method takes the nearest one it has.
            base = method.split("+")[0]
            fallback = got.get(base.split("-")[0], [])
            words = got.get("ja+words", fallback) if method == "ja-unidic+words" else fallback
            variants[method].extend(got.get(method, got.get(base, words)))
    if kana_reading:
        methods.append("ja-kana")
        variants["ja-kana"] = list(kana_reading)
    seen: set[tuple[str, ...]] = set()
    result: list[tuple[tuple[str, ...], str]] = []
    for method in methods:
        toks = tuple(variants[method])
        if toks and toks not in seen:
            seen.add(toks)
            result.append((toks, method))
    if kana_reading:
        # A second back-transliteration with stylised large kana read small (キヤノン → Canon).
        plain = unstylise(unfolded)
        small = katakana_reading(plain) if plain != unfolded else ()
        if small and small not in seen:
            seen.add(small)
            result.append((small, "ja-kana"))
    if chinese:
        # Han without kana may also be a Korean name in hanja (盧泰愚 노태우 Roh Tae-woo).
        for toks, method in _hanja_readings(unfolded, text):
            if toks not in seen:
                seen.add(toks)
                result.append((toks, method))
    return tuple(result)


def _hanja_readings(unfolded: str, folded: str) -> list[tuple[tuple[str, ...], str]]:
    """Readings of a name in hanja: each hangul spelling (see :mod:`hanja`) read as hangul is,
    and the hanja words the glossary knows translated (大宇造船海洋 → daeu shipbuilding marine).
    The translation is taken from the hanja, not from the hangul: hangul merges words that hanja
    tell apart (조선 is 朝鮮 Korea and 造船 shipbuilding)."""
    out: list[tuple[tuple[str, ...], str]] = []
    for spelling in hangul_spellings(unfolded) or hangul_spellings(folded):
        for toks, method in _hangul_readings(spelling):
            if "+words" not in method:
                out.append((toks, method.replace("ko", "ko-hanja", 1)))
    words = _glossary()
    for variant in dict.fromkeys((folded, to_simplified(folded))):
        tokens: list[str] = []
        known = False
        for word in variant.split():
            for piece, key in _segment_words(word):
                if key:
                    known = True
                    tokens.extend(words[key].split())
                    continue
                spelt = hangul_spellings(piece)
                if not spelt:
                    return out
                tokens.append("".join(_hangul_syllable(c) if is_hangul(c) else c for c in spelt[0]))
        if known:
            out.append((tuple(tokens), "ko-hanja+words"))
    return out


_KATAKANA_AND = frozenset({"アンド", "エンド"})


def katakana_reading(text: str) -> tuple[str, ...]:
    """The name with its katakana words back-transliterated (see :mod:`katakana`); kanji words
    translated through the glossary or read in Hepburn, other text kept."""
    tokens: list[str] = []
    words = _glossary()
    for word in text.replace("・", " ").replace("゠", " ").split():
        if word in _KATAKANA_AND:
            continue  # ジョンソン・エンド・ジョンソン: the conjunction, written & in Latin
        run = ""
        for ch in word + " ":
            if run and (is_katakana(ch) != is_katakana(run[0]) or ch == " "):
                if is_katakana(run[0]):
                    for piece, known in _segment_words(run, _katakana_glossary()):
                        tokens.extend(
                            words[known].split() if known else [back_transliterate(piece)]
                        )
                else:
                    folded = fold_japanese(run)
                    for piece, found in _segment_words(folded):
                        tokens.extend(words[piece].split() if found else _romaji(piece))
                run = ""
            run += ch if ch != " " else ""
    return tuple(t for t in tokens if t)


@lru_cache(maxsize=50_000)
def glossary_steps(original: str) -> tuple[str, ...]:
    """The glossary and place-name steps a translated reading of ``original`` took
    ("电子 → electronics", "北京 → beijing (place)"), for the match explanation."""
    places = place_words()
    words = cjk_words()
    steps: list[str] = []
    for variant in dict.fromkeys((original, to_simplified(original))):
        for piece, key in _segment_words(variant):
            if key in places:
                steps.append(f"{piece} → {places[key]} (place)")
            elif key:
                steps.append(f"{piece} → {words[key]}")
    return tuple(dict.fromkeys(steps))


def segments_flag(segment: str) -> bool:
    """Whether a segment is CJK (Han or kana) text."""
    return bool(segment) and (is_han(segment[0]) or is_kana(segment[0]))
