"""Mapping between framework editions and carrying a campaign's answers forward (decision 0044).

Pure: frameworks and plain answers in, plain results out; no Django. The file format is
``data/edition_mapping.schema.json``. Rules for carrying answers to the new edition:

* equal   — copied.
* changed — copied and flagged for review (the wording moved; the answer may not hold).
* split   — the one old answer copied to every new part, each flagged for review.
* merged  — the old answers combined conservatively (the weakest result, the lowest maturity,
  the earliest due date; N/A only when every old answer was N/A; comments joined with their old
  ids) and flagged for review.
* new     — left unanswered and listed.
* removed — not carried; listed with the answer it had, so nothing disappears unseen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from econsec import safe_yaml
from econsec.guideline.frameworks import Framework
from econsec.guideline.interchange_errors import ImportProblems, Located
from econsec.guideline.scoring import Result

MAPPING_TAG = "econsec.guideline.edition-mapping/1"
RELATIONS = ("equal", "changed", "split", "merged", "new", "removed")
_DATA = resources.files("econsec.guideline") / "data"
# (sources, targets) each relation needs: exactly one, at least two, none, at least one.
_ARITY = {
    "equal": ("one", "one"),
    "changed": ("one", "one"),
    "split": ("one", "many"),
    "merged": ("many", "one"),
    "new": ("none", "some"),
    "removed": ("some", "none"),
}
# Weakest first: a merged question is only as done as its least-done part.
_RESULT_ORDER = (Result.NOT_DONE, Result.PARTIAL, Result.DONE)


@dataclass(frozen=True)
class Link:
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    relation: str
    note: str = ""


@dataclass(frozen=True)
class EditionMapping:
    from_framework: str
    from_version: int
    to_framework: str
    to_version: int
    items: tuple[Link, ...]
    questions: tuple[Link, ...]
    unlisted: str = "error"
    provenance: str = ""


@dataclass(frozen=True)
class ItemValues:
    """Item-level answer fields as plain data."""

    maturity: int | None = None
    owner: str = ""
    due_date: dt.date | None = None
    comment: str = ""

    def is_empty(self) -> bool:
        return self == ItemValues()


@dataclass(frozen=True)
class Dropped:
    """An answered old id that has no successor."""

    kind: str  # item | question
    id: str
    result: str = ""
    maturity: int | None = None


@dataclass(frozen=True)
class Carried:
    """Answers for the new edition and what the user must look at."""

    questions: dict[str, tuple[Result, str]]
    items: dict[str, ItemValues]
    review_questions: tuple[str, ...]
    review_items: tuple[str, ...]
    new_questions: tuple[str, ...]
    new_items: tuple[str, ...]
    removed: tuple[Dropped, ...]
    copied: int = field(default=0)


@cache
def edition_mapping_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (_DATA / "edition_mapping.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def edition_mapping_from_dict(raw: Any, source: str = "mapping.yaml") -> EditionMapping:
    """Validate mapping data against the schema; raises :class:`ImportProblems` located by path."""
    validator = jsonschema.Draft202012Validator(edition_mapping_schema())
    problems = [
        Located(
            f"{source}: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}",
            "guideline.edition.bad_mapping",
            {"detail": error.message},
        )
        for error in sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise ImportProblems(source, problems)

    def links(key: str) -> tuple[Link, ...]:
        return tuple(
            Link(_ids(e.get("from")), _ids(e.get("to")), e["relation"], e.get("note", ""))
            for e in raw.get(key) or []
        )

    return EditionMapping(
        from_framework=raw["from"]["framework"],
        from_version=raw["from"]["version"],
        to_framework=raw["to"]["framework"],
        to_version=raw["to"]["version"],
        items=links("items"),
        questions=links("questions"),
        unlisted=raw.get("unlisted", "error"),
        provenance=raw.get("provenance", ""),
    )


def load_edition_mapping(path: Path) -> EditionMapping:
    """Read and validate an edition mapping YAML file (:mod:`econsec.safe_yaml`)."""
    try:
        raw = safe_yaml.load_file(path)
    except safe_yaml.YamlRefused as exc:
        raise ImportProblems(path.name, [Located("", exc.key, exc.fields())]) from exc
    except OSError as exc:
        raise ImportProblems(
            path.name, [Located(path.name, "guideline.edition.unreadable", {"detail": str(exc)})]
        ) from exc
    return edition_mapping_from_dict(raw, path.name)


def bundled_edition_mappings() -> list[EditionMapping]:
    """Mappings shipped in ``data/mappings`` (one per pair of editions)."""
    folder = _DATA / "mappings"
    found: list[EditionMapping] = []
    if not folder.is_dir():  # none shipped yet (git keeps no empty folders)
        return found
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
            found.append(edition_mapping_from_dict(raw, entry.name))
    return found


def _arity_ok(rule: str, count: int) -> bool:
    return {
        "one": count == 1,
        "many": count >= 2,
        "none": count == 0,
        "some": count >= 1,
    }[rule]


def _check_links(
    kind: str,
    links: tuple[Link, ...],
    old_ids: list[str],
    new_ids: list[str],
    unlisted: str,
    source: str,
) -> list[Located]:
    problems: list[Located] = []
    old_known, new_known = set(old_ids), set(new_ids)
    seen_old: dict[str, int] = {}
    seen_new: dict[str, int] = {}
    for n, link in enumerate(links):
        where = f"{source}: {kind}s/{n}"
        want_from, want_to = _ARITY[link.relation]
        if not _arity_ok(want_from, len(link.sources)) or not _arity_ok(want_to, len(link.targets)):
            problems.append(
                Located(
                    where,
                    "guideline.edition.arity",
                    {
                        "relation": link.relation,
                        "sources": len(link.sources),
                        "targets": len(link.targets),
                    },
                )
            )
        for side, ids, known, seen in (
            ("from", link.sources, old_known, seen_old),
            ("to", link.targets, new_known, seen_new),
        ):
            for identifier in ids:
                if identifier not in known:
                    problems.append(
                        Located(
                            where,
                            f"guideline.edition.unknown_{side}",
                            {"kind": kind, "id": identifier},
                        )
                    )
                elif identifier in seen:
                    problems.append(
                        Located(
                            where,
                            "guideline.edition.listed_twice",
                            {"id": identifier, "first": f"{kind}s/{seen[identifier]}"},
                        )
                    )
                else:
                    seen[identifier] = n
    if unlisted == "error":
        for identifier in old_ids:
            if identifier not in seen_old:
                problems.append(
                    Located(
                        f"{source}: {kind}s",
                        "guideline.edition.unlisted_from",
                        {"kind": kind, "id": identifier},
                    )
                )
        for identifier in new_ids:
            if identifier not in seen_new:
                problems.append(
                    Located(
                        f"{source}: {kind}s",
                        "guideline.edition.unlisted_to",
                        {"kind": kind, "id": identifier},
                    )
                )
    return problems


def check_edition_mapping(
    mapping: EditionMapping, old: Framework, new: Framework, source: str = "mapping"
) -> list[Located]:
    """Problems with ``mapping`` for carrying answers from ``old`` to ``new``: the frameworks
    and versions must be the ones named; every id must exist on its side and be listed once;
    relations must have the right number of ids; with ``unlisted: error`` every id of both
    editions must be listed."""
    problems: list[Located] = []
    for side, (fid, version), fw in (
        ("from", (mapping.from_framework, mapping.from_version), old),
        ("to", (mapping.to_framework, mapping.to_version), new),
    ):
        if (fid, version) != (fw.id, fw.version):
            problems.append(
                Located(
                    f"{source}: {side}",
                    "guideline.edition.wrong_framework",
                    {
                        "named": f"{fid}@{version}",
                        "actual": f"{fw.id}@{fw.version}",
                    },
                )
            )
    if problems:
        return problems
    problems += _check_links(
        "item", mapping.items, list(old.item_index), list(new.item_index), mapping.unlisted, source
    )
    problems += _check_links(
        "question",
        mapping.questions,
        list(old.question_index),
        list(new.question_index),
        mapping.unlisted,
        source,
    )
    return problems


def _complete(
    links: tuple[Link, ...], old_ids: list[str], new_ids: list[str], unlisted: str
) -> list[Link]:
    """The listed links plus, for ``unlisted: equal|changed``, the implicit ones."""
    out = list(links)
    if unlisted == "error":
        return out
    listed_old = {i for link in links for i in link.sources}
    listed_new = {i for link in links for i in link.targets}
    new_set = set(new_ids)
    for identifier in old_ids:
        if identifier in listed_old:
            continue
        if identifier in new_set and identifier not in listed_new:
            out.append(Link((identifier,), (identifier,), unlisted))
            listed_new.add(identifier)
        else:
            out.append(Link((identifier,), (), "removed"))
    for identifier in new_ids:
        if identifier not in listed_new:
            out.append(Link((), (identifier,), "new"))
    return out


def _merge_results(values: list[tuple[Result, str]], ids: list[str]) -> tuple[Result, str]:
    counted = [r for r, _ in values if r is not Result.NA]
    result = min(counted, key=_RESULT_ORDER.index) if counted else Result.NA
    comments = [f"[{i}] {c}" for (_, c), i in zip(values, ids, strict=True) if c]
    return result, "\n".join(comments)


def _merge_items(values: list[ItemValues], ids: list[str]) -> ItemValues:
    maturities = [v.maturity for v in values if v.maturity is not None]
    owners = list(dict.fromkeys(v.owner for v in values if v.owner))
    dues = [v.due_date for v in values if v.due_date is not None]
    comments = [f"[{i}] {v.comment}" for v, i in zip(values, ids, strict=True) if v.comment]
    return ItemValues(
        maturity=min(maturities) if maturities else None,
        owner=", ".join(owners),
        due_date=min(dues) if dues else None,
        comment="\n".join(comments),
    )


def carry_forward(
    mapping: EditionMapping,
    old: Framework,
    new: Framework,
    answers: Mapping[str, tuple[Result, str]],
    items: Mapping[str, ItemValues],
) -> Carried:
    """The old campaign's answers (question id → (result, comment); item id → values) expressed
    on the new edition, by the rules in the module docstring. The mapping must have passed
    :func:`check_edition_mapping`."""
    question_links = _complete(
        mapping.questions, list(old.question_index), list(new.question_index), mapping.unlisted
    )
    item_links = _complete(
        mapping.items, list(old.item_index), list(new.item_index), mapping.unlisted
    )
    out_q: dict[str, tuple[Result, str]] = {}
    out_i: dict[str, ItemValues] = {}
    review_q: set[str] = set()
    review_i: set[str] = set()
    new_q: set[str] = set()
    new_i: set[str] = set()
    removed: list[Dropped] = []
    copied = 0
    for link in question_links:
        given = [s for s in link.sources if s in answers]
        if link.relation == "new":
            new_q.update(link.targets)
            continue
        if link.relation == "removed":
            removed.extend(Dropped("question", s, result=answers[s][0].value) for s in given)
            continue
        if not given:
            continue
        value = (
            _merge_results([answers[s] for s in given], given)
            if link.relation == "merged"
            else answers[given[0]]
        )
        for target in link.targets:
            out_q[target] = value
            copied += 1
            if link.relation != "equal":
                review_q.add(target)
    for link in item_links:
        given = [s for s in link.sources if s in items and not items[s].is_empty()]
        if link.relation == "new":
            new_i.update(link.targets)
            continue
        if link.relation == "removed":
            removed.extend(Dropped("item", s, maturity=items[s].maturity) for s in given)
            continue
        if not given:
            continue
        values = (
            _merge_items([items[s] for s in given], given)
            if link.relation == "merged"
            else items[given[0]]
        )
        for target in link.targets:
            out_i[target] = values
            copied += 1
            if link.relation != "equal":
                review_i.add(target)
    q_order = list(new.question_index)
    i_order = list(new.item_index)
    removed_order = {i: n for n, i in enumerate([*old.item_index, *old.question_index])}
    return Carried(
        questions=out_q,
        items=out_i,
        review_questions=tuple(i for i in q_order if i in review_q),
        review_items=tuple(i for i in i_order if i in review_i),
        new_questions=tuple(i for i in q_order if i in new_q),
        new_items=tuple(i for i in i_order if i in new_i),
        removed=tuple(sorted(removed, key=lambda d: removed_order[d.id])),
        copied=copied,
    )
