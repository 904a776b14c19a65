"""How a checklist workbook's columns map onto framework fields (decision 0043).

A mapping is YAML (``data/checklist/mapping.schema.json``); every key is optional. Fields the
mapping leaves out are guessed from the headings in ``data/checklist/headings.yaml``; a field
set to ``null`` is not read at all. This module is pure: no workbook, no Django.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from econsec import safe_yaml
from econsec.guideline.frameworks import LANGUAGES
from econsec.guideline.interchange_errors import ImportProblems, Located

MAPPING_TAG = "econsec.guideline.checklist-mapping/1"
PLAIN_FIELDS = ("id", "area_id", "item_id", "importance", "parent")
TEXT_FIELDS = ("area", "item", "question", "evidence")
FIELDS = PLAIN_FIELDS + TEXT_FIELDS
IMPORTANCE_LEVELS = ("high", "medium", "low")
_DATA = resources.files("econsec.guideline") / "data" / "checklist"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LANG_SUFFIX = re.compile(
    r"^(?P<base>.+?)[_\-/]?[(\[【]?(?P<lang>ja|jp|jpn|japanese|日本語|和文|en|eng|english|英語|英文)[)\]】]?$"
)
_SUFFIX_LANG = {"ja": "ja", "jp": "ja", "jpn": "ja", "japanese": "ja", "日本語": "ja", "和文": "ja"}


def normalise_heading(text: str) -> str:
    """A heading as compared: NFKC, case-folded, without spaces and a trailing '.' or ':'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"\s+", "", folded)
    return folded.rstrip(".:")


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


@cache
def _headings() -> tuple[dict[str, str], dict[str, str]]:
    raw = yaml.safe_load((_DATA / "headings.yaml").read_text(encoding="utf-8"))
    by_heading: dict[str, str] = {}
    for name in FIELDS:
        for heading in raw[name]:
            by_heading.setdefault(normalise_heading(str(heading)), name)
    values: dict[str, str] = {}
    for level, spellings in raw["importance_values"].items():
        for spelling in spellings:
            values[normalise_heading(str(spelling))] = level
    return by_heading, values


def guess_heading(heading: str) -> tuple[str, str | None] | None:
    """The field a heading stands for, and its language if the heading says so
    (``チェック内容(英語)``, ``Question (EN)``); None when not recognised."""
    known, _ = _headings()
    norm = normalise_heading(heading)
    if not norm:
        return None
    if norm in known:
        return known[norm], None
    match = _LANG_SUFFIX.match(norm)
    if match:
        base = match.group("base").rstrip("_-/(【[")
        name = known.get(base)
        if name in TEXT_FIELDS:
            return name, _SUFFIX_LANG.get(match.group("lang"), "en")
    return None


def builtin_importance_values() -> dict[str, str]:
    """Importance cell spellings (normalised) → high/medium/low."""
    return dict(_headings()[1])


@dataclass(frozen=True)
class ChecklistMapping:
    """A parsed mapping. ``columns`` holds the fields the user named (heading, or None = do not
    read); text fields are keyed ``(field, lang)`` with lang None when the language is to be
    detected. Fields absent from both dicts are guessed."""

    sheet: str | None = None
    header_row: int | None = None
    languages: tuple[str, ...] | None = None
    fill_down: bool = True
    columns: Mapping[str, str | None] = field(default_factory=dict)
    text_columns: Mapping[str, Mapping[str | None, str] | None] = field(default_factory=dict)
    importance_values: Mapping[str, str] = field(default_factory=dict)
    default_importance: str = "medium"
    framework: Mapping[str, Any] = field(default_factory=dict)

    def named_headings(self) -> list[str]:
        """Every heading the mapping names explicitly."""
        found = [h for h in self.columns.values() if h]
        for per_lang in self.text_columns.values():
            found.extend((per_lang or {}).values())
        return found


@cache
def mapping_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_DATA / "mapping.schema.json").read_text(encoding="utf-8"))
    return loaded


def _path(parts: Sequence[Any]) -> str:
    return "/".join(str(p) for p in parts) or "(root)"


def mapping_from_dict(raw: Any, source: str = "mapping.yaml") -> ChecklistMapping:
    """Validate mapping data and build a :class:`ChecklistMapping`; raises
    :class:`ImportProblems` with every problem located by its path in the mapping."""
    if raw is None:
        raw = {}
    validator = jsonschema.Draft202012Validator(mapping_schema())
    problems = [
        Located(
            f"{source}: {_path(error.absolute_path)}",
            "guideline.checklist.bad_mapping",
            {"detail": error.message},
        )
        for error in sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise ImportProblems(source, problems)
    columns: dict[str, str | None] = {}
    text_columns: dict[str, dict[str | None, str] | None] = {}
    for name, value in (raw.get("columns") or {}).items():
        if name in TEXT_FIELDS:
            if value is None:
                text_columns[name] = None
            elif isinstance(value, str):
                text_columns[name] = {None: value}
            else:
                text_columns[name] = dict(value)
        else:
            columns[name] = value
    languages = raw.get("languages")
    return ChecklistMapping(
        sheet=raw.get("sheet"),
        header_row=raw.get("header_row"),
        languages=tuple(lang for lang in LANGUAGES if lang in languages) if languages else None,
        fill_down=raw.get("fill_down", True),
        columns=columns,
        text_columns=text_columns,
        importance_values={
            normalise_heading(str(k)): v for k, v in (raw.get("importance_values") or {}).items()
        },
        default_importance=raw.get("default_importance", "medium"),
        framework=dict(raw.get("framework") or {}),
    )


def load_mapping(path: Path) -> ChecklistMapping:
    """Read and validate a mapping YAML file (:mod:`econsec.safe_yaml`)."""
    try:
        raw = safe_yaml.load_file(path)
    except safe_yaml.YamlRefused as exc:
        raise ImportProblems(path.name, [Located("", exc.key, exc.fields())]) from exc
    except OSError as exc:
        raise ImportProblems(
            path.name,
            [Located(path.name, "guideline.checklist.unreadable", {"detail": str(exc)})],
        ) from exc
    return mapping_from_dict(raw, path.name)
