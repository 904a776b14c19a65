"""Han characters read as Korean (hanja → hangul), from Unihan's kHangul field.

A Korean name written in hanja (盧泰愚, 現代建設) is read in hangul (노태우, 현대건설) so that it
meets the same name in hangul and, through the hangul readings, its romanisations (Roh Tae-woo,
Hyundai Engineering & Construction). The table is data/hanja_hangul.csv (Unicode licence).

A character may have several readings. Unihan lists the dictionary reading first and, where
the initial-sound rule (두음법칙) gives South Korean usage another one, that one too (李 리/이,
盧 노/로, 柳 류/유). The rule is applied here to the first syllable of each word, as South Korea
writes names (이, 노, 유); North Korea does not apply it (리설주 Ri Sol Ju, 로동), so the name is
also read without it. Readings approved for personal names (flag N) give a third spelling
(金: 금 by the dictionary, 김 as a surname).
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path

_TABLE = Path(__file__).resolve().parent / "data" / "hanja_hangul.csv"

# Hangul syllable arithmetic (Unicode chapter 3.12): syllable = 0xAC00 + (L * 21 + V) * 28 + T.
_BASE, _VOWELS, _FINALS = 0xAC00, 21, 28
_L_NIEUN, _L_RIEUL, _L_IEUNG = 2, 5, 11
# Vowels that begin with an i or y sound (ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ), before which ㄴ and ㄹ fall silent.
_Y_VOWELS = frozenset({2, 3, 6, 7, 12, 17, 20})


@cache
def hanja_table() -> dict[str, tuple[tuple[str, str], ...]]:
    """Character → its readings as (hangul syllable, source flags), in Unihan's order."""
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    with _TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            readings = []
            for item in row["kHangul"].split():
                syllable, _, flags = item.partition(":")
                if len(syllable) == 1:
                    readings.append((syllable, flags))
            if readings:
                table[row["char"]] = tuple(readings)
    return table


def initial_sound_rule(syllable: str) -> str:
    """The syllable as South Korea writes it at the start of a word: ㄹ becomes ㄴ, and ㄴ or
    ㄹ before an i/y vowel becomes silent ㅇ (리 → 이, 로 → 노, 녀 → 여)."""
    index = ord(syllable) - _BASE
    if not 0 <= index < 19 * _VOWELS * _FINALS:
        return syllable
    initial, rest = divmod(index, _VOWELS * _FINALS)
    vowel = rest // _FINALS
    if initial in (_L_NIEUN, _L_RIEUL) and vowel in _Y_VOWELS:
        initial = _L_IEUNG
    elif initial == _L_RIEUL:
        initial = _L_NIEUN
    return chr(_BASE + initial * _VOWELS * _FINALS + rest)


def _word(word: str, *, names: bool, rule: bool) -> str | None:
    table = hanja_table()
    out: list[str] = []
    for ch in word:
        if "\uac00" <= ch <= "\ud7a3":
            out.append(ch)
            continue
        readings = table.get(ch)
        if readings is None:
            return None
        chosen = readings[0][0]
        if names:
            chosen = next((s for s, flags in readings if "N" in flags), chosen)
        out.append(initial_sound_rule(chosen) if rule and not out else chosen)
    return "".join(out)


@lru_cache(maxsize=50_000)
def hangul_spellings(text: str) -> tuple[str, ...]:
    """The hangul spellings of a name written in hanja, most usual first (empty when a
    character has no Korean reading or the text holds no Han character). Words are separated
    by spaces; characters that are already hangul are kept."""
    table = hanja_table()
    if not any(ch in table for ch in text):
        return ()
    spellings: list[str] = []
    for names, rule in ((False, True), (True, True), (False, False)):
        words = []
        for word in text.split():
            read = _word(word, names=names, rule=rule)
            if read is None:
                return ()
            words.append(read)
        spelling = " ".join(words)
        if spelling not in spellings:
            spellings.append(spelling)
    return tuple(spellings)
