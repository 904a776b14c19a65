"""Scenarios with likelihood: an annual frequency and a duration distribution per risk.

A *risk* is a stress scenario, or a site (organisation, country) of a sweep, with how often it
happens (Poisson, per year) and for how long (weeks: fixed, triangular, or lognormal from median
and 90th percentile). Figures a risk file leaves out come from ``defaults.yaml`` by hazard type,
and the risk records which of its figures are defaults and where they come from.

The risk file (YAML)::

    max_weeks: 156                      # longest duration simulated (longer draws are capped)
    scenarios:
      - file: ../scenarios/taiwan-strait-closed-8w.yaml
        frequency_per_year: 0.03        # or probability_per_year
        duration: {kind: lognormal, median_weeks: 8, p90_weeks: 26}
        source: "…"
        comment: "…"
    sweep:
      by: site                          # every site (org, country) with a recovery time
      frequency_per_year: 0.02          # optional: the default otherwise
      overrides:
        - id: S-TW-FAB
          frequency_per_year: 0.05
          duration: {kind: fixed, weeks: 30}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from econsec import safe_yaml
from econsec.planning.errors import PlanningError
from econsec.stress.errors import StressError
from econsec.stress.scenario import Disruption, Scenario, load_scenario, resolve
from econsec.stress.sweep import sweep_specs
from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]

MAX_FREQUENCY = 365.0
"""More than daily is not a disruption scenario but a data error."""
Z90 = 1.2815515655446004  # standard normal 90th percentile
DEFAULT_MAX_WEEKS = 156.0


@dataclass(frozen=True)
class Duration:
    """How long one occurrence lasts, in weeks."""

    kind: str  # fixed | triangular | lognormal
    a: float  # fixed: weeks; triangular: low; lognormal: median
    b: float = math.nan  # triangular: mode; lognormal: p90
    c: float = math.nan  # triangular: high

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        if self.kind == "fixed":
            return np.full(n, self.a)
        if self.kind == "triangular":
            if self.a == self.c:
                return np.full(n, self.a)
            return rng.triangular(self.a, self.b, self.c, n)
        sigma = math.log(self.b / self.a) / Z90
        return rng.lognormal(math.log(self.a), sigma, n)

    def scaled(self, factor: float) -> Duration:
        return Duration(self.kind, self.a * factor, self.b * factor, self.c * factor)

    def describe(self) -> dict[str, Any]:
        if self.kind == "fixed":
            return {"kind": "fixed", "weeks": self.a}
        if self.kind == "triangular":
            return {"kind": "triangular", "low": self.a, "mode": self.b, "high": self.c}
        return {"kind": "lognormal", "median_weeks": self.a, "p90_weeks": self.b}


@dataclass(frozen=True)
class Risk:
    """One thing that can happen, how often and for how long."""

    key: str  # "scenario:<hash>" or "site:<id>" (org:, country:)
    label: str
    kind: str  # scenario | site | org | country
    frequency: float  # per year
    duration: Duration
    sites: tuple[int, ...] = ()  # sweep entries: the sites down
    scenario: Scenario | None = None
    source: str = ""
    comment: str = ""
    defaults: tuple[str, ...] = ()  # which figures came from defaults.yaml
    provenance: str = ""  # of those defaults (message text in the file's language pair)
    provenance_ja: str = ""

    def disruption(self, chain: CompiledChain) -> Disruption:
        if self.scenario is not None:
            return resolve(self.scenario, chain)
        factor = np.ones(chain.n_nodes)
        factor[np.isin(chain.node_site, np.array(self.sites, dtype=np.int64))] = 0.0
        return Disruption(
            factor,
            np.zeros(chain.n_links, dtype=bool),
            np.zeros(chain.alt_src.shape[0], dtype=bool),
        )


@dataclass
class RiskSet:
    risks: list[Risk]
    max_weeks: float = DEFAULT_MAX_WEEKS
    defaults_version: str = ""
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@cache
def defaults() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (Path(__file__).with_name("defaults.yaml")).read_text(encoding="utf-8")
    )
    return data


def _number(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanningError("planning.risk.not_a_number", where=where, field=name, value=value)
    number = float(value)
    if not math.isfinite(number):
        raise PlanningError("planning.risk.not_a_number", where=where, field=name, value=value)
    return number


def parse_frequency(entry: dict[str, Any], where: str) -> float | None:
    """Events per year from ``frequency_per_year`` or ``probability_per_year``; None if neither."""
    if "frequency_per_year" in entry:
        f = _number(entry["frequency_per_year"], where, "frequency_per_year")
        if f < 0 or f > MAX_FREQUENCY:
            raise PlanningError(
                "planning.risk.bad_frequency", where=where, value=f, most=MAX_FREQUENCY
            )
        return f
    if "probability_per_year" in entry:
        p = _number(entry["probability_per_year"], where, "probability_per_year")
        if not 0 <= p < 1:
            raise PlanningError("planning.risk.bad_probability", where=where, value=p)
        return -math.log1p(-p)  # at least one event in a year with probability p
    return None


def parse_duration(spec: Any, where: str) -> Duration:
    where = f"{where}.duration"
    if not isinstance(spec, dict) or spec.get("kind") not in ("fixed", "triangular", "lognormal"):
        raise PlanningError("planning.risk.bad_duration_kind", where=where, value=spec)
    kind = spec["kind"]

    def get(name: str) -> float:
        if name not in spec:
            raise PlanningError("planning.risk.missing", where=where, field=name)
        v = _number(spec[name], where, name)
        if v <= 0:
            raise PlanningError("planning.risk.not_positive", where=where, field=name, value=v)
        return v

    if kind == "fixed":
        return Duration("fixed", get("weeks"))
    if kind == "triangular":
        low, mode, high = get("low"), get("mode"), get("high")
        if not low <= mode <= high:
            raise PlanningError(
                "planning.risk.bad_triangle", where=where, low=low, mode=mode, high=high
            )
        return Duration("triangular", low, mode, high)
    median, p90 = get("median_weeks"), get("p90_weeks")
    if p90 <= median:
        raise PlanningError("planning.risk.bad_lognormal", where=where, median=median, p90=p90)
    return Duration("lognormal", median, p90)


def _hazard(scenario: Scenario) -> str:
    kinds = [str(e["kind"]) for e in scenario.events]
    return kinds[0] if kinds else "disruption"


def _provenance(hazard: str) -> tuple[str, str]:
    text = defaults()["hazards"][hazard]["provenance"]
    return str(text["en"]), str(text["ja"])


def scenario_risk(scenario: Scenario, entry: dict[str, Any], where: str) -> Risk:
    """A scenario with its likelihood; missing figures from the hazard type's defaults."""
    hazard = _hazard(scenario)
    used: list[str] = []
    freq = parse_frequency(entry, where)
    if freq is None:
        freq = float(defaults()["hazards"][hazard]["frequency_per_year"])
        used.append("frequency")
    if "duration" in entry:
        duration = parse_duration(entry["duration"], where)
    else:
        duration = Duration("fixed", scenario.duration_weeks)
        used.append("duration")
    en, ja = _provenance(hazard) if used else ("", "")
    return Risk(
        key=f"scenario:{scenario.hash[:12]}",
        label=scenario.name("en"),
        kind="scenario",
        frequency=freq,
        duration=duration,
        scenario=scenario,
        source=str(entry.get("source", "")),
        comment=str(entry.get("comment", "")),
        defaults=tuple(used),
        provenance=en,
        provenance_ja=ja,
    )


