"""Supplier-facing text in ja, en and zh.

The workbench speaks Japanese and English (econsec.i18n); a supplier's workbook and upload page
speak the supplier's language, Chinese too. Survey messages carry a ``zh`` text beside ``ja``
and ``en`` in messages.yaml; a message without one (the workbook guard's) falls back to English.
"""

from __future__ import annotations

from typing import Any

from econsec.i18n import catalog, normalise_lang

SUPPLIER_LANGUAGES = ("ja", "en", "zh")


def supplier_lang(lang: str | None) -> str:
    """``lang`` when a supplier language (zh-CN → zh), else the workbench's choice."""
    short = (lang or "").split("-")[0].split("_")[0].lower()
    return short if short in SUPPLIER_LANGUAGES else normalise_lang(lang)


def tr(key: str, lang: str, /, **params: Any) -> str:
    """The message ``key`` in the supplier language ``lang`` (English when it has none)."""
    texts = catalog().get(key)
    if texts is None:
        raise KeyError(f"unknown message id {key!r}")
    template = texts.get(lang) or texts[normalise_lang(lang)]
    return template.format(**params) if params else template
