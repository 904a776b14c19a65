"""Template helpers: ``{% t "web.key" name=value %}`` and locale-aware formatting filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import translation

from econsec.i18n import label as pick_label
from econsec.i18n import t as translate

from .. import formatting
from ..markup import query_string

register = template.Library()


def _lang() -> str:
    return (translation.get_language() or "ja").split("-")[0]


@register.simple_tag(name="t")
def t_tag(key: str, **params: Any) -> str:
    """The message ``key`` in the active language (autoescaped by the template engine)."""
    return translate(key, _lang(), **params)


@register.filter
def num(value: Any, digits: int | None = None) -> str:
    return formatting.format_number(value, _lang(), digits)


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    return formatting.format_percent(value, _lang(), digits)


@register.filter
def width(value: Any, scale: float = 1.0) -> str:
    """The ``w-N`` class that draws a bar N% wide, N = value × scale rounded into 0–100.

    Widths are classes (app.css), not ``style`` attributes: the Content-Security-Policy allows
    no inline styles.
    """
    try:
        percent = float(value) * float(scale)
    except (TypeError, ValueError):
        percent = 0.0
    if percent != percent:  # NaN
        percent = 0.0
    return f"w-{round(min(100.0, max(0.0, percent)))}"


@register.filter
def money(value: Any, currency: str) -> str:
    return formatting.format_money(value, currency, _lang())


@register.filter
def when(value: datetime | date | None) -> str:
    return formatting.format_datetime(value, _lang())


@register.filter
def tag_label(tag: str) -> str:
    """An item tag's label in the active language (the slug stays in the data)."""
    from econsec.reference.labels import tag_label as label_of

    return label_of(str(tag), _lang())


@register.filter
def unit_label(unit: str) -> str:
    """A unit's label in the active language (``pcs`` → 個)."""
    from econsec.reference.labels import unit_label as label_of

    return label_of(str(unit), _lang())


@register.filter
def bilingual(texts: dict[str, str] | None) -> str:
    """Pick the active language from a ``{"ja": …, "en": …}`` dict."""
    if not texts:
        return ""
    return pick_label(texts, _lang())


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: Any) -> str:
    """The current query string with ``changes`` applied (None removes a parameter)."""
    return query_string(context["request"].GET.dict(), **changes)
