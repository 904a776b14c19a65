"""The sheet 「発生頻度」/"likelihood": how often each risk happens and for how long, entered in
the workbook (docs/decisions/0103).

Each row names a risk — a scenario of the stored risk document (by its file or its name) or a
site, organisation or country of its sweep (by id) — with a frequency per year or a
probability, a duration distribution (fixed, triangular, lognormal from median and p90) and a
source. Every row is checked on its own (frequency above 365 a year, probability of 1 or more,
a triangle out of order, an id the value chain does not have) and all problems are located
by sheet, row and column; the resulting risk document is then checked whole on the chain.
"""

from __future__ import annotations

import copy
from typing import Any

from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import parse_duration, parse_frequency
from econsec.planning.sheet import SheetProblem
from econsec.valuechain.compiled import CompiledChain

SHEET_NAMES = ("likelihood", "発生頻度", "Likelihood")
COLUMNS = (
    "risk", "frequency_per_year", "probability_per_year", "duration", "weeks", "low", "mode",
    "high", "median_weeks", "p90_weeks", "source", "comment",
)  # fmt: skip
_DURATION = {"fixed": ("weeks",), "triangular": ("low", "mode", "high"),
             "lognormal": ("median_weeks", "p90_weeks")}  # fmt: skip


def _scenario_names(packed: dict[str, Any]) -> dict[str, int]:
    """Scenario entry index by stored file name and by the scenario's own name."""
    import yaml

    out: dict[str, int] = {}
    document = packed.get("document") or {}
    for i, entry in enumerate(document.get("scenarios") or []):
        name = str(entry.get("file", ""))
        out[name] = i
        try:
            text = yaml.safe_load(packed.get("files", {}).get(name, "")) or {}
        except yaml.YAMLError:
            continue
        if isinstance(text, dict) and text.get("name"):
            out[str(text["name"])] = i
    return out


def apply_rows(
    sheet: str, rows: list[tuple[int, dict[str, Any]]], packed: dict[str, Any],
    chain: CompiledChain,
) -> dict[str, Any]:  # fmt: skip
    """The risk document ``packed`` with the rows' figures in it; raises SheetProblems."""
    from econsec.planning.sheet import SheetProblems
    from econsec.stress.sweep import sweep_specs

    out = copy.deepcopy(packed)
    document = out.setdefault("document", {})
    sweep = document.get("sweep") or {"by": "site"}
    by = str(sweep.get("by", "site"))
    known = {s.id for s in sweep_specs(chain, by)[0]}
    scenarios = _scenario_names(out)
    problems: list[SheetProblem] = []
    overrides = {str(o.get("id")): o for o in sweep.get("overrides") or [] if isinstance(o, dict)}
    for number, cells in rows:
        where = f"{sheet}:{number}"
        entry: dict[str, Any] = {}
        for name in ("frequency_per_year", "probability_per_year"):
            if name in cells:
                entry[name] = cells[name]
        try:
            parse_frequency(entry, where)
            kind = str(cells.get("duration", "") or "")
            if kind:
                spec = {
                    "kind": kind,
                    **{k: cells[k] for k in _DURATION.get(kind, ()) if k in cells},
                }
                parse_duration(spec, where)
                entry["duration"] = spec
        except PlanningError as exc:
            params = {k: v for k, v in exc.params.items() if k != "where"}
            in_duration = str(exc.params.get("where", "")).endswith(".duration")
            column = str(params.get("field") or ("duration" if in_duration else
                         "probability_per_year" if "probability" in exc.key else
                         "frequency_per_year"))  # fmt: skip
            problems.append(SheetProblem(sheet, number, column, params.get("value"), exc.key,
                                         params))  # fmt: skip
            continue
        for name in ("source", "comment"):
            if name in cells:
                entry[name] = str(cells[name])
        risk = str(cells.get("risk", "") or "").strip()
        if risk in scenarios:
            target = document["scenarios"][scenarios[risk]]
            for name in ("frequency_per_year", "probability_per_year"):
                target.pop(name, None)
            target.update(entry)
        elif risk in known:
            overrides[risk] = {"id": risk, **entry}
        else:
            problems.append(SheetProblem(sheet, number, "risk", risk, "planning.sheet.unknown_risk",
                                         {"value": risk, "by": by}))  # fmt: skip
    if problems:
        raise SheetProblems(problems)
    if overrides:
        document["sweep"] = {**sweep, "overrides": list(overrides.values())}
    return out
