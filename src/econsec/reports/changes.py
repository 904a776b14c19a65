"""What changed since the previous stored report: new and resolved single points of failure,
headline figures that moved, actions no longer needed (done, or the risk went away), and
whether the data changed at all.

The previous report is read as stored JSON; one written before the comparison keys existed
(schema 1) is compared on what it has (its headline figures).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from econsec.i18n import LANGUAGES
from econsec.reports.model import BoardReport, Change
from econsec.reports.text import Bilingual, both

MAX_NAMES = 4


def report_index(report: BoardReport) -> dict[str, dict[str, Any]]:
    """The keys the next report compares against (kept on the report as ``index``)."""
    return {
        "figures": {f.id: f.value for f in report.summary},
        "figure_display": {f.id: f.display for f in report.summary},
        "figure_label": {f.id: f.label for f in report.summary},
        "actions": {a.key: a.text for a in report.actions if a.key},
        "action_status": {a.key: a.status for a in report.actions if a.key and a.status},
        **{k: v for k, v in report.index.items() if k == "spof"},
    }


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" (+{len(names) - MAX_NAMES})" if len(names) > MAX_NAMES else "")


def compare(previous: Mapping[str, Any] | None, current: BoardReport) -> list[Change]:
    """Changes from ``previous`` (a stored report's JSON, or None) to ``current``."""
    if previous is None:
        return [Change("first", both("reports.change.first"))]
    out: list[Change] = []
    before: Mapping[str, Any] = previous.get("index") or {}
    when = str(previous.get("created_at", ""))
    if previous.get("data_version") == current.data_version:
        out.append(Change("same_data", both("reports.change.same_data", when=when)))
    else:
        out.append(
            Change(
                "new_data",
                both(
                    "reports.change.new_data",
                    when=when,
                    old=str(previous.get("data_version", ""))[:12],
                    new=current.data_version[:12],
                ),
            )
        )
    now_spof: dict[str, str] = current.index.get("spof", {})
    if "spof" in before:
        old_spof: dict[str, str] = dict(before["spof"])
        added = [now_spof[k] for k in now_spof if k not in old_spof]
        gone = [old_spof[k] for k in old_spof if k not in now_spof]
        if added:
            out.append(Change("new_spof", both("reports.change.new_spof", count=len(added),
                                               names=_names(added))))  # fmt: skip
        if gone:
            out.append(Change("gone_spof", both("reports.change.gone_spof", count=len(gone),
                                                names=_names(gone))))  # fmt: skip
    old_figures = before.get("figures") or {
        f["id"]: f.get("value") for f in previous.get("summary", [])
    }
    old_display = before.get("figure_display") or {
        f["id"]: f.get("display") for f in previous.get("summary", [])
    }
    for f in current.summary:
        old = old_figures.get(f.id)
        if old is None or f.value is None or _close(float(old), f.value):
            continue
        was: Bilingual = old_display.get(f.id) or {lang: f"{old:g}" for lang in LANGUAGES}
        out.append(Change("figure", both("reports.change.figure", label=f.label, was=was,
                                         now=f.display)))  # fmt: skip
    old_actions: dict[str, Bilingual] = dict(before.get("actions") or {})
    old_status: dict[str, str] = dict(before.get("action_status") or {})
    now_actions = {a.key: a for a in current.actions}
    for key, text in old_actions.items():
        if key not in now_actions:
            out.append(Change("action_closed", both("reports.change.action_closed", action=text)))
    for key, a in now_actions.items():
        # Done in the governance register since the last report (the risk may still show).
        if a.status == "done" and old_status.get(key) != "done":
            out.append(Change("action_done", both("reports.change.action_done", action=a.text,
                                                  owner=a.owner or "—")))  # fmt: skip
    if len(out) == 1:
        out.append(Change("unchanged", both("reports.change.unchanged")))
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
