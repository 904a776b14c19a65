"""Countries: ISO 3166-1 codes with Japanese and English names, and free-text normalisation.

ISO data comes from pycountry (its ISO 3166-1 table and the Debian iso-codes gettext
catalogues, which include Japanese). ``data/country_aliases.csv`` adds the short names and
abbreviations people actually type ("米国", "台湾", "USA", "DRC") and corrects a few catalogue
names that Japanese readers would find odd or wrong (display overrides).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from econsec.reference._data import read_csv

__all__ = [
    "Country",
    "all_countries",
    "country",
    "country_name",
    "is_country",
    "normalise_country",
]

_LANGS = ("ja", "en")
# Chinese catalogues are consulted last: supplier records from Chinese-speaking partners use
# them, and they never override a Japanese or English reading of the same characters.
_EXTRA_CATALOGUES = ("zh_CN", "zh_TW", "zh_HK")


@dataclass(frozen=True, slots=True)
class Country:
    """One ISO 3166-1 country or territory."""

    alpha_2: str
    alpha_3: str
    numeric: str
    name_en: str
    name_ja: str
    iso_name: str

    def name(self, lang: str) -> str:
        """Display name in ``lang`` ("ja" or "en"; anything else gives English)."""
        return self.name_ja if lang.lower().startswith("ja") else self.name_en


def _key(text: str) -> str:
    """Matching key: NFKC, case-folded, without spaces/punctuation or a leading "the"."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    folded = re.sub(r"^the\s+", "", folded)
    # Strip Latin diacritics (Côte → cote) but never decompose kana: dropping the voiced-sound
    # mark of ド would turn ドイツ into トイツ. So a combining mark goes only after a Latin base.
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", folded):
        if unicodedata.combining(ch) and kept and ord(kept[-1]) < 0x250:
            continue
        kept.append(ch)
    folded = unicodedata.normalize("NFC", "".join(kept))
    return "".join(re.findall(r"\w", folded)).replace("_", "")


def _inverted(name: str) -> str | None:
    """ "Korea, Republic of" → "Republic of Korea" (ISO's comma-inverted short names)."""
    if ", " not in name:
        return None
    head, tail = name.split(", ", 1)
    return f"{tail} {head}"


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


@cache
def _aliases() -> tuple[tuple[str, str, str, bool], ...]:
    return tuple(
        (row["alpha_2"], row["lang"], row["alias"], row["display"].strip() == "1")
        for row in read_csv("country_aliases.csv")
    )


@cache
def _countries() -> dict[str, Country]:
    display: dict[tuple[str, str], str] = {}
    for alpha_2, lang, alias, is_display in _aliases():
        if is_display:
            display[(alpha_2, lang)] = alias
    ja = _translations("ja")
    result: dict[str, Country] = {}
    for record in pycountry.countries:
        code = str(record.alpha_2)
        iso_name = str(record.name)
        name_en = display.get((code, "en")) or str(getattr(record, "common_name", iso_name))
        name_ja = display.get((code, "ja")) or ja.gettext(iso_name)
        result[code] = Country(
            alpha_2=code,
            alpha_3=str(record.alpha_3),
            numeric=str(record.numeric),
            name_en=name_en,
            name_ja=name_ja,
            iso_name=iso_name,
        )
    return result


def _index_entries() -> list[tuple[str, str]]:
    """(text, alpha_2) pairs in priority order: codes, display names, ISO names, aliases."""
    entries: list[tuple[str, str]] = []
    countries = _countries()
    for c in countries.values():
        entries += [(c.alpha_2, c.alpha_2), (c.alpha_3, c.alpha_2), (c.numeric, c.alpha_2)]
    for c in countries.values():
        entries += [(c.name_en, c.alpha_2), (c.name_ja, c.alpha_2)]
    ja = _translations("ja")
    for record in pycountry.countries:
        code = str(record.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value:
                entries.append((str(value), code))
                inverted = _inverted(str(value))
                if inverted:
                    entries.append((inverted, code))
        entries.append((ja.gettext(str(record.name)), code))
    entries += [(alias, code) for code, _lang, alias, _display in _aliases()]
    for locale in _EXTRA_CATALOGUES:
        catalogue = _translations(locale)
        for record in pycountry.countries:
            entries.append((catalogue.gettext(str(record.name)), str(record.alpha_2)))
    return entries


@cache
def _index() -> tuple[dict[str, str], tuple[tuple[str, str, str], ...]]:
    """Key → alpha-2, and the conflicts found (key, kept, dropped) for inspection by tests."""
    index: dict[str, str] = {}
    conflicts: list[tuple[str, str, str]] = []
    for text, code in _index_entries():
        key = _key(text)
        if not key:
            continue
        kept = index.setdefault(key, code)
        if kept != code:
            conflicts.append((text, kept, code))
    return index, tuple(conflicts)


def normalise_country(text: str) -> str | None:
    """The ISO alpha-2 code for a country written as a code or a name, else None.

    Accepts alpha-2, alpha-3 and numeric codes in any case and width ("ＪＰ", " jp "),
    English names (ISO, common and official: "Viet Nam", "South Korea", "USA") and Japanese
    names and short forms ("日本", "米国", "台湾", "韓国"). Chinese ISO names are accepted too.
    """
    if not isinstance(text, str):
        return None
    key = _key(text)
    if not key:
        return None
    return _index()[0].get(key)


def is_country(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-2 code (upper case, as stored)."""
    return code in _countries()


def country(code: str) -> Country:
    """The country for an alpha-2 code; raises KeyError for anything else."""
    return _countries()[code]


def country_name(code: str, lang: str) -> str:
    """Display name of ``code`` in ``lang`` ("ja" or "en"); the code itself if unknown."""
    found = _countries().get(code)
    return found.name(lang) if found else code


def all_countries() -> tuple[Country, ...]:
    """Every ISO 3166-1 country, ordered by alpha-2 code."""
    return tuple(sorted(_countries().values(), key=lambda c: c.alpha_2))