def sweep_risks(chain: CompiledChain, entry: dict[str, Any], where: str) -> list[Risk]:
    """Every site (org, country) with a recovery time, as a risk."""
    by = entry.get("by", "site")
    try:
        specs, _skipped = sweep_specs(chain, by)
    except StressError as exc:
        raise PlanningError("planning.risk.bad_by", where=where, value=by) from exc
    base_freq = parse_frequency(entry, where)
    base_duration = parse_duration(entry["duration"], where) if "duration" in entry else None
    overrides: dict[str, tuple[dict[str, Any], str]] = {}
    known = {s.id for s in specs}
    for i, o in enumerate(entry.get("overrides") or []):
        w = f"{where}.overrides[{i}]"
        if not isinstance(o, dict) or str(o.get("id")) not in known:
            value = o.get("id") if isinstance(o, dict) else o
            raise PlanningError("planning.risk.unknown_id", where=w, field="id", value=value)
        overrides[str(o["id"])] = (o, w)
    site_defaults = defaults()["hazards"]["site"]
    en, ja = _provenance("site")
    risks = []
    for spec in specs:
        own, w = overrides.get(spec.id, ({}, where))
        used: list[str] = []
        freq = parse_frequency(own, w) if own else None
        if freq is None:
            freq = base_freq
        if freq is None:
            freq = float(site_defaults["frequency_per_year"])
            used.append("frequency")
        if own and "duration" in own:
            duration = parse_duration(own["duration"], w)
        elif base_duration is not None:
            duration = base_duration
        else:
            d = site_defaults["duration"]
            duration = Duration(
                "lognormal", spec.ttr_weeks * d["median_ttr_factor"],
                spec.ttr_weeks * d["p90_ttr_factor"],
            )  # fmt: skip
            used.append("duration")
        risks.append(
            Risk(
                key=f"{spec.kind}:{spec.id}",
                label=f"{spec.kind} {spec.id}",
                kind=spec.kind,
                frequency=freq,
                duration=duration,
                sites=spec.sites,
                source=str(own.get("source", entry.get("source", ""))),
                comment=str(own.get("comment", "")),
                defaults=tuple(used),
                provenance=en if used else "",
                provenance_ja=ja if used else "",
            )
        )
    return risks


