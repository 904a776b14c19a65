"""What returned answers would change in the stored value chain, and the merged tables.

Pure functions over value-chain tables (``Tables``, as read from the store) and validated answer
rows; nothing here touches the database. An answer's sources of one input at one of the
supplier's sites replace the links into that need (the supplier knows its own sources best);
a source company or site is matched to a stored one by name and country, else gets a stable id
derived from what the supplier wrote, so the same answer merged twice changes nothing.

Conflicts are flagged and left out, never silently overwritten: a site that two answers (or an
answer and the store) place in different countries, an input whose sources from several answers
do not add up to the whole.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from econsec.survey import layout as lay

Tables = dict[str, list[dict[str, Any]]]
SHEETS = ("organisations", "sites", "items", "bom", "supply_links", "recovery")
NEW_UNIT = "pcs"


@dataclass(frozen=True)
class Said:
    """One validated answer: who said it (supplier org id) and its rows."""

    answer_id: int
    org_id: str
    rows: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Change:
    """One row the merge would add, change or remove. ``key`` is stable (accept/reject by it)."""

    kind: str  # new_org | new_site | new_item | new_bom | new_link | changed_share | removed_link
    #            | new_recovery | changed_recovery
    sheet: str
    row_key: tuple[str, ...]
    values: dict[str, Any]
    before: dict[str, Any] | None
    answer_id: int
    org_id: str

    @property
    def key(self) -> str:
        return f"{self.sheet}:{'|'.join(self.row_key)}"


@dataclass(frozen=True)
class Conflict:
    code: str  # message id
    answer_id: int
    org_id: str
    params: dict[str, Any]


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for change in self.changes:
            out[change.kind] += 1
        return dict(out)


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def stable_id(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(fold(p) for p in parts).encode()).hexdigest()
    return "SV-" + digest[:10].upper()


_LINK_KEY = ("supplier_site_id", "item_id", "receiving_site_id")


def plan(tables: Tables, answers: list[Said]) -> Plan:
    """The changes ``answers`` make to ``tables``, their conflicts flagged and left out."""
    out = Plan()
    orgs = {r["org_id"]: r for r in tables.get("organisations", [])}
    org_by_name: dict[tuple[str, str], str] = {}
    for r in orgs.values():
        for name in (r.get("name"), r.get("name_en")):
            if name:
                org_by_name.setdefault((fold(name), r["country"]), r["org_id"])
    sites = {r["site_id"]: r for r in tables.get("sites", [])}
    site_by_name = {(r["org_id"], fold(r["name"])): r["site_id"] for r in sites.values()}
    items = {r["item_id"] for r in tables.get("items", [])}
    bom = {(r["parent_item_id"], r["child_item_id"]) for r in tables.get("bom", [])}
    links = {tuple(r[k] for k in _LINK_KEY): r for r in tables.get("supply_links", [])}
    into: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for key, r in links.items():
        into[(r["receiving_site_id"], r["item_id"])].append(key)
    recovery = {r["site_id"]: r for r in tables.get("recovery", [])}

    new_orgs: dict[str, Change] = {}
    new_sites: dict[str, Change] = {}
    site_country: dict[str, tuple[str, int, str]] = {}  # site → (country, answer, org) stated
    slots: dict[tuple[str, str], list[tuple[Said, dict[str, Any], tuple[str, ...]]]] = {}
    added: set[str] = set()

    def add(change: Change) -> None:
        if change.key not in added:
            added.add(change.key)
            out.changes.append(change)

    for said in answers:
        for row in said.rows.get(lay.SOURCES, []):
            company, country = row["source_company"], row["source_company_country"]
            org_id = org_by_name.get((fold(company), country)) or stable_id(company, country)
            if org_id not in orgs and org_id not in new_orgs:
                values = {"org_id": org_id, "name": company, "kind": "supplier", "country": country}
                new_orgs[org_id] = Change("new_org", "organisations", (org_id,), values, None,
                                          said.answer_id, said.org_id)  # fmt: skip
            site_name = row.get("source_site") or company
            site_ctry = row.get("source_site_country") or country
            site_id = site_by_name.get((org_id, fold(site_name))) or stable_id(org_id, site_name)
            stated = sites.get(site_id, {}).get("country") if site_id in sites else None
            earlier = site_country.get(site_id)
            if (stated and stated != site_ctry) or (earlier and earlier[0] != site_ctry):
                out.conflicts.append(Conflict("survey.conflict.site_country", said.answer_id,
                    said.org_id, {"site": site_name, "country": site_ctry,
                                  "other": stated or (earlier[0] if earlier else ""),
                                  "row": row["row"]}))  # fmt: skip
                continue
            site_country[site_id] = (site_ctry, said.answer_id, said.org_id)
            if site_id not in sites and site_id not in new_sites:
                values = {"site_id": site_id, "org_id": org_id, "name": site_name,
                          "country": site_ctry, "region": row.get("source_region") or None,
                          "kind": "plant"}  # fmt: skip
                new_sites[site_id] = Change("new_site", "sites", (site_id,), values, None,
                                            said.answer_id, said.org_id)  # fmt: skip
            item_id = row.get("input_item_id") or stable_id("item", row["input_name"])
            if item_id not in items:
                add(Change("new_item", "items", (item_id,),
                           {"item_id": item_id, "name": row["input_name"], "kind": "material",
                            "unit": NEW_UNIT}, None, said.answer_id, said.org_id))  # fmt: skip
            parent = row["item_id"]
            if (parent, item_id) not in bom:
                qty = row.get("quantity_per_unit") or 1.0
                add(Change("new_bom", "bom", (parent, item_id),
                           {"parent_item_id": parent, "child_item_id": item_id,
                            "quantity_per_unit": qty}, None, said.answer_id, said.org_id))  # fmt: skip
            key = (site_id, item_id, row["your_site_id"])
            slot = (row["your_site_id"], item_id)
            slots.setdefault(slot, []).append((said, row, key))
        for row in said.rows.get(lay.CONTINUITY, []):
            if row.get("recovery_weeks") is None:
                continue
            values = {"site_id": row["site_id"], "ttr_weeks": row["recovery_weeks"],
                      "alternate_bringup_weeks": row.get("alternate_bringup_weeks")}  # fmt: skip
            before = recovery.get(row["site_id"])
            if before is None:
                add(Change("new_recovery", "recovery", (row["site_id"],), values, None,
                           said.answer_id, said.org_id))  # fmt: skip
            elif _differs(before, values):
                add(Change("changed_recovery", "recovery", (row["site_id"],), values,
                           dict(before), said.answer_id, said.org_id))  # fmt: skip
            else:
                out.unchanged += 1
    for change in (*new_orgs.values(), *new_sites.values()):
        add(change)
    for slot, stated in slots.items():
        total = sum(float(row["share"]) for _, row, _ in stated)
        tellers = {said.org_id for said, _, _ in stated}
        if len(tellers) > 1 and abs(total - 1.0) > 1e-3:
            out.conflicts.append(Conflict("survey.conflict.shares", stated[0][0].answer_id,
                ", ".join(sorted(tellers)), {"site": slot[0], "item": slot[1],
                                              "total": f"{total:.3f}"}))  # fmt: skip
            continue
        kept = set()
        for said, row, key in stated:
            kept.add(key)
            values = {"supplier_site_id": key[0], "item_id": key[1], "receiving_site_id": key[2],
                      "share": float(row["share"]), "qualified": True,
                      "lead_time_days": row.get("lead_time_days")}  # fmt: skip
            before = links.get(key)
            if before is None:
                add(Change("new_link", "supply_links", key, values, None, said.answer_id,
                           said.org_id))  # fmt: skip
            elif abs(float(before["share"]) - values["share"]) > 1e-9:
                add(Change("changed_share", "supply_links", key, values, dict(before),
                           said.answer_id, said.org_id))  # fmt: skip
            else:
                out.unchanged += 1
        for key in into.get(slot, []):
            # An unqualified source is not one the supplier states shares for: it stays.
            if key not in kept and links[key].get("qualified", True):
                add(Change("removed_link", "supply_links", key, {}, dict(links[key]),
                           stated[0][0].answer_id, stated[0][0].org_id))  # fmt: skip
    return out


def _differs(before: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(before.get(k) != v and not (before.get(k) is None and v is None)
               for k, v in values.items() if k != "site_id")  # fmt: skip


def apply(tables: Tables, changes: list[Change]) -> Tables:
    """``tables`` (the sheets in :data:`SHEETS`) with ``changes`` made; the input is untouched.

    A change that needs another (a link to a new site, a BOM line to a new item) is only
    accepted together with it: the import then names what is missing.
    """
    out: Tables = {name: [dict(r) for r in tables.get(name, [])] for name in SHEETS}
    index: dict[str, dict[tuple[str, ...], int]] = {}
    keys = {"organisations": ("org_id",), "sites": ("site_id",), "items": ("item_id",),
            "bom": ("parent_item_id", "child_item_id"), "supply_links": _LINK_KEY,
            "recovery": ("site_id",)}  # fmt: skip
    for name in SHEETS:
        index[name] = {tuple(str(r[k]) for k in keys[name]): i for i, r in enumerate(out[name])}
    removed: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        rows, at = out[change.sheet], index[change.sheet].get(change.row_key)
        if change.kind == "removed_link":
            if at is not None:
                removed[change.sheet].add(at)
        elif at is None:
            index[change.sheet][change.row_key] = len(rows)
            rows.append(dict(change.values))
        else:
            rows[at] = {**rows[at], **change.values}
    for name, gone in removed.items():
        out[name] = [r for i, r in enumerate(out[name]) if i not in gone]
    return out
