"""Numbers written as words, ordinals or Roman numerals, read as digits.

"Brigade Forty-Four", "Brigade Forty 4" and "Brigade 44" are one name, and "First Bank" is
"1st Bank". Words come from data/number_words.yaml. Roman numerals are valued by rule but left
as letters in names (see READ_ROMAN).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).resolve().parent / "data"

# Two or more letters, value 2-39: single letters are initials (William C. Frost), and longer
# numerals (civ, liv, mix, dim) are more often words or name syllables than numbers.
_ROMAN = re.compile(r"^x{0,3}(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# Roman numerals are valued (roman_value) but not folded into names: read as numbers, "Fund
# VII" and "Fund VIII" would fall under the matcher's number-mismatch rule and be called
# different parties, while a reviewer would want a fund of the same sponsor one vintage apart
# raised for review (and nomenklatura's labelled pairs call 10 of 11 such swaps the same party).
# As letters they still meet closely (vii/viii). Decision record 0033.
READ_ROMAN = False
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(st|nd|rd|th)$")


@cache
def _words() -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    data = yaml.safe_load((_DATA / "number_words.yaml").read_text("utf-8"))
    return (
        {str(k): int(v) for k, v in data["units"].items()},
        {str(k): int(v) for k, v in data["tens"].items()},
        {str(k): int(v) for k, v in data["ordinals"].items()},
        {str(k): int(v) for k, v in data["multipliers"].items()},
    )


def roman_value(token: str) -> int | None:
    """The value of a Roman numeral token of two or more letters (2-39), else None."""
    if len(token) < 2 or not _ROMAN.match(token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
        total += -value if value < following else value
    return total


def fold_numbers(tokens: list[str]) -> list[str]:
    """Replace runs of number words (and a digit after a tens word) by their value in digits.

    Tokens are lower-case and folded to ASCII; other tokens pass through unchanged.
    """
    units, tens, ordinals, multipliers = _words()
    if not any(
        t in units or t in tens or t in ordinals or t[:1].isdigit() or t[:1] in "ivx"
        for t in tokens
    ):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        suffixed = _ORDINAL_SUFFIX.match(token)
        if suffixed:  # 1st, 44th
            out.append(suffixed.group(1))
            i += 1
            continue
        # A name does not start with its series number, and "xi" is more often the Chinese
        # surname than eleven.
        roman = roman_value(token) if READ_ROMAN and i > 0 and token != "xi" else None
        if roman is not None:
            out.append(str(roman))
            i += 1
            continue
        if not (token in units or token in tens or token in ordinals):
            out.append(token)
            i += 1
            continue
        total = current = 0
        after_tens = False
        while i < len(tokens):
            t = tokens[i]
            fresh = current % 100 == 0  # nothing yet, or a round hundred
            if t in units and (fresh or (after_tens and units[t] < 10)):
                current += units[t]
            elif t in tens and fresh:
                current += tens[t]
            elif t in ordinals and (fresh or (after_tens and ordinals[t] < 10)):
                current += ordinals[t]
                i += 1
                break  # an ordinal ends the number
            elif t.isdigit() and after_tens and len(t) == 1 and t != "0":
                current += int(t)  # "Forty 4"
            elif t in multipliers and current:
                if multipliers[t] >= 1000:
                    total += current * multipliers[t]
                    current = 0
                else:
                    current *= multipliers[t]
            elif (
                t == "and"
                and (current or total)
                and i + 1 < len(tokens)
                and (tokens[i + 1] in units or tokens[i + 1] in tens)
            ):
                pass  # "one hundred and five"
            else:
                break
            after_tens = t in tens
            i += 1
        out.append(str(total + current))
    return out
