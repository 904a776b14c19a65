"""Bilingual text and locale formatting for reports (no Django needed).

A report is assembled once and shown in either language, so every message is rendered into both
at assembly time: ``{"ja": …, "en": …}``. Figures inside messages are formatted per language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from econsec.i18n import LANGUAGES, t

Bilingual = dict[str, str]

_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0}
_JA_SUFFIX = {"JPY": "円"}
_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class Money:
    """An amount in ``currency`` (major units), formatted per language inside messages."""

    amount: float
    currency: str


@dataclass(frozen=True)
class Pct:
    """A fraction shown as a percentage."""

    fraction: float
    digits: int = 0


@dataclass(frozen=True)
class Num:
    value: float
    digits: int = 1


def number(value: float | int | None, digits: int = 0) -> str:
    """``1234567.891`` → ``1,234,567.89`` (both languages group with "," here)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    return f"{rounded:,.{digits}f}"


def money(amount: float | None, currency: str, lang: str) -> str:
    """ja ``12,345円``; en ``¥12,345``; other currencies by ISO code."""
    if amount is None or not math.isfinite(amount):
        return "—"
    code = currency.upper()
    text = number(amount, _MINOR_UNITS.get(code, 2))
    if lang == "ja":
        return f"{text}{_JA_SUFFIX[code]}" if code in _JA_SUFFIX else f"{text} {code}"
    symbol = _SYMBOLS.get(code)
    if symbol is None:
        return f"{code} {text}"
    return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"


def percent(fraction: float | None, digits: int = 0) -> str:
    if fraction is None or not math.isfinite(fraction):
        return "—"
    return f"{number(fraction * 100, digits)}%"


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Money):
        return money(value.amount, value.currency, lang)
    if isinstance(value, Pct):
        return percent(value.fraction, value.digits)
    if isinstance(value, Num):
        return number(value.value, value.digits)
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        return value[lang]
    return value


def both(key: str, **params: Any) -> Bilingual:
    """The message ``key`` in every language, figures formatted for each."""
    return {
        lang: t(key, lang, **{k: _param(v, lang) for k, v in params.items()}) for lang in LANGUAGES
    }


def same(text: str) -> Bilingual:
    """Text that reads the same in every language (codes, names as entered)."""
    return dict.fromkeys(LANGUAGES, text)


def joined(parts: list[Bilingual], sep: str = " / ") -> Bilingual:
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGUAGES}
