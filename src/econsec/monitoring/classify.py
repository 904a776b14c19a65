"""Placing a news item on the value chain: the footprint a title and summary imply, with why.

Words from a bundled gazetteer (data/gazetteer.yaml: kinds, countries, regions, minerals,
chokepoints in ja/en/zh) and the names of our own counterparties are looked for in the text.
Every inferred value keeps the words that produced it, so the analyst sees why the event was
placed where it was and can correct it (the correction is stored with the event).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from econsec import safe_yaml
from econsec.monitoring.footprint import EVENT_KINDS, Footprint

Inference = tuple[str, str, str]
"""(field, value, the words in the text that gave it)."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _pattern(word: str) -> re.Pattern[str]:
    folded = re.escape(_fold(word))
    if word.isascii():
        return re.compile(rf"(?<![a-z0-9]){folded}(?![a-z0-9])")
    return re.compile(folded)


@dataclass(frozen=True)
class _Word:
    field: str
    value: str
    word: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Gazetteer:
    words: tuple[_Word, ...]
    region_country: dict[str, str]


@cache
def gazetteer() -> Gazetteer:
    text = resources.files("econsec.monitoring").joinpath("data/gazetteer.yaml").read_text("utf-8")
    data: dict[str, Any] = safe_yaml.load(text, source="gazetteer.yaml")[0]
    words: list[_Word] = []
    for kind in data["kinds"]:
        assert kind in EVENT_KINDS, kind
    sections = {
        "kind": data["kinds"],
        "countries": data["countries"],
        "mineral_tags": data["minerals"],
        "chokepoints": data["chokepoints"],
    }
    region_country = {}
    regions = {}
    for name, entry in data["regions"].items():
        region_country[name] = entry[0]
        regions[name] = [name, *entry[1:]]
    sections["regions"] = regions
    for field_name, table in sections.items():
        for value, aliases in table.items():
            for word in set(map(str, aliases)):
                words.append(_Word(field_name, str(value), word, _pattern(word)))
    # Longer words first: the words of "Taiwan Strait" are not also read as "Taiwan".
    words.sort(key=lambda w: (-len(w.word), w.field, w.value, w.word))
    return Gazetteer(tuple(words), region_country)


@dataclass(frozen=True)
class Classified:
    footprint: Footprint
    inferences: tuple[Inference, ...]


def classify(title: str, summary: str = "", org_names: dict[str, str] | None = None) -> Classified:
    """The footprint ``title`` and ``summary`` imply, and why each value was inferred.

    ``org_names`` maps a counterparty's name (as the value chain spells it) to its org id; a
    name found in the text puts that organisation in the footprint.
    """
    text = _fold(f"{title}\n{summary}")
    found: dict[str, dict[str, str]] = {}
    taken: list[tuple[int, int]] = []
    for w in gazetteer().words:
        for m in w.pattern.finditer(text):
            inside = any(a <= m.start() and m.end() <= b for a, b in taken)
            if w.field == "kind" or not inside:
                if w.field != "kind":
                    taken.append(m.span())
                found.setdefault(w.field, {}).setdefault(w.value, w.word)
    kinds = found.pop("kind", {})
    # The gazetteer lists kinds in priority order; without any, the item touches but stops
    # nothing until an analyst says otherwise.
    kind = next((k for k in EVENT_KINDS if k in kinds), "regulation")
    inferences: list[Inference] = []
    if kind in kinds:
        inferences.append(("kind", kind, kinds[kind]))
    countries = dict(found.get("countries", {}))
    for region, word in found.get("regions", {}).items():
        country = gazetteer().region_country[region]
        countries.setdefault(country, word)
    orgs: dict[str, str] = {}
    for name, org in (org_names or {}).items():
        if len(name) >= 4 and _fold(name) in text:
            orgs.setdefault(org, name)
    fields: dict[str, tuple[str, ...]] = {}
    for field_name, values in (
        ("countries", countries),
        ("regions", found.get("regions", {})),
        ("mineral_tags", found.get("mineral_tags", {})),
        ("chokepoints", found.get("chokepoints", {})),
        ("orgs", orgs),
    ):
        fields[field_name] = tuple(sorted(values))
        inferences += [(field_name, v, values[v]) for v in sorted(values)]
    if kind == "sanction" and not orgs:
        # A listing we cannot tie to a counterparty is news, not a sanction on our chain.
        kind = "regulation"
    return Classified(Footprint(kind, **fields), tuple(inferences))  # type: ignore[arg-type]
