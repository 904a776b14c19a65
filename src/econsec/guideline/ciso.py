"""CISO Assistant library YAML: export a framework, check a library, import it back.

Mapping (docs/decisions/0042-ciso-assistant-interchange.md):

* library/framework: primary ``locale: ja``; English in ``translations.en``. URNs are
  ``urn:econsec:risk:{library|framework|req_node}:<framework id>[:<node ref>]``, lower-case.
* areas → depth-1 nodes; items → depth-2 nodes (importance, typical evidence, maturity
  descriptors in ``annotation`` as ``"<level>: <text>"`` lines); questions → depth-3
  assessable nodes.
* principles → ``implementation_groups_definition``; a question belongs to its item's principles.
* maturity scale → ``scores_definition`` (0-4).
* importance high/medium/low → CISO ``mandatory``/``recommended``/``nice_to_have`` (a priority
  for gap ranking here, not a legal duty).
* econsec-only fields (family, edition, derivation, source, provenance) travel in the
  framework ``annotation``: provenance text, then one ``econsec: {json}`` line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from econsec.guideline.frameworks import LANGUAGES, MATURITY_LEVELS, Framework, framework_from_dict
from econsec.guideline.interchange_errors import ImportProblems, Located

PACKAGER = "econsec"
TO_CISO_IMPORTANCE = {"high": "mandatory", "medium": "recommended", "low": "nice_to_have"}
FROM_CISO_IMPORTANCE = {v: k for k, v in TO_CISO_IMPORTANCE.items()}
CISO_IMPORTANCE = {*TO_CISO_IMPORTANCE.values(), "undefined"}
TOP_LEVEL = (
    "urn",
    "locale",
    "ref_id",
    "name",
    "description",
    "version",
    "provider",
    "packager",
    "objects",
)
FRAMEWORK_FIELDS = (
    "urn",
    "ref_id",
    "name",
    "description",
    "min_score",
    "max_score",
    "requirement_nodes",
)
NODE_FIELDS = ("urn", "assessable", "depth")
_META = "econsec: "
_LEVEL_LINE = re.compile(r"^([0-4]): (.*)$")


def _urn(kind: str, framework_id: str, ref: str = "") -> str:
    base = f"urn:econsec:risk:{kind}:{framework_id}"
    return (f"{base}:{ref}" if ref else base).lower()


def _maturity_annotation(texts: list[str]) -> str:
    return "\n".join(f"{level}: {' '.join(text.split())}" for level, text in enumerate(texts))


def export_library(framework: Framework) -> dict[str, Any]:
    """The framework as a CISO Assistant library (plain data, ready for ``yaml.safe_dump``)."""
    fid = framework.id
    source: dict[str, Any] = {}
    if framework.source is not None:
        source = {
            "publisher": framework.source.publisher,
            "title": framework.source.title.as_dict() if framework.source.title else None,
            "date": framework.source.date,
            "url": framework.source.url,
        }
    meta: dict[str, Any] = {
        "family": framework.family,
        "edition": framework.edition,
        "derivation": framework.derivation,
        "source": source or None,
    }
    if framework.languages != LANGUAGES:
        meta["languages"] = list(framework.languages)
    annotation = (
        f"{framework.provenance.ja}\n{_META}{json.dumps(meta, ensure_ascii=False, sort_keys=True)}"
    )
    nodes: list[dict[str, Any]] = []
    for area in framework.areas:
        area_urn = _urn("req_node", fid, area.id)
        nodes.append(
            {
                "urn": area_urn,
                "assessable": False,
                "depth": 1,
                "ref_id": area.id,
                "name": area.name.ja,
                "description": area.description.ja,
                "translations": {"en": {"name": area.name.en, "description": area.description.en}},
            }
        )
        for item in area.items:
            item_urn = _urn("req_node", fid, item.id)
            item_node: dict[str, Any] = {
                "urn": item_urn,
                "assessable": False,
                "depth": 2,
                "parent_urn": area_urn,
                "ref_id": item.id,
                "name": item.name.ja,
                "description": item.description.ja,
                "typical_evidence": item.typical_evidence.ja,
                "importance": TO_CISO_IMPORTANCE[item.importance],
            }
            en: dict[str, str] = {
                "name": item.name.en,
                "description": item.description.en,
                "typical_evidence": item.typical_evidence.en,
            }
            if item.maturity is not None:
                item_node["annotation"] = _maturity_annotation([m.ja for m in item.maturity])
                en["annotation"] = _maturity_annotation([m.en for m in item.maturity])
            item_node["translations"] = {"en": en}
            nodes.append(item_node)
            for question in item.questions:
                q_node: dict[str, Any] = {
                    "urn": _urn("req_node", fid, question.id),
                    "assessable": True,
                    "depth": 3,
                    "parent_urn": item_urn,
                    "ref_id": question.id,
                    "name": question.id,
                    "description": question.text.ja,
                    "typical_evidence": item.typical_evidence.ja,
                    "importance": TO_CISO_IMPORTANCE[item.importance],
                    "translations": {
                        "en": {
                            "name": question.id,
                            "description": question.text.en,
                            "typical_evidence": item.typical_evidence.en,
                        }
                    },
                }
                if item.principles:
                    q_node["implementation_groups"] = list(item.principles)
                nodes.append(q_node)
    framework_obj: dict[str, Any] = {
        "urn": _urn("framework", fid),
        "ref_id": fid,
        "name": framework.name.ja,
        "description": framework.description.ja,
        "annotation": annotation,
        "min_score": 0,
        "max_score": 4,
        "scores_definition": [
            {
                "score": m.level,
                "name": m.name.ja,
                "description": m.description.ja,
                "translations": {"en": {"name": m.name.en, "description": m.description.en}},
            }
            for m in framework.maturity_scale
        ],
    }
    if framework.principles:
        framework_obj["implementation_groups_definition"] = [
            {
                "ref_id": p.id,
                "name": p.name.ja,
                "description": p.description.ja,
                "translations": {"en": {"name": p.name.en, "description": p.description.en}},
            }
            for p in framework.principles
        ]
    framework_obj["requirement_nodes"] = nodes
    framework_obj["translations"] = {
        "en": {
            "name": framework.name.en,
            "description": framework.description.en,
            "annotation": f"{framework.provenance.en}\n{_META}{json.dumps(meta, ensure_ascii=False, sort_keys=True)}",
        }
    }
    return {
        "urn": _urn("library", fid),
        "locale": "ja",
        "ref_id": fid,
        "name": framework.name.ja,
        "description": framework.description.ja,
        "copyright": framework.provenance.ja,
        "version": framework.version,
        "provider": framework.source.publisher
        if framework.source and framework.source.publisher
        else PACKAGER,
        "packager": PACKAGER,
        "translations": {
            "en": {
                "name": framework.name.en,
                "description": framework.description.en,
                "copyright": framework.provenance.en,
            }
        },
        "objects": {"framework": framework_obj},
    }


def check_library(library: Any) -> list[Located]:
    """Problems with a CISO Assistant library, from that format's rules: required top-level and
    framework fields; URNs present, lower-case and unique; every parent_urn exists earlier;
    depth = parent depth + 1 (roots at 1); scores and implementation groups consistent."""
    problems: list[Located] = []
    if not isinstance(library, Mapping):
        return [Located("(root)", "guideline.ciso.not_mapping")]
    for key in TOP_LEVEL:
        if key not in library or library[key] in (None, ""):
            problems.append(Located("(root)", "guideline.ciso.missing", {"field": key}))
    for key in ("urn",):
        value = library.get(key)
        if isinstance(value, str) and value != value.lower():
            problems.append(Located(key, "guideline.ciso.urn_case", {"urn": value}))
    if not isinstance(library.get("version"), int):
        problems.append(
            Located("version", "guideline.ciso.version_int", {"value": library.get("version")})
        )
    framework = (
        (library.get("objects") or {}).get("framework")
        if isinstance(library.get("objects"), Mapping)
        else None
    )
    if not isinstance(framework, Mapping):
        problems.append(Located("objects", "guideline.ciso.missing", {"field": "framework"}))
        return problems
    for key in FRAMEWORK_FIELDS:
        if key not in framework:
            problems.append(Located("objects/framework", "guideline.ciso.missing", {"field": key}))
    lo, hi = framework.get("min_score"), framework.get("max_score")
    scores = [
        s.get("score") for s in framework.get("scores_definition") or [] if isinstance(s, Mapping)
    ]
    if (
        isinstance(lo, int)
        and isinstance(hi, int)
        and scores
        and sorted(s for s in scores if isinstance(s, int)) != list(range(lo, hi + 1))
    ):
        problems.append(
            Located(
                "objects/framework/scores_definition",
                "guideline.ciso.scores",
                {"scores": scores, "min": lo, "max": hi},
            )
        )
    groups = {
        g.get("ref_id")
        for g in framework.get("implementation_groups_definition") or []
        if isinstance(g, Mapping)
    }
    seen: dict[str, int] = {}
    fw_urn = framework.get("urn")
    if isinstance(fw_urn, str) and fw_urn != fw_urn.lower():
        problems.append(
            Located("objects/framework/urn", "guideline.ciso.urn_case", {"urn": fw_urn})
        )
    for n, node in enumerate(framework.get("requirement_nodes") or []):
        where = f"objects/framework/requirement_nodes/{n}"
        if not isinstance(node, Mapping):
            problems.append(Located(where, "guideline.ciso.not_mapping"))
            continue
        for key in NODE_FIELDS:
            if key not in node:
                problems.append(Located(where, "guideline.ciso.missing", {"field": key}))
        urn = node.get("urn")
        if not isinstance(urn, str) or not urn.lower().startswith("urn:"):
            problems.append(Located(where, "guideline.ciso.bad_urn", {"urn": urn}))
            continue
        if urn != urn.lower():
            problems.append(Located(where, "guideline.ciso.urn_case", {"urn": urn}))
        if urn in seen:
            problems.append(
                Located(where, "guideline.ciso.duplicate_urn", {"urn": urn, "first": seen[urn]})
            )
        depth = node.get("depth")
        parent = node.get("parent_urn")
        if parent is None:
            if depth != 1:
                problems.append(
                    Located(where, "guideline.ciso.depth", {"depth": depth, "expected": 1})
                )
        elif parent not in seen:
            problems.append(Located(where, "guideline.ciso.no_parent", {"parent": parent}))
        else:
            parent_node = framework["requirement_nodes"][seen[parent]]
            expected = (parent_node.get("depth") or 0) + 1
            if depth != expected:
                problems.append(
                    Located(where, "guideline.ciso.depth", {"depth": depth, "expected": expected})
                )
        if not isinstance(node.get("assessable"), bool):
            problems.append(
                Located(where, "guideline.ciso.assessable", {"value": node.get("assessable")})
            )
        if "importance" in node and node["importance"] not in CISO_IMPORTANCE:
            problems.append(
                Located(where, "guideline.ciso.importance", {"value": node["importance"]})
            )
        for group in node.get("implementation_groups") or []:
            if group not in groups:
                problems.append(Located(where, "guideline.ciso.unknown_group", {"group": group}))
        seen.setdefault(urn, n)
    return problems


def _tr(obj: Mapping[str, Any], field: str, locale: str = "en") -> str:
    value = ((obj.get("translations") or {}).get(locale) or {}).get(field)
    return str(value) if value is not None else ""


def _levels(annotation: str) -> list[str]:
    found: dict[int, str] = {}
    for line in annotation.splitlines():
        match = _LEVEL_LINE.match(line)
        if match:
            found[int(match.group(1))] = match.group(2)
    return [found.get(level, "") for level in MATURITY_LEVELS]


def _split_meta(annotation: str) -> tuple[str, dict[str, Any]]:
    text, _, meta = annotation.rpartition(f"\n{_META}")
    if not _:
        return annotation, {}
    loaded = json.loads(meta)
    return text, loaded if isinstance(loaded, dict) else {}


def import_library(library: Any, source: str = "library.yaml") -> Framework:
    """Read a CISO Assistant library (as exported here, or any with a three-level tree:
    sections > items > assessable questions) into a validated :class:`Framework`."""
    problems = check_library(library)
    if problems:
        raise ImportProblems(source, problems)
    fw = library["objects"]["framework"]
    provenance_ja, meta = _split_meta(str(fw.get("annotation") or library.get("copyright") or ""))
    provenance_en, _ = _split_meta(_tr(fw, "annotation") or _tr(library, "copyright"))
    src = meta.get("source") or None
    data: dict[str, Any] = {
        "schema": "econsec.guideline.framework/1",
        "id": fw["ref_id"],
        "family": meta.get("family", fw["ref_id"]),
        "edition": meta.get("edition", str(library["version"])),
        "version": library["version"],
        "derivation": meta.get("derivation", "user"),
        "name": {"ja": fw["name"], "en": _tr(fw, "name")},
        "description": {"ja": fw.get("description") or "", "en": _tr(fw, "description")},
        "provenance": {"ja": provenance_ja, "en": provenance_en},
        "maturity_scale": [
            {
                "level": s["score"],
                "name": {"ja": s["name"], "en": _tr(s, "name")},
                "description": {"ja": s.get("description") or "", "en": _tr(s, "description")},
            }
            for s in fw.get("scores_definition") or []
        ],
        "principles": [
            {
                "id": g["ref_id"],
                "name": {"ja": g["name"], "en": _tr(g, "name")},
                "description": {"ja": g.get("description") or "", "en": _tr(g, "description")},
            }
            for g in fw.get("implementation_groups_definition") or []
        ],
        "areas": [],
    }
    if meta.get("languages"):
        data["languages"] = meta["languages"]
    if src:
        data["source"] = {k: v for k, v in src.items() if v not in (None, "")}
    areas: dict[str, dict[str, Any]] = {}
    items: dict[str, dict[str, Any]] = {}
    for node in fw["requirement_nodes"]:
        depth = node["depth"]
        if depth == 1:
            area = {
                "id": node["ref_id"],
                "name": {"ja": node.get("name") or "", "en": _tr(node, "name")},
                "description": {
                    "ja": node.get("description") or "",
                    "en": _tr(node, "description"),
                },
                "items": [],
            }
            areas[node["urn"]] = area
            data["areas"].append(area)
        elif depth == 2:
            item: dict[str, Any] = {
                "id": node["ref_id"],
                "name": {"ja": node.get("name") or "", "en": _tr(node, "name")},
                "description": {
                    "ja": node.get("description") or "",
                    "en": _tr(node, "description"),
                },
                "importance": FROM_CISO_IMPORTANCE.get(node.get("importance", ""), "medium"),
                "principles": [],
                "typical_evidence": {
                    "ja": node.get("typical_evidence") or "",
                    "en": _tr(node, "typical_evidence"),
                },
                "questions": [],
            }
            if node.get("annotation"):
                ja_levels, en_levels = _levels(node["annotation"]), _levels(_tr(node, "annotation"))
                item["maturity"] = {
                    str(i): {"ja": ja_levels[i], "en": en_levels[i]} for i in MATURITY_LEVELS
                }
            items[node["urn"]] = item
            areas[node["parent_urn"]]["items"].append(item)
        elif depth == 3:
            parent_item = items[node["parent_urn"]]
            for group in node.get("implementation_groups") or []:
                if group not in parent_item["principles"]:
                    parent_item["principles"].append(group)
            parent_item["questions"].append(
                {
                    "id": node["ref_id"],
                    "text": {"ja": node.get("description") or "", "en": _tr(node, "description")},
                }
            )
        else:
            raise ImportProblems(
                source, [Located(node["urn"], "guideline.ciso.too_deep", {"depth": depth})]
            )
    if "languages" in data:
        # A one-language framework exports empty translations; absent is what it means.
        data = _drop_empty_texts(data)
    return framework_from_dict(data, source)


def _drop_empty_texts(data: Any) -> Any:
    if isinstance(data, dict):
        if data and set(data) <= {"ja", "en"}:
            return {k: v for k, v in data.items() if v != ""}
        return {k: _drop_empty_texts(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_drop_empty_texts(v) for v in data]
    return data
