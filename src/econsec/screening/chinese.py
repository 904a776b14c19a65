"""Romanised Chinese names in one key, whichever system wrote them.

Pinyin ("Mao Zedong", "Xi Jinping") and Wade-Giles ("Mao Tse-tung", "Hsi Chin-p'ing") spell the
same syllables differently. A Latin name whose every token splits into Chinese syllables gets a
further form in which each syllable is written in Wade-Giles without aspiration marks (which
names usually drop: "Chin-ping"), so both spellings meet. The key merges what Wade-Giles
without apostrophes cannot tell apart (b/p, d/t, g/k, j/q/zh/ch, z/c): weaker evidence than an
exact spelling, which is why it is a form of its own and the explanation names it.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"
_LONGEST = 6  # the longest syllable (zhuang, chuang, shuang)


def _key(wade_giles: str) -> str:
    return wade_giles.replace("'", "").replace("ü", "u")


@cache
def _syllables() -> dict[str, str]:
    """Folded syllable (pinyin or Wade-Giles) → key; pinyin wins where the two collide."""
    lines = (_DATA / "chinese_syllables.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    table: dict[str, str] = {}
    for row in rows:  # Wade-Giles spellings first, so that pinyin overrides them
        table[_key(row["wade_giles"])] = _key(row["wade_giles"])
    # Wade-Giles variants in common use: szu for ssu, tsu for tzu.
    table.setdefault("szu", "ssu")
    table.setdefault("tsu", "tzu")
    for row in rows:
        table[row["pinyin"].replace("ü", "u")] = _key(row["wade_giles"])
    return table


@lru_cache(maxsize=100_000)
def _split(token: str) -> tuple[str, ...] | None:
    """The token as a sequence of syllable keys (fewest syllables), or None."""
    table = _syllables()
    n = len(token)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(max(0, end - _LONGEST), end):
            prefix = best[start]
            key = table.get(token[start:end])
            if prefix is None or key is None:
                continue
            candidate = (*prefix, key)
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[n]


def wade_giles_key(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    """The name's tokens in the Wade-Giles key, or None when a token is not Chinese syllables
    or nothing changes."""
    if not tokens or len(tokens) > 4:
        return None  # Chinese personal names have two to four syllable groups
    out: list[str] = []
    for token in tokens:
        if not token.isalpha() or not token.isascii():
            return None
        keys = _split(token)
        if keys is None:
            return None
        out.append("".join(keys))
    result = tuple(out)
    return None if result == tokens else result
