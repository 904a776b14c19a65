"""Normalise a name into comparable Latin token forms.

Steps: Unicode NFKC (full/half width), legal forms written in CJK/Cyrillic script, case,
punctuation, transliteration (see :mod:`transliterate`), Latin diacritics, numbers written as
words (see :mod:`numbers`), English inflections and abbreviations of corporate words, and Latin
legal forms at either end of the name. A name can have several forms (one per reading, one
with title words kept, one in the Wade-Giles key for romanised Chinese); each remembers its
method and the legal forms it had.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from econsec.screening.chinese import wade_giles_key
from econsec.screening.numbers import fold_numbers
from econsec.screening.transliterate import (
    cjk_words,
    english_variants,
    fold_japanese,
    organisation_types,
    readings,
)

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class NameForm:
    """One comparable rendering of a name."""

    tokens: tuple[str, ...]
    method: str
    legal_forms: tuple[str, ...] = ()
    # The name in its own (non-Latin) script, folded, without legal forms or spaces; "" for
    # Latin names. Two names in the same script are compared on this too (see names.py).
    original: str = ""
    # The title words this form keeps although another form of the name drops them ("general"
    # in "General Motors"); it is only worth comparing with names that hold them too.
    kept_titles: tuple[str, ...] = ()

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


@cache
def _legal_forms() -> tuple[dict[tuple[str, ...], str], list[tuple[str, str]]]:
    data = yaml.safe_load((_DATA / "legal_forms.yaml").read_text("utf-8"))
    latin: dict[tuple[str, ...], str] = {}
    script: list[tuple[str, str]] = []
    for form, spec in data.items():
        for seq in spec.get("latin", []):
            latin[tuple(seq.split())] = str(form)
        for text in spec.get("script", []):
            script.append((unicodedata.normalize("NFKC", text).casefold(), str(form)))
    # Longest first so 股份有限公司 wins over 有限公司 and 公司.
    script.sort(key=lambda item: -len(item[0]))
    return latin, script


_LATIN_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold_latin(token: str) -> str:
    """Strip diacritics and fold special Latin letters (Müller → muller, Łódź → lodz)."""
    token = token.translate(_LATIN_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _punctuation_to_space(text: str) -> str:
    out: list[str] = []
    for ch in text:
        # Combining marks are vowel signs in Khmer, Thai and other abugidas, part of the word.
        if ch.isalnum() or unicodedata.category(ch).startswith("M"):
            out.append(ch)
        elif ch in "'’`´":
            continue  # O'Brien → obrien, not "o brien"
        else:
            out.append(" ")
    return "".join(out)


def _strip_script_forms(text: str) -> tuple[str, list[str]]:
    _, script = _legal_forms()
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        stripped = text.strip()
        for pattern, form in script:
            if stripped.startswith(pattern):
                text, changed = stripped[len(pattern) :], True
            elif stripped.endswith(pattern) and len(stripped) > len(pattern):
                text, changed = stripped[: -len(pattern)], True
            if changed:
                found.append(form)
                break
    return text, found


@cache
def _long_latin_forms() -> dict[str, str]:
    """Joined spellings of the legal forms of two or more words ("joint stock company")."""
    latin, _ = _legal_forms()
    return {" ".join(seq): form for seq, form in latin.items() if len(seq) >= 2}


def _misspelt_form_at_end(tokens: list[str]) -> tuple[int, str] | None:
    """A legal form of several words at the end of the name with a typo or cut short, as
    lists cut names at a field width ("JOINT STOCK COMPAN") or misspell them ("JOYNT")."""
    long_forms = _long_latin_forms()
    for size in (4, 3, 2):
        if len(tokens) <= size:
            continue
        tail = " ".join(tokens[-size:])
        if len(tail) < 10:
            continue
        best = process.extractOne(
            tail, long_forms.keys(), scorer=Levenshtein.normalized_similarity, score_cutoff=0.9
        )
        if best is not None:
            return size, long_forms[best[0]]
    return None


def _strip_latin_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    latin, _ = _legal_forms()
    found: list[str] = []
    if len(tokens) > 2 and not any(tuple(tokens[-n:]) in latin for n in (2, 3, 4, 5)):
        misspelt = _misspelt_form_at_end(tokens)
        if misspelt is not None:
            tokens, found = tokens[: -misspelt[0]], [misspelt[1]]
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in (5, 4, 3, 2, 1):
            if len(tokens) <= size:
                continue
            if tuple(tokens[-size:]) in latin:
                found.append(latin[tuple(tokens[-size:])])
                tokens, changed = tokens[:-size], True
                break
            if tuple(tokens[:size]) in latin:
                found.append(latin[tuple(tokens[:size])])
                tokens, changed = tokens[size:], True
                break
    return tokens, found


@cache
def _stopwords() -> tuple[frozenset[str], dict[str, str]]:
    data = yaml.safe_load((_DATA / "stopwords.yaml").read_text("utf-8"))
    return frozenset(data["titles"]), dict(data["particles"])


@cache
def generic_words() -> frozenset[str]:
    """Canonical English corporate words (the values of the corporate-word dictionary)."""
    words = {w for value in cjk_words().values() for w in value.split()}
    words.update(english_variants().values())
    words.update(organisation_types())
    return frozenset(words - {"japan"})


_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a"}
)


def _fold_token(token: str) -> str:
    # A token mixing letters and digits is usually obfuscation (Ig0r Sech1n), not a number.
    if any(c.isdigit() for c in token) and sum(c.isalpha() for c in token) >= 2:
        return token.translate(_LEET)
    return token


def _drop_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The tokens without titles, and all of them; particles folded in both."""
    titles, particles = _stopwords()
    folded = [particles.get(t, t) for t in tokens]
    kept = [p for t, p in zip(tokens, folded, strict=True) if t not in titles]
    return kept or folded, folded


