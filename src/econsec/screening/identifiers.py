"""Strong identifiers of organisations: Japan's corporate number (法人番号) and the LEI.

Both carry check digits, so a value that validates is very unlikely to be a typo of another:
when the subject and a list entry carry one of the same scheme, equal values decide the match
and different values speak against it (see :func:`scoring.qualify`). Values that fail their
check are not strong identifiers; they still take part in the plain identifier comparison.
"""

from __future__ import annotations

import re
import unicodedata

CORPORATE_NUMBER = "jp_corporate_number"
LEI = "lei"

_PREFIXES = {
    "法人番号": CORPORATE_NUMBER,
    "corporatenumber": CORPORATE_NUMBER,
    "jcn": CORPORATE_NUMBER,
    "lei": LEI,
}


def corporate_number_valid(value: str) -> bool:
    """A 13-digit 法人番号 whose first digit is its check digit: 9 − (Σ Pₙ·Qₙ mod 9) over the
    other twelve digits Pₙ counted from the right, Qₙ = 1 for odd n and 2 for even n (National
    Tax Agency, 法人番号の指定等に関する省令 第2条)."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    base = value[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return int(value[0]) == 9 - total % 9


def lei_valid(value: str) -> bool:
    """A 20-character LEI whose check digits satisfy ISO 17442 (ISO/IEC 7064 MOD 97-10: the
    code read as a number, letters A–Z as 10–35, leaves remainder 1 when divided by 97)."""
    if len(value) != 20 or not value.isascii() or not value.isalnum():
        return False
    digits = "".join(str(int(ch, 36)) for ch in value.upper())
    return int(digits) % 97 == 1


def _compact(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    return re.sub(r"[\s\-‐–.]", "", text)


def strong_identifier(value: str) -> tuple[str, str] | None:
    """(scheme, canonical value) when ``value`` is a valid corporate number or LEI, written
    alone or after a label ("法人番号: 1180301018771", "LEI 5493…")."""
    text = _compact(value)
    scheme_hint = None
    folded = text.casefold()
    for label, scheme in _PREFIXES.items():
        if folded.startswith(label):
            scheme_hint, text = scheme, text[len(label) :].lstrip(":：#")
            break
    if scheme_hint in (None, CORPORATE_NUMBER) and corporate_number_valid(text):
        return CORPORATE_NUMBER, text
    if scheme_hint in (None, LEI) and lei_valid(text):
        return LEI, text.upper()
    return None


def strong_identifiers(values: tuple[str, ...] | list[str]) -> dict[str, set[str]]:
    """The valid strong identifiers among ``values``, by scheme."""
    out: dict[str, set[str]] = {}
    for value in values:
        found = strong_identifier(value)
        if found is not None:
            out.setdefault(found[0], set()).add(found[1])
    return out
