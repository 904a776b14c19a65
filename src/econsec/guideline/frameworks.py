"""Self-assessment frameworks: typed, immutable, loaded from YAML data and validated.

A framework is areas > items > questions, every text in Japanese and English. Items carry an
importance (weight for scoring and gap priority), the principles they serve, typical evidence
and (optionally) item-specific maturity descriptors 0-4; the framework carries a generic scale.

The built-in frameworks live in ``data/frameworks/*.yaml``; ``framework.schema.json`` is their
JSON Schema. Validation = the schema + rules a schema cannot express (unique ids, principle
references, scale levels). Errors are collected, each with its location, and raised together.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from econsec import safe_yaml
from econsec.i18n import normalise_lang, t

SCHEMA_TAG = "econsec.guideline.framework/1"
IMPORTANCE_WEIGHT = {"high": 3, "medium": 2, "low": 1}
MATURITY_LEVELS = (0, 1, 2, 3, 4)
LANGUAGES = ("ja", "en")
# The bundled guideline is about 200 KB; CISO Assistant libraries run to a few MB.
MAX_FRAMEWORK_BYTES = 8 * 1024 * 1024
_DATA = resources.files("econsec.guideline") / "data"


@dataclass(frozen=True)
class Text:
    """One text in both languages. A framework that declares only one language (imported
    checklists, decision 0043) leaves the other empty; ``get`` then falls back to the text
    there is rather than showing nothing."""

    ja: str
    en: str

    def get(self, lang: str | None = None) -> str:
        if normalise_lang(lang) == "ja":
            return self.ja or self.en
        return self.en or self.ja

    def as_dict(self) -> dict[str, str]:
        return {lang: text for lang, text in (("ja", self.ja), ("en", self.en)) if text}


@dataclass(frozen=True)
class Question:
    id: str
    text: Text


@dataclass(frozen=True)
class Item:
    id: str
    name: Text
    description: Text
    importance: str
    typical_evidence: Text
    questions: tuple[Question, ...]
    principles: tuple[str, ...] = ()
    # Item-specific descriptors for levels 0..4, or None to use the framework's scale.
    maturity: tuple[Text, ...] | None = None

    @property
    def weight(self) -> int:
        return IMPORTANCE_WEIGHT[self.importance]


@dataclass(frozen=True)
class Area:
    id: str
    name: Text
    description: Text
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Principle:
    id: str
    name: Text
    description: Text


@dataclass(frozen=True)
class MaturityLevel:
    level: int
    name: Text
    description: Text


@dataclass(frozen=True)
class Source:
    publisher: str = ""
    title: Text | None = None
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Framework:
    id: str
    family: str
    edition: str
    version: int
    derivation: str
    name: Text
    description: Text
    provenance: Text
    maturity_scale: tuple[MaturityLevel, ...]
    principles: tuple[Principle, ...]
    areas: tuple[Area, ...]
    source: Source | None = field(default=None)
    # The languages every text is given in; bundled frameworks always have both.
    languages: tuple[str, ...] = LANGUAGES

    def items(self) -> Iterator[tuple[Area, Item]]:
        """Every item with its area, in framework order."""
        for area in self.areas:
            for item in area.items:
                yield area, item

    def questions(self) -> Iterator[tuple[Area, Item, Question]]:
        """Every question with its item and area, in framework order."""
        for area, item in self.items():
            for question in item.questions:
                yield area, item, question

    @cached_property
    def item_index(self) -> dict[str, Item]:
        return {item.id: item for _, item in self.items()}

    @cached_property
    def question_index(self) -> dict[str, tuple[Item, Question]]:
        return {q.id: (item, q) for _, item, q in self.questions()}

    @cached_property
    def area_of_item(self) -> dict[str, str]:
        return {item.id: area.id for area, item in self.items()}

    def maturity_text(self, item: Item, level: int) -> Text:
        """The descriptor of ``level`` for ``item`` (item-specific, else the generic scale)."""
        if item.maturity is not None:
            return item.maturity[level]
        return self.maturity_scale[level].description


@dataclass(frozen=True)
class Issue:
    """One problem found in framework data, with where it is."""

    location: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t("guideline.framework.issue", lang, where=self.location) + t(
            self.key, lang, **self.params
        )


class FrameworkError(ValueError):
    """Framework data did not validate; ``issues`` lists every problem with its location."""

    def __init__(self, source: str, issues: list[Issue]) -> None:
        self.source = source
        self.issues = issues
        first = f"{issues[0].location}: {issues[0].key}" if issues else ""
        super().__init__(f"{source}: {len(issues)} problem(s); {first}")

    def messages(self, lang: str | None = None) -> list[str]:
        return [f"{self.source}: {issue.message(lang)}" for issue in self.issues]


@cache
def framework_schema(languages: tuple[str, ...] = LANGUAGES) -> dict[str, Any]:
    """The JSON Schema of framework files (package data).

    The shipped file requires every text in both languages. A framework that declares fewer
    ``languages`` is checked against a copy requiring only those (decision 0043)."""
    loaded: dict[str, Any] = json.loads(
        (_DATA / "framework.schema.json").read_text(encoding="utf-8")
    )
    if languages != LANGUAGES:
        loaded = copy.deepcopy(loaded)
        loaded["$defs"]["text"]["required"] = list(languages)
    return loaded


def declared_languages(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The languages a framework declares (both when absent or malformed; the schema reports
    a malformed declaration)."""
    value = data.get("languages")
    if (
        isinstance(value, list)
        and value
        and all(v in LANGUAGES for v in value)
        and len(set(value)) == len(value)
    ):
        return tuple(lang for lang in LANGUAGES if lang in value)
    return LANGUAGES