@lru_cache(maxsize=500_000)
def name_forms(name: str) -> tuple[NameForm, ...]:
    """All comparable forms of ``name`` (empty when nothing comparable is left)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text, script_forms = _strip_script_forms(text)
    text = _punctuation_to_space(text)
    original = ""
    if any(ch.isalpha() and not ch.isascii() and not fold_latin(ch).isascii() for ch in text):
        original = fold_japanese("".join(text.split()))
    variants = english_variants()
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for raw_tokens, method in readings(" ".join(text.split())):
        split = [t for raw in raw_tokens for t in _punctuation_to_space(fold_latin(raw)).split()]
        tokens: list[str] = []
        # Numbers first: "1st" and "44th" are ordinals, not obfuscated letters.
        # Number words are English, French, German, Spanish: romaji "ten" (天) is no number.
        for token in fold_numbers(split) if method in ("latin", "ru", "el") else split:
            token = _fold_token(token)
            tokens.append(variants.get(token, token))
        tokens, latin_forms = _strip_latin_forms(tokens)
        # A title word can also be part of the name ("General Motors", "van der Bilt"), so
        # the name is also kept with it when dropping changed something.
        dropped, whole = _drop_titles(tokens)
        titles, _ = _stopwords()
        kept = tuple(dict.fromkeys(t for t in whole if t in titles))
        for variant, kept_titles in ((dropped, ()), (whole, kept)):
            key = tuple(variant)
            if not key or key in seen:
                continue
            seen.add(key)
            forms.append(
                NameForm(key, method, tuple(script_forms + latin_forms), original, kept_titles)
            )
            # Romanised Chinese in either system also gets the Wade-Giles key (chinese.py).
            wade_giles = wade_giles_key(key) if method in ("latin", "zh") else None
            if wade_giles and wade_giles not in seen:
                seen.add(wade_giles)
                forms.append(
                    NameForm(wade_giles, "zh-wg", tuple(script_forms + latin_forms), original)
                )
    return tuple(forms)
