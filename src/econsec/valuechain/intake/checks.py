"""Rules across rows and sheets: unique keys, references, BOM cycles, shares, ownership loops."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from econsec.valuechain.intake.issues import Issue, error, warning
from econsec.valuechain.schema import Row, Schema

SHARE_TOLERANCE = 1e-3
NumberedRows = list[tuple[int | None, Row]]
"""Rows with their spreadsheet row number (None for rows already in the store)."""


def check_all(schema: Schema, sheets: dict[str, NumberedRows]) -> list[Issue]:
    issues: list[Issue] = []
    keys = {name: _unique_keys(schema, name, rows, issues) for name, rows in sheets.items()}
    _references(schema, sheets, keys, issues)
    _bom_cycles(sheets.get("bom", []), issues)
    _ownership(sheets.get("organisations", []), issues)
    _shares(sheets.get("supply_links", []), issues)
    _links(sheets.get("supply_links", []), issues)
    _ours(sheets, issues)
    return issues


def _unique_keys(schema: Schema, name: str, rows: NumberedRows, issues: list[Issue]) -> set[Any]:
    sheet = schema.sheet(name)
    seen: dict[tuple[Any, ...], int | None] = {}
    for number, row in rows:
        key = sheet.key_of(row)
        if any(part is None for part in key):
            continue  # already reported as a missing required cell
        if key in seen:
            issues.append(
                error(
                    "valuechain.check.duplicate",
                    name,
                    number,
                    ", ".join(sheet.key),
                    " / ".join(map(str, key)),
                    first=seen[key] or "-",
                )
            )
        else:
            seen[key] = number
    return {k[0] for k in seen} if len(sheet.key) == 1 else set(seen)


def _references(
    schema: Schema, sheets: dict[str, NumberedRows], keys: dict[str, set[Any]], issues: list[Issue]
) -> None:
    for name, rows in sheets.items():
        sheet = schema.sheet(name)
        refs = [c for c in sheet.columns if c.ref]
        for number, row in rows:
            for column in refs:
                value = row.get(column.name)
                assert column.ref is not None
                targets = keys.get(column.ref, set())
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if v is not None and v not in targets:
                        issues.append(
                            error(
                                "valuechain.check.unknown_ref",
                                name,
                                number,
                                column.name,
                                v,
                                target=column.ref,
                            )
                        )


def _bom_cycles(rows: NumberedRows, issues: list[Issue]) -> None:
    children: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for number, row in rows:
        parent, child = row.get("parent_item_id"), row.get("child_item_id")
        if parent is None or child is None:
            continue
        if parent == child:
            issues.append(error("valuechain.check.bom_self", "bom", number, "child_item_id", child))
            continue
        children[parent].append((child, number))
    # Iterative depth-first search; each cycle is reported once, with its path and rows.
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in list(children):
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            edges = children.get(node, [])
            if index == len(edges):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, index + 1)
            child, number = edges[index]
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                issues.append(
                    error(
                        "valuechain.check.bom_cycle",
                        "bom",
                        number,
                        "child_item_id",
                        child,
                        cycle=" → ".join(cycle),
                    )
                )
            elif not state.get(child):
                state[child] = 1
                stack.append((child, 0))
                path.append(child)


def _ownership(rows: NumberedRows, issues: list[Issue]) -> None:
    parent_of = {
        row["org_id"]: (row.get("parent_org_id"), n) for n, row in rows if row.get("org_id")
    }
    for number, row in rows:
        org, parent = row.get("org_id"), row.get("parent_org_id")
        if parent is None and row.get("ownership_pct") is not None:
            issues.append(
                warning(
                    "valuechain.check.ownership_without_parent",
                    "organisations",
                    number,
                    "ownership_pct",
                    row["ownership_pct"],
                )
            )
        if org is None or parent is None:
            continue
        seen = {org}
        current: Any = parent
        while current is not None:
            if current in seen:
                issues.append(
                    error(
                        "valuechain.check.ownership_cycle",
                        "organisations",
                        number,
                        "parent_org_id",
                        parent,
                    )
                )
                break
            seen.add(current)
            current = parent_of.get(current, (None, None))[0]


def _shares(rows: NumberedRows, issues: list[Issue]) -> None:
    groups: dict[tuple[Any, Any], list[tuple[int | None, float]]] = defaultdict(list)
    for number, row in rows:
        if row.get("qualified") and row.get("share") is not None:
            groups[(row.get("receiving_site_id"), row.get("item_id"))].append(
                (number, row["share"])
            )
    for (site, item), members in groups.items():
        total = sum(share for _, share in members)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            numbers = ", ".join(str(n) for n, _ in members if n is not None) or "-"
            issues.append(
                error(
                    "valuechain.check.share_sum",
                    "supply_links",
                    members[0][0],
                    "share",
                    f"{total:.4g}",
                    site=site,
                    item=item,
                    rows=numbers,
                )
            )


def _links(rows: NumberedRows, issues: list[Issue]) -> None:
    for number, row in rows:
        if row.get("supplier_site_id") and row["supplier_site_id"] == row.get("receiving_site_id"):
            issues.append(
                error(
                    "valuechain.check.self_link",
                    "supply_links",
                    number,
                    "receiving_site_id",
                    row["receiving_site_id"],
                )
            )


def _ours(sheets: dict[str, NumberedRows], issues: list[Issue]) -> None:
    orgs = sheets.get("organisations", [])
    if orgs and not any(row.get("kind") == "self" for _, row in orgs):
        issues.append(warning("valuechain.check.no_self", "organisations"))
    own_orgs = {row["org_id"] for _, row in orgs if row.get("kind") == "self"}
    site_org = {row["site_id"]: row.get("org_id") for _, row in sheets.get("sites", [])}
    for number, row in sheets.get("demand", []):
        site = row.get("site_id")
        if site in site_org and site_org[site] not in own_orgs:
            issues.append(
                warning("valuechain.check.demand_not_ours", "demand", number, "site_id", site)
            )