def _normalise_keys(data: Any) -> Any:
    # YAML reads ``0:`` as an int key; the schema (JSON) only knows string keys.
    if isinstance(data, dict):
        return {str(k): _normalise_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalise_keys(v) for v in data]
    return data


def _location(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "(root)"


_SCHEMA_KEYS = {
    "required": "guideline.framework.required",
    "enum": "guideline.framework.enum",
    "const": "guideline.framework.enum",
    "type": "guideline.framework.type",
    "additionalProperties": "guideline.framework.unknown_field",
    "minLength": "guideline.framework.empty",
    "pattern": "guideline.framework.pattern",
    "minItems": "guideline.framework.too_few",
    "maxItems": "guideline.framework.too_many",
}


def _schema_issues(data: Any) -> list[Issue]:
    languages = declared_languages(data) if isinstance(data, Mapping) else LANGUAGES
    validator = jsonschema.Draft202012Validator(framework_schema(languages))
    issues = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        key = _SCHEMA_KEYS.get(str(error.validator), "guideline.framework.invalid")
        params: dict[str, Any] = {"detail": error.message}
        if error.validator == "required":
            params["field"] = error.message.split("'")[1] if "'" in error.message else "?"
        elif error.validator == "additionalProperties":
            params["field"] = error.message
        elif error.validator in ("enum", "const"):
            allowed = error.validator_value
            params["allowed"] = ", ".join(
                map(str, allowed if isinstance(allowed, list) else [allowed])
            )
            params["value"] = error.instance
        elif error.validator == "type":
            params["expected"] = error.validator_value
        elif error.validator == "pattern":
            params["value"] = error.instance
        issues.append(Issue(_location(error.absolute_path), key, params))
    return issues


def _semantic_issues(data: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, str] = {}

    def claim(identifier: str, where: str) -> None:
        if identifier in seen:
            issues.append(
                Issue(
                    where,
                    "guideline.framework.duplicate_id",
                    {"id": identifier, "first": seen[identifier]},
                )
            )
        else:
            seen[identifier] = where

    levels = [level["level"] for level in data["maturity_scale"]]
    if sorted(levels) != list(MATURITY_LEVELS):
        issues.append(
            Issue("maturity_scale", "guideline.framework.scale_levels", {"levels": levels})
        )
    principle_ids = set()
    for i, principle in enumerate(data["principles"]):
        claim(principle["id"], f"principles/{i}")
        principle_ids.add(principle["id"])
    for a, area in enumerate(data["areas"]):
        claim(area["id"], f"areas/{a}")
        for i, item in enumerate(area["items"]):
            where = f"areas/{a}/items/{i}"
            claim(item["id"], where)
            for ref in item.get("principles", []):
                if ref not in principle_ids:
                    issues.append(
                        Issue(where, "guideline.framework.unknown_principle", {"id": ref})
                    )
            for q, question in enumerate(item["questions"]):
                claim(question["id"], f"{where}/questions/{q}")
    # URNs (CISO Assistant export) are lower-case, so ids differing only by case would collide.
    lowered: dict[str, str] = {}
    for identifier, where in seen.items():
        other = lowered.setdefault(identifier.lower(), identifier)
        if other != identifier:
            issues.append(
                Issue(where, "guideline.framework.case_clash", {"id": identifier, "other": other})
            )
    return issues


def _text(data: Mapping[str, str]) -> Text:
    return Text(ja=data.get("ja", ""), en=data.get("en", ""))


def framework_from_dict(raw: Mapping[str, Any], source: str = "<data>") -> Framework:
    """Validate framework data (as read from YAML) and build the :class:`Framework`.

    Raises :class:`FrameworkError` listing every problem with its location.
    """
    data = _normalise_keys(dict(raw))
    issues = _schema_issues(data)
    if not issues:
        issues = _semantic_issues(data)
    if issues:
        raise FrameworkError(source, issues)
    src = data.get("source")
    return Framework(
        id=data["id"],
        family=data["family"],
        edition=data["edition"],
        version=data["version"],
        derivation=data["derivation"],
        languages=declared_languages(data),
        name=_text(data["name"]),
        description=_text(data["description"]),
        provenance=_text(data["provenance"]),
        source=Source(
            publisher=src.get("publisher", ""),
            title=_text(src["title"]) if "title" in src else None,
            date=src.get("date", ""),
            url=src.get("url", ""),
        )
        if src
        else None,
        maturity_scale=tuple(
            MaturityLevel(m["level"], _text(m["name"]), _text(m["description"]))
            for m in sorted(data["maturity_scale"], key=lambda m: m["level"])
        ),
        principles=tuple(
            Principle(p["id"], _text(p["name"]), _text(p["description"]))
            for p in data["principles"]
        ),
        areas=tuple(
            Area(
                id=area["id"],
                name=_text(area["name"]),
                description=_text(area["description"]),
                items=tuple(
                    Item(
                        id=item["id"],
                        name=_text(item["name"]),
                        description=_text(item["description"]),
                        importance=item["importance"],
                        typical_evidence=_text(item["typical_evidence"]),
                        principles=tuple(item.get("principles", [])),
                        maturity=tuple(
                            _text(item["maturity"][str(level)]) for level in MATURITY_LEVELS
                        )
                        if "maturity" in item
                        else None,
                        questions=tuple(
                            Question(q["id"], _text(q["text"])) for q in item["questions"]
                        ),
                    )
                    for item in area["items"]
                ),
            )
            for area in data["areas"]
        ),
    )


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The framework as plain data in the YAML file format (round-trips through
    :func:`framework_from_dict`)."""
    out: dict[str, Any] = {
        "schema": SCHEMA_TAG,
        "id": framework.id,
        "family": framework.family,
        "edition": framework.edition,
        "version": framework.version,
        "derivation": framework.derivation,
    }
    if framework.languages != LANGUAGES:
        out["languages"] = list(framework.languages)
    out |= {
        "name": framework.name.as_dict(),
        "description": framework.description.as_dict(),
        "provenance": framework.provenance.as_dict(),
    }
    if framework.source is not None:
        src: dict[str, Any] = {}
        if framework.source.publisher:
            src["publisher"] = framework.source.publisher
        if framework.source.title is not None:
            src["title"] = framework.source.title.as_dict()
        if framework.source.date:
            src["date"] = framework.source.date
        if framework.source.url:
            src["url"] = framework.source.url
        out["source"] = src
    out["maturity_scale"] = [
        {"level": m.level, "name": m.name.as_dict(), "description": m.description.as_dict()}
        for m in framework.maturity_scale
    ]
    out["principles"] = [
        {"id": p.id, "name": p.name.as_dict(), "description": p.description.as_dict()}
        for p in framework.principles
    ]
    areas = []
    for area in framework.areas:
        items = []
        for item in area.items:
            entry: dict[str, Any] = {
                "id": item.id,
                "name": item.name.as_dict(),
                "description": item.description.as_dict(),
                "importance": item.importance,
                "principles": list(item.principles),
                "typical_evidence": item.typical_evidence.as_dict(),
            }
            if item.maturity is not None:
                entry["maturity"] = {str(i): m.as_dict() for i, m in enumerate(item.maturity)}
            entry["questions"] = [{"id": q.id, "text": q.text.as_dict()} for q in item.questions]
            items.append(entry)
        areas.append(
            {
                "id": area.id,
                "name": area.name.as_dict(),
                "description": area.description.as_dict(),
                "items": items,
            }
        )
    out["areas"] = areas
    return out


def load_framework(path: Path | str) -> Framework:
    """Read and validate one framework YAML file (:mod:`econsec.safe_yaml`)."""
    path = Path(path)
    try:
        raw = safe_yaml.load_file(path, max_bytes=MAX_FRAMEWORK_BYTES)
    except safe_yaml.YamlRefused as exc:
        raise FrameworkError(path.name, [yaml_issue(exc)]) from exc
    if not isinstance(raw, dict):
        raise FrameworkError(path.name, [Issue("(root)", "guideline.framework.not_mapping", {})])
    return framework_from_dict(raw, path.name)


def yaml_issue(exc: safe_yaml.YamlRefused) -> Issue:
    """A refused YAML file as a framework issue (the message names line and column)."""
    return Issue("(file)", exc.key, exc.fields())


@cache
def builtin_frameworks() -> dict[str, Framework]:
    """The frameworks shipped in package data, by id."""
    found: dict[str, Framework] = {}
    folder = _DATA / "frameworks"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
            framework = framework_from_dict(raw, entry.name)
            if framework.languages != LANGUAGES:
                # Bundled frameworks serve both audiences; only imports may be one-language.
                raise FrameworkError(
                    entry.name,
                    [Issue("languages", "guideline.framework.bundled_languages", {})],
                )
            found[framework.id] = framework
    return found


@dataclass(frozen=True)
class Capability:
    id: str
    name: Text


@cache
def capabilities() -> dict[str, Capability]:
    """econsec capabilities that can produce evidence (package data)."""
    raw = yaml.safe_load((_DATA / "capabilities.yaml").read_text(encoding="utf-8"))
    return {
        key: Capability(key, _text(value["name"])) for key, value in raw["capabilities"].items()
    }


@cache
def _capability_links() -> dict[str, dict[str, tuple[str, ...]]]:
    raw = yaml.safe_load((_DATA / "capabilities.yaml").read_text(encoding="utf-8"))
    return {
        family: {item: tuple(caps) for item, caps in links.items()}
        for family, links in raw["links"].items()
    }


def capability_links(framework: Framework) -> dict[str, tuple[str, ...]]:
    """Item id → capabilities whose stored results can evidence it (by framework family)."""
    return dict(_capability_links().get(framework.family, {}))
