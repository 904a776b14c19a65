"""Stress scenarios: YAML in, validated against scenario.schema.json, resolved onto a chain.

A scenario is one disruption window (``start_week``, ``duration_weeks``) with one or more
events. Its identity is the SHA-256 of its canonical JSON (keys sorted, defaults filled), so the
same content always has the same hash whatever the file's layout or comments.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import numpy as np
import numpy.typing as npt
import yaml

from econsec import safe_yaml
from econsec.stress.errors import StressError
from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EVENT_KINDS = ("disruption", "export_restriction", "chokepoint_closure", "sanction")
# Size caps, checked before anything else: a scenario is written by hand or by a form.
MAX_BYTES = 256 * 1024
MAX_EVENTS = 1_000
MAX_IDS_PER_EVENT = 10_000
_LIST_FIELDS = (
    "sites",
    "orgs",
    "countries",
    "chokepoints",
    "items",
    "hs_codes",
    "critical_tags",
    "mineral_tags",
)


@cache
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema every scenario document must satisfy."""
    text = resources.files("econsec.stress").joinpath("scenario.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class Scenario:
    """A validated scenario document (plain data: picklable, hashable by content)."""

    document: dict[str, Any]
    source: str = "<scenario>"

    @property
    def hash(self) -> str:
        return scenario_hash(self.document)

    @property
    def duration_weeks(self) -> float:
        return float(self.document["duration_weeks"])

    @property
    def start_week(self) -> float:
        return float(self.document.get("start_week", 0))

    @property
    def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.document["events"]
        return events

    def name(self, lang: str | None = None) -> str:
        name = self.document["name"]
        if isinstance(name, str):
            return name
        from econsec.i18n import label

        return label(name, lang)

    def to_yaml(self) -> str:
        # Without anchors and aliases: the safe loader refuses them when the text is read back.
        return yaml.dump(self.document, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False)


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """Defaults filled, lists of ids sorted and de-duplicated: equal meaning, equal form."""
    out = dict(document)
    out.setdefault("start_week", 0)
    out["start_week"] = float(out["start_week"])
    out["duration_weeks"] = float(out["duration_weeks"])
    events = []
    for event in document["events"]:
        e = dict(event)
        for key in _LIST_FIELDS:
            if key in e:
                e[key] = sorted(set(e[key]))
        if e["kind"] == "disruption":
            e["capacity_loss"] = float(e.get("capacity_loss", 1.0))
        events.append(e)
    out["events"] = events
    return out


def scenario_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a scenario document."""
    text = json.dumps(canonical(document), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _line_of(node: yaml.Node | None, path: list[str | int]) -> int | None:
    """1-based line of the YAML node at ``path`` (or its nearest ancestor)."""
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            nxt = node.value[part] if part < len(node.value) else None
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def _path_text(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate scenario YAML; raise :class:`StressError` naming file, line and field.

    The text is read with :mod:`econsec.safe_yaml` (size cap, no aliases, node cap) and each
    event's id lists are held to :data:`MAX_IDS_PER_EVENT` before the schema is checked."""
    try:
        data, node = safe_yaml.load(text, source=source, max_bytes=MAX_BYTES)
    except safe_yaml.YamlRefused as exc:
        raise StressError(exc.key, **exc.fields()) from exc
    _check_counts(data, source, node)
    return scenario_from_document(data, source, node)


def _check_counts(data: Any, source: str, node: yaml.Node | None) -> None:
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return
    if len(events) > MAX_EVENTS:
        raise StressError(
            "stress.scenario.too_many_events", source=source, line=_line_of(node, ["events"]) or "?",
            count=len(events), limit=MAX_EVENTS,
        )  # fmt: skip
    for n, event in enumerate(events):
        for key in _LIST_FIELDS:
            ids = event.get(key) if isinstance(event, dict) else None
            if isinstance(ids, list) and len(ids) > MAX_IDS_PER_EVENT:
                path: list[str | int] = ["events", n, key]
                raise StressError(
                    "stress.scenario.too_many_ids", source=source,
                    line=_line_of(node, path) or "?", field=_path_text(path), count=len(ids),
                    limit=MAX_IDS_PER_EVENT,
                )  # fmt: skip


def scenario_from_document(
    data: Any, source: str = "<scenario>", node: yaml.Node | None = None
) -> Scenario:
    """Validate an already-parsed document (e.g. from the store or the API)."""
    for path, value in _numbers(data, []):
        # JSON Schema's bounds let NaN through (every comparison with it is false) and
        # infinity is above any minimum: a week count must be an ordinary number.
        if not math.isfinite(value):
            raise StressError(
                "stress.scenario.not_finite",
                source=source,
                line=_line_of(node, path) or "?",
                field=_path_text(path),
                value=str(value),
            )
    validator = jsonschema.Draft202012Validator(scenario_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), e.message))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        raise StressError(
            "stress.scenario.invalid",
            source=source,
            line=_line_of(node, path) or "?",
            field=_path_text(path),
            problem=err.message,
        )
    return Scenario(document=data, source=source)


def _numbers(data: Any, path: list[str | int]) -> list[tuple[list[str | int], float]]:
    """Every float in a parsed document, with its path."""
    if isinstance(data, float):
        return [(path, data)]
    if isinstance(data, dict):
        return [found for k, v in data.items() for found in _numbers(v, [*path, str(k)])]
    if isinstance(data, list):
        return [found for i, v in enumerate(data) for found in _numbers(v, [*path, i])]
    return []