def parse_risks(document: Any, chain: CompiledChain, source: str, base: Path) -> RiskSet:
    """Validate a risk document against ``chain``; the first problem raises, located."""
    if not isinstance(document, dict):
        raise PlanningError("planning.risk.not_a_mapping", where=source)
    max_weeks = DEFAULT_MAX_WEEKS
    if "max_weeks" in document:
        max_weeks = _number(document["max_weeks"], source, "max_weeks")
        if max_weeks <= 0:
            raise PlanningError(
                "planning.risk.not_positive", where=source, field="max_weeks", value=max_weeks
            )
    risks: list[Risk] = []
    for i, entry in enumerate(document.get("scenarios") or []):
        where = f"{source}: scenarios[{i}]"
        if not isinstance(entry, dict) or "file" not in entry:
            raise PlanningError("planning.risk.missing", where=where, field="file")
        path = (base / str(entry["file"])).resolve()
        try:
            scenario = load_scenario(str(path))
            resolve(scenario, chain)  # unknown ids are reported now, located
        except FileNotFoundError as exc:
            raise PlanningError("planning.risk.no_file", where=where, path=str(path)) from exc
        except StressError as exc:
            raise PlanningError("planning.risk.scenario", where=where, problem=str(exc)) from exc
        risks.append(scenario_risk(scenario, entry, where))
    if document.get("sweep"):
        risks.extend(sweep_risks(chain, document["sweep"], f"{source}: sweep"))
    return RiskSet(risks, max_weeks, str(defaults()["version"]))


def load_risks(path: str | Path, chain: CompiledChain) -> RiskSet:
    p = Path(path)
    try:
        document = safe_yaml.load_file(p)
    except FileNotFoundError as exc:
        raise PlanningError("planning.risk.no_file", where=str(p), path=str(p)) from exc
    except safe_yaml.YamlRefused as exc:  # aliases, size, node count, syntax: located
        raise PlanningError(exc.key, **exc.fields()) from exc
    return parse_risks(document, chain, str(p), p.parent)


def with_frequency(risk: Risk, factor: float) -> Risk:
    return replace(risk, frequency=risk.frequency * factor)
