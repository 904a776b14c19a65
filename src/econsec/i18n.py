"""Bilingual messages (ja/en) from YAML catalogs.

Each package keeps its user-facing strings in its own ``messages.yaml`` (``key: {ja: …, en: …}``),
so packages grow without touching a central file. A test fails when any key lacks a language.
Templates use ``str.format`` fields: ``{sheet}``, ``{row}``…
"""

from __future__ import annotations

import locale
import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("ja", "en")
_ROOT = Path(__file__).resolve().parent


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages of all packages, keyed by message id."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted([_ROOT / "messages.yaml", *_ROOT.glob("*/messages.yaml")]):
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice (again in {path.name})")
            merged[str(key)] = {str(k): str(v) for k, v in texts.items()}
    return merged


def default_lang() -> str:
    """ECONSEC_LANG, else the process locale: Japanese locales give 'ja', others 'en'."""
    configured = os.environ.get("ECONSEC_LANG")
    if configured in LANGUAGES:
        return configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    loc = locale.getlocale()[0] or ""
    return "ja" if loc.lower().startswith("ja") else "en"


def normalise_lang(lang: str | None) -> str:
    if lang is None:
        return default_lang()
    short = lang.split("-")[0].split("_")[0].lower()
    return short if short in LANGUAGES else "en"


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in."""
    texts = catalog().get(key)
    if texts is None:
        raise KeyError(f"unknown message id {key!r}")
    template = texts[normalise_lang(lang)]
    return template.format(**params) if params else template


def label(texts: dict[str, str], lang: str | None = None) -> str:
    """Pick one language from an inline ``{ja: …, en: …}`` label in reference data."""
    chosen = normalise_lang(lang)
    return texts.get(chosen) or texts.get("en") or next(iter(texts.values()))
