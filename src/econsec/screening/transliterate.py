"""Turn names in non-Latin scripts into Latin token sequences.

Each name yields one or more *readings* (a tuple of tokens plus the method that produced it), so
an explanation can say which transliteration matched. Japanese uses pykakasi (Hepburn) after the
corporate-word dictionary has translated words like 重工業 → "heavy industry"; Chinese uses
pypinyin; Hangul, Cyrillic and Greek use small tables; Armenian, Georgian, Ge'ez, Khmer and Thai a
letter table generated from anyascii (data/script_letters.csv). A run of Han characters without kana is
ambiguous between Japanese and Chinese, so it gets both readings.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

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
    """English inflections folded onto the canonical word (industries → industry)."""
    return dict(_corporate_words()["english_variants"])


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


def _segment_words(run: str) -> list[tuple[str, bool]]:
    """Split a CJK run into (piece, is_dictionary_word), longest dictionary match first."""
    words = cjk_words()
    longest = max((len(k) for k in words), default=1)
    pieces: list[tuple[str, bool]] = []
    buffer = ""
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            if run[i : i + size] in words:
                if buffer:
                    pieces.append((buffer, False))
                    buffer = ""
                pieces.append((run[i : i + size], True))
                i += size
                break
        else:
            buffer += run[i]
            i += 1
    if buffer:
        pieces.append((buffer, False))
    return pieces


def _cjk_readings(run: str, *, japanese: bool, chinese: bool) -> list[tuple[list[str], str]]:
    words = cjk_words()
    pieces = _segment_words(run)
    readings: list[tuple[list[str], str]] = []
    for lang, wanted in (("ja", japanese), ("zh", chinese)):
        if not wanted:
            continue
        plain: list[str] = []
        translated: list[str] = []
        for piece, known in pieces:
            # Pinyin syllables of one run are joined into one token (华为 → huawei), as
            # romanised Chinese names are usually written; the matcher can still split them.
            sound = _romaji(piece) if lang == "ja" else ["".join(_pinyin(piece))]
            plain.extend(sound)
            translated.extend(words[piece].split() if known else sound)
        readings.append((plain, lang))
        if translated != plain:
            readings.append((translated, f"{lang}+words"))
    return readings


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
    return "".join(_hangul_syllable(c) if is_hangul(c) else c for c in word)


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
            words = text.split()
            out = " ".join(_hangul_word(w, first=i == 0) for i, w in enumerate(words))
            # Customary spellings write eo/eu as o/u (정은 → Jong Un), so offer both.
            simple = out.replace("eo", "o").replace("eu", "u")
            return ((tuple(out.split()), "ko"), (tuple(simple.split()), "ko"))
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
    text = fold_japanese(text)
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
    methods = ["ja", "ja+words"] + (["zh", "zh+words"] if chinese else [])
    for method in methods:
        variants[method] = []
    for seg, cjk in segments:
        if not cjk:
            for method in methods:
                variants[method].extend(seg.split())
            continue
        got = dict((m, toks) for toks, m in _cjk_readings(seg, japanese=japanese, chinese=chinese))
        for method in methods:
            base = method.split("+")[0]
            variants[method].extend(got.get(method, got.get(base, [])))
    seen: set[tuple[str, ...]] = set()
    result: list[tuple[tuple[str, ...], str]] = []
    for method in methods:
        toks = tuple(variants[method])
        if toks and toks not in seen:
            seen.add(toks)
            result.append((toks, method))
    return tuple(result)


def segments_flag(segment: str) -> bool:
    """Whether a segment is CJK (Han or kana) text."""
    return bool(segment) and (is_han(segment[0]) or is_kana(segment[0]))