def load_scenario(path: str) -> Scenario:
    """Read and validate a scenario YAML file (its size checked before it is read)."""
    from pathlib import Path

    try:
        text = safe_yaml.read_text(Path(path), max_bytes=MAX_BYTES)
    except safe_yaml.YamlRefused as exc:
        raise StressError(exc.key, **{**exc.fields(), "source": str(path)}) from exc
    return parse_scenario(text, source=str(path))


@dataclass
class Disruption:
    """A scenario applied to one chain: what each node and link can still do."""

    node_factor: FloatArray  # share of capacity left per node (1 = untouched, 0 = down)
    link_closed: BoolArray
    alt_closed: BoolArray
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return bool(np.all(self.node_factor >= 1.0) and not self.link_closed.any()) and not bool(
            self.alt_closed.any()
        )


def _item_mask(chain: CompiledChain, event: dict[str, Any], where: str) -> BoolArray:
    n_items = len(chain.item_ids)
    filters = [k for k in ("items", "hs_codes", "critical_tags", "mineral_tags") if k in event]
    if not filters:
        return np.ones(n_items, dtype=bool)
    mask = np.zeros(n_items, dtype=bool)
    if "items" in event:
        index = {x: i for i, x in enumerate(chain.item_ids)}
        for item in event["items"]:
            if item not in index:
                raise StressError(
                    "stress.scenario.unknown_id", where=where, field="items", value=item
                )
            mask[index[item]] = True
    if "hs_codes" in event:
        prefixes = tuple(event["hs_codes"])
        mask |= np.array([bool(h) and h.startswith(prefixes) for h in chain.item_hs_code])
    if "critical_tags" in event:
        wanted = set(event["critical_tags"])
        mask |= np.array([bool(wanted & set(tags)) for tags in chain.item_critical_tags])
    if "mineral_tags" in event:
        wanted = set(event["mineral_tags"])
        mask |= np.array([bool(wanted & set(tags)) for tags in chain.item_mineral_tags])
    return mask


def _lookup(
    ids: list[str], wanted: list[str], where: str, field_name: str
) -> npt.NDArray[np.int64]:
    index = {x: i for i, x in enumerate(ids)}
    out = []
    for value in wanted:
        if value not in index:
            raise StressError(
                "stress.scenario.unknown_id", where=where, field=field_name, value=value
            )
        out.append(index[value])
    return np.array(out, dtype=np.int64)


def _site_mask(chain: CompiledChain, event: dict[str, Any], where: str) -> BoolArray:
    n_sites = len(chain.site_ids)
    mask = np.zeros(n_sites, dtype=bool)
    if "sites" in event:
        mask[_lookup(chain.site_ids, event["sites"], where, "sites")] = True
    if "orgs" in event:
        orgs = _lookup(chain.org_ids, event["orgs"], where, "orgs")
        mask |= np.isin(chain.site_org, orgs)
    if "countries" in event:
        known = {c: i for i, c in enumerate(chain.countries)}
        codes = np.array([known[c] for c in event["countries"] if c in known], dtype=np.int64)
        mask |= np.isin(chain.site_country, codes)
    return mask


def resolve(scenario: Scenario, chain: CompiledChain) -> Disruption:
    """Apply the scenario's events to ``chain``; unknown ids raise a located :class:`StressError`."""
    node_factor = np.ones(chain.n_nodes)
    link_closed = np.zeros(chain.n_links, dtype=bool)
    alt_closed = np.zeros(chain.alt_src.shape[0], dtype=bool)
    notes: list[tuple[str, dict[str, Any]]] = []
    slot_site = chain.slot_site
    for i, event in enumerate(scenario.events):
        where = f"{scenario.source}: events[{i}]"
        kind = event["kind"]
        items = _item_mask(chain, event, where)
        touched = 0
        if kind == "disruption":
            sites = _site_mask(chain, event, where)
            hit = sites[chain.node_site] & items[chain.node_item]
            left = 1.0 - float(event.get("capacity_loss", 1.0))
            node_factor[hit] = np.minimum(node_factor[hit], left)
            touched = int(hit.sum())
        elif kind == "chokepoint_closure":
            chokes = _lookup(chain.chokepoint_ids, event["chokepoints"], where, "chokepoints")
            through = np.asarray(chain.link_chokepoints[:, chokes].sum(axis=1)).ravel() > 0
            hit = through & items[chain.node_item[chain.link_src]]
            link_closed |= hit
            touched = int(hit.sum())
        else:
            if kind == "export_restriction":
                sites = _site_mask(chain, {"countries": event["countries"]}, where)
                group = chain.site_country
            else:
                sites = _site_mask(chain, {"orgs": event["orgs"]}, where)
                group = chain.site_org
            for src, dst, closed in (
                (chain.link_src, chain.link_slot, link_closed),
                (chain.alt_src, chain.alt_slot, alt_closed),
            ):
                src_site = chain.node_site[src]
                crossing = group[src_site] != group[slot_site[dst]]
                if kind == "export_restriction":
                    # Leaving the restricting country (a group of them counts as one bloc).
                    crossing = ~sites[slot_site[dst]]
                hit = sites[src_site] & crossing & items[chain.node_item[src]]
                closed |= hit
                touched += int(hit.sum())
        if touched == 0:
            notes.append(("stress.scenario.matches_nothing", {"where": where, "kind": kind}))
    return Disruption(node_factor, link_closed, alt_closed, notes)
