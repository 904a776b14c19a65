"""Locale-aware display of numbers, money and dates (ja and en).

Both languages group thousands with "," and use "." for decimals; they differ in date order and
in how a currency is written (ja: 1,234円 / 1,234.00 米ドル style is avoided in favour of the ISO
code, which analysts read in both languages).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

# ISO 4217 minor units for the currencies a value chain is likely to use; others get 2.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "TWD": 2, "KWD": 3, "BHD": 3}
_JA_SUFFIX = {"JPY": "円"}
_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def format_number(value: Any, lang: str, digits: int | None = None) -> str:
    """``1234567.891`` → ``1,234,567.89`` (digits defaults: 0 for integers, up to 2 otherwise)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if digits is None:
        digits = 0 if number == number.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-digits)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return f"{rounded:,.{digits}f}"


def format_percent(value: Any, lang: str, digits: int = 1) -> str:
    """A fraction 0.256 → ``25.6%``."""
    if value is None or value == "":
        return "—"
    return f"{format_number(Decimal(str(value)) * 100, lang, digits)}%"


def format_money(value: Any, currency: str, lang: str) -> str:
    """Money in its currency's minor units: ja ``12,345円`` / ``1,234.50 USD``; en ``¥12,345``."""
    if value is None or value == "":
        return "—"
    code = (currency or "").upper()
    amount = format_number(value, lang, _MINOR_UNITS.get(code, 2))
    if lang == "ja":
        if code in _JA_SUFFIX:
            return f"{amount}{_JA_SUFFIX[code]}"
        return f"{amount} {code}".strip()
    symbol = _SYMBOLS.get(code)
    if symbol:
        if amount.startswith("-"):
            return f"-{symbol}{amount[1:]}"
        return f"{symbol}{amount}"
    return f"{code} {amount}".strip()


def format_datetime(value: datetime | date | None, lang: str) -> str:
    """ja ``2026年1月23日 14:05``; en ``23 Jan 2026, 14:05`` (in the configured time zone)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if lang == "ja":
            return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
        return f"{local.day} {local:%b %Y, %H:%M}"
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%b %Y}"
