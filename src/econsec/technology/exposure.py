"""The exposure matrix: technology × leakage route, each cell's score, level and reasons.

Pure functions over arrays (no Django). Facts about each technology — where it is held, who has
access, which partners can reach it — become *signals* in [0, 1] (``SIGNALS``); a route opens
on the signals its reference data names, with their weights. A cell's score is

    min(1, min(1, Σ weight·signal) × control factor + INCIDENT_BUMP × open incidents)

where the control factor is 0.5 for a control in place on the route, 0.75 for a partial one and
1 without (the best control counts: one good control is what the guidance asks for). Every
score can be explained by :func:`cell_reasons`, which names the facts behind each signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

SIGNALS = (
    "overseas_site",  # held at a site outside the home countries
    "concern_site",  # held at a site in a country of concern
    "jv_partner",  # a joint-venture partner has access
    "licensee",  # licensed out
    "contract_manufacturer",  # made or developed under contract by another company
    "joint_research",  # a joint-research partner has access
    "university",  # a university or research institute has access
    "partner_concern",  # a partner with access is in a country of concern
    "partner_hit",  # a partner with access has an open or confirmed screening hit
    "no_exit_clause",  # a partner with access has no exit / return-of-materials clause
    "no_nda",  # a partner with access has no confidentiality agreement
    "headcount",  # people with access, as a fraction of HEADCOUNT_FULL
    "key_people",  # executives or key engineers among them
    "no_need_to_know",  # share of people with access without a need-to-know reason
    "digital",  # held in systems or documents (reachable by a network)
    "exhibited",  # shown at trade shows or in publications
)
SIGNAL_INDEX = {name: i for i, name in enumerate(SIGNALS)}

PARTNER_ROLES = ("jv_partner", "licensee", "contract_manufacturer", "joint_research", "university")
HOLDING_KINDS = ("site", "system", "document")
CONTROL_STATUSES = ("missing", "partial", "in_place")
CONTROL_FACTOR = np.array([1.0, 0.75, 0.5])
HEADCOUNT_FULL = 50  # this many people with access count as the signal's full strength
INCIDENT_BUMP = 0.3
LEVELS = ("none", "low", "medium", "high")
LEVEL_FLOORS = (0.05, 0.35, 0.65)  # score at or above → low, medium, high


def _ints(values: Sequence[int] | NDArray[Any]) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


def _bools(values: Sequence[bool] | NDArray[Any]) -> NDArray[np.bool_]:
    return np.asarray(values, dtype=bool)


@dataclass
class Facts:
    """Everything the engine reads, as parallel arrays (indices into the technology list).

    Holdings: ``hold_tech``, ``hold_kind`` (index into HOLDING_KINDS), ``hold_country``,
    ``hold_overseas``, ``hold_concern``, ``hold_label``. Access groups: ``acc_tech``,
    ``acc_headcount``, ``acc_key`` (executives or key engineers), ``acc_reason`` (a need-to-know
    reason is recorded), ``acc_label``. Organisations: ``org_concern``, ``org_hit``,
    ``org_label``, ``org_country``. Partner links: ``pl_tech``, ``pl_org``, ``pl_role`` (index
    into PARTNER_ROLES), ``pl_nda``, ``pl_exit``. Controls: ``ctl_tech`` (-1: every
    technology), ``ctl_route``, ``ctl_status`` (index into CONTROL_STATUSES). Incidents:
    ``inc_tech``, ``inc_route``, ``inc_open``.
    """

    n_tech: int
    exhibited: NDArray[np.bool_]
    hold_tech: NDArray[np.int64]
    hold_kind: NDArray[np.int64]
    hold_overseas: NDArray[np.bool_]
    hold_concern: NDArray[np.bool_]
    acc_tech: NDArray[np.int64]
    acc_headcount: NDArray[np.int64]
    acc_key: NDArray[np.bool_]
    acc_reason: NDArray[np.bool_]
    org_concern: NDArray[np.bool_]
    org_hit: NDArray[np.bool_]
    pl_tech: NDArray[np.int64]
    pl_org: NDArray[np.int64]
    pl_role: NDArray[np.int64]
    pl_nda: NDArray[np.bool_]
    pl_exit: NDArray[np.bool_]
    ctl_tech: NDArray[np.int64]
    ctl_route: NDArray[np.int64]
    ctl_status: NDArray[np.int64]
    inc_tech: NDArray[np.int64]
    inc_route: NDArray[np.int64]
    inc_open: NDArray[np.bool_]
    hold_label: list[str] = field(default_factory=list)
    hold_country: list[str] = field(default_factory=list)
    acc_label: list[str] = field(default_factory=list)
    org_label: list[str] = field(default_factory=list)
    org_country: list[str] = field(default_factory=list)
    ctl_label: list[Any] = field(default_factory=list)  # a text, or {lang: text}

    @classmethod
    def build(cls, n_tech: int, **columns: Any) -> Facts:
        """Facts from plain lists; a missing column is empty (labels default to '')."""
        ints = {"hold_tech", "hold_kind", "acc_tech", "acc_headcount", "pl_tech", "pl_org",
                "pl_role", "ctl_tech", "ctl_route", "ctl_status", "inc_tech", "inc_route"}  # fmt: skip
        values: dict[str, Any] = {"n_tech": n_tech}
        for name in cls.__dataclass_fields__:
            if name == "n_tech":
                continue
            raw = columns.pop(name, None)
            if name.endswith(("_label", "_country")):
                values[name] = list(raw or [])
            elif name in ints:
                values[name] = _ints(raw if raw is not None else [])
            else:
                default = [False] * n_tech if name == "exhibited" else []
                values[name] = _bools(raw if raw is not None else default)
        if columns:
            raise TypeError(f"unknown fact columns: {sorted(columns)}")
        return cls(**values)


@dataclass(frozen=True)
class Routes:
    """Route ids and the signal-weight matrix (len(SIGNALS) × routes)."""

    ids: tuple[str, ...]
    weights: NDArray[np.float64]


def route_matrix(routes: Sequence[tuple[str, dict[str, float]]]) -> Routes:
    """``[(route id, {signal: weight})]`` → :class:`Routes`; an unknown signal is an error."""
    weights = np.zeros((len(SIGNALS), len(routes)))
    for j, (route_id, signals) in enumerate(routes):
        for name, weight in signals.items():
            if name not in SIGNAL_INDEX:
                raise ValueError(f"route {route_id}: unknown signal {name!r}")
            weights[SIGNAL_INDEX[name], j] = float(weight)
    return Routes(tuple(r for r, _ in routes), weights)


@dataclass(frozen=True)
class Exposure:
    signals: NDArray[np.float64]  # n_tech × len(SIGNALS)
    raw: NDArray[np.float64]  # n_tech × routes, before controls and incidents
    control: NDArray[np.int64]  # best control status per cell, -1 where none is recorded
    incidents: NDArray[np.int64]  # open incidents per cell
    score: NDArray[np.float64]
    level: NDArray[np.int8]  # index into LEVELS

    def gaps(self) -> NDArray[np.int64]:
        """Cells rated medium or high without a control in place: ``[[tech, route], …]``,
        worst first."""
        mask = (self.level >= 2) & (self.control < CONTROL_STATUSES.index("in_place"))
        cells = np.argwhere(mask)
        order = np.argsort(-self.score[mask], kind="stable")
        return cells[order]


def signals(facts: Facts) -> NDArray[np.float64]:
    """The n_tech × len(SIGNALS) signal matrix."""
    n = facts.n_tech
    out = np.zeros((n, len(SIGNALS)))

    def any_of(column: str, tech: NDArray[np.int64], mask: NDArray[np.bool_]) -> None:
        hit = np.zeros(n, dtype=bool)
        hit[tech[mask]] = True
        out[:, SIGNAL_INDEX[column]] = np.maximum(out[:, SIGNAL_INDEX[column]], hit)

    any_of("overseas_site", facts.hold_tech, facts.hold_overseas)
    any_of("concern_site", facts.hold_tech, facts.hold_concern)
    any_of("digital", facts.hold_tech, facts.hold_kind > 0)
    out[:, SIGNAL_INDEX["exhibited"]] = facts.exhibited
    for role_index, role in enumerate(PARTNER_ROLES):
        any_of(role, facts.pl_tech, facts.pl_role == role_index)
    if len(facts.pl_org):
        any_of("partner_concern", facts.pl_tech, facts.org_concern[facts.pl_org])
        any_of("partner_hit", facts.pl_tech, facts.org_hit[facts.pl_org])
    any_of("no_nda", facts.pl_tech, ~facts.pl_nda)
    # An exit clause matters where the partner holds the technology on its own premises.
    holds = np.isin(facts.pl_role, [PARTNER_ROLES.index(r) for r in
                                    ("jv_partner", "licensee", "contract_manufacturer")])  # fmt: skip
    any_of("no_exit_clause", facts.pl_tech, holds & ~facts.pl_exit)
    people = np.bincount(facts.acc_tech, weights=facts.acc_headcount, minlength=n)
    out[:, SIGNAL_INDEX["headcount"]] = np.minimum(1.0, people / HEADCOUNT_FULL)
    any_of("key_people", facts.acc_tech, facts.acc_key & (facts.acc_headcount > 0))
    unreasoned = np.bincount(
        facts.acc_tech, weights=facts.acc_headcount * ~facts.acc_reason, minlength=n
    )
    out[:, SIGNAL_INDEX["no_need_to_know"]] = np.divide(
        unreasoned, people, out=np.zeros(n), where=people > 0
    )
    return out


def best_controls(facts: Facts, n_routes: int) -> NDArray[np.int64]:
    """Best control status per cell (-1 where none): a control for every technology
    (``ctl_tech`` -1) counts in each row of its route."""
    best = np.full((facts.n_tech, n_routes), -1, dtype=np.int64)
    general = facts.ctl_tech < 0
    if general.any():
        per_route = np.full(n_routes, -1, dtype=np.int64)
        np.maximum.at(per_route, facts.ctl_route[general], facts.ctl_status[general])
        best = np.maximum(best, per_route[None, :])
    own = ~general
    np.maximum.at(best, (facts.ctl_tech[own], facts.ctl_route[own]), facts.ctl_status[own])
    return best


def exposure(facts: Facts, routes: Routes) -> Exposure:
    """Score every technology × route cell."""
    sig = signals(facts)
    raw = np.minimum(1.0, sig @ routes.weights)
    n_routes = len(routes.ids)
    control = best_controls(facts, n_routes)
    factor = np.where(control >= 0, CONTROL_FACTOR[np.maximum(control, 0)], 1.0)
    incidents = np.zeros((facts.n_tech, n_routes), dtype=np.int64)
    live = facts.inc_open
    np.add.at(incidents, (facts.inc_tech[live], facts.inc_route[live]), 1)
    score = np.minimum(1.0, raw * factor + INCIDENT_BUMP * incidents)
    level = np.searchsorted(np.array(LEVEL_FLOORS), score, side="right").astype(np.int8)
    return Exposure(sig, raw, control, incidents, score, level)


# ---------------------------------------------------------------------------- reasons


@dataclass(frozen=True)
class Reason:
    """One fact behind a figure: a message id and its parameters (rendered by the caller)."""

    key: str
    params: dict[str, Any]
    weight: float = 0.0


class Explainer:
    """Reasons for any cell, with the facts indexed by technology once."""

    def __init__(self, facts: Facts, routes: Routes, result: Exposure) -> None:
        self.facts, self.routes, self.result = facts, routes, result
        self._hold = self._index(facts.hold_tech)
        self._acc = self._index(facts.acc_tech)
        self._pl = self._index(facts.pl_tech)
        # The control that sets each cell's factor: its own if as good, else the general one.
        self._own_ctl: dict[tuple[int, int], int] = {}
        self._general_ctl: dict[int, int] = {}
        status = facts.ctl_status
        for k in range(len(facts.ctl_route)):
            tech, route = int(facts.ctl_tech[k]), int(facts.ctl_route[k])
            if tech < 0:
                held = self._general_ctl.get(route)
                if held is None or status[k] > status[held]:
                    self._general_ctl[route] = k
            else:
                held = self._own_ctl.get((tech, route))
                if held is None or status[k] > status[held]:
                    self._own_ctl[(tech, route)] = k

    def _index(self, tech: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        order = np.argsort(tech, kind="stable")
        bounds = np.searchsorted(tech[order], np.arange(self.facts.n_tech + 1))
        return order, bounds

    @staticmethod
    def _rows(index: tuple[NDArray[np.int64], NDArray[np.int64]], t: int) -> NDArray[np.int64]:
        order, bounds = index
        return order[bounds[t] : bounds[t + 1]]

    def _label(self, labels: list[str], i: int) -> str:
        return labels[i] if i < len(labels) else str(i)

    def _partners(self, t: int, keep: Any) -> list[str]:
        f = self.facts
        return [
            self._label(f.org_label, int(f.pl_org[k]))
            for k in self._rows(self._pl, t)
            if keep(int(k))
        ]

    def signal_reason(self, t: int, name: str) -> Reason | None:
        """The fact behind signal ``name`` of technology ``t`` (None where it is absent)."""
        f = self.facts
        value = float(self.result.signals[t, SIGNAL_INDEX[name]])
        if value <= 0:
            return None
        key = f"technology.reason.{name}"
        holds = self._rows(self._hold, t)
        if name in ("overseas_site", "concern_site", "digital"):
            mask = {"overseas_site": f.hold_overseas, "concern_site": f.hold_concern,
                    "digital": f.hold_kind > 0}[name]  # fmt: skip
            where = [
                f"{self._label(f.hold_label, int(k))}"
                + (
                    f" ({f.hold_country[k]})"
                    if k < len(f.hold_country) and f.hold_country[k]
                    else ""
                )
                for k in holds
                if mask[k]
            ]
            return Reason(key, {"where": ", ".join(where), "count": len(where)})
        if name in PARTNER_ROLES:
            role = PARTNER_ROLES.index(name)
            names = self._partners(t, lambda k: int(f.pl_role[k]) == role)
            return Reason(key, {"partners": ", ".join(names), "count": len(names)})
        if name in ("partner_concern", "partner_hit"):
            flags = f.org_concern if name == "partner_concern" else f.org_hit
            names = self._partners(t, lambda k: bool(flags[f.pl_org[k]]))
            countries = sorted(
                {f.org_country[int(f.pl_org[k])] for k in self._rows(self._pl, t)
                 if flags[f.pl_org[k]] and int(f.pl_org[k]) < len(f.org_country)}
            )  # fmt: skip
            return Reason(key, {"partners": ", ".join(names), "countries": ", ".join(countries)})
        if name in ("no_nda", "no_exit_clause"):
            flags = f.pl_nda if name == "no_nda" else f.pl_exit
            names = self._partners(t, lambda k: not flags[k])
            return Reason(key, {"partners": ", ".join(names)})
        accs = self._rows(self._acc, t)
        people = int(f.acc_headcount[accs].sum())
        if name == "headcount":
            return Reason(key, {"people": people, "groups": len(accs), "full": HEADCOUNT_FULL})
        if name == "key_people":
            groups = [self._label(f.acc_label, int(k)) for k in accs if f.acc_key[k]]
            return Reason(key, {"groups": ", ".join(groups)})
        if name == "no_need_to_know":
            groups = [self._label(f.acc_label, int(k)) for k in accs if not f.acc_reason[k]]
            without = int(f.acc_headcount[accs][~f.acc_reason[accs]].sum())
            return Reason(key, {"groups": ", ".join(groups), "people": without, "of": people})
        return Reason(key, {})

    def cell_reasons(self, t: int, r: int) -> list[Reason]:
        """Why cell (t, r) has its score: the weighted signals (largest first), the control that
        lowers it, the open incidents that raise it."""
        weights = self.routes.weights[:, r]
        sig = self.result.signals[t]
        contributions = weights * sig
        reasons = []
        for s in np.argsort(-contributions, kind="stable"):
            if contributions[s] <= 0:
                break
            reason = self.signal_reason(t, SIGNALS[s])
            if reason is not None:
                reasons.append(Reason(reason.key, reason.params, float(contributions[s])))
        control = int(self.result.control[t, r])
        status = CONTROL_STATUSES[control] if control >= 0 else "none"
        if reasons or control >= 0:
            reasons.append(
                Reason(f"technology.reason.control.{status}",
                       {"factor": _factor(control), "what": self.control_label(t, r)})
            )  # fmt: skip
        count = int(self.result.incidents[t, r])
        if count:
            reasons.append(Reason("technology.reason.incidents", {"count": count}))
        return reasons

    def control_label(self, t: int, r: int) -> Any:
        """The description of the control that sets the cell's factor ('' where none)."""
        own, general = self._own_ctl.get((t, r)), self._general_ctl.get(r)
        status = self.facts.ctl_status
        if own is not None and (general is None or status[own] >= status[general]):
            k = own
        elif general is not None:
            k = general
        else:
            return ""
        labels = self.facts.ctl_label
        return labels[k] if k < len(labels) else ""


def _factor(control: int) -> float:
    return float(CONTROL_FACTOR[control]) if control >= 0 else 1.0


def level_name(level: int) -> str:
    return LEVELS[level]
