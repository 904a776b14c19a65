"""Storing and reading planning data: the measures catalogue and the runs (docs/decisions/0103).

A run keeps its inputs whole — the risk document and the text of every scenario file it names,
the candidate measures as they were, budgets, years and seed — so it can be re-run and every
figure traced to scenario, measure and data version even after the files or the catalogue
change. The figures are computed by the engine modules (montecarlo, portfolio, investment);
this module only packs inputs, calls them and writes rows.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from econsec import safe_yaml, trail
from econsec.planning import models as pm
from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import RiskSet, parse_risks
from econsec.planning.measures import Measure, parse_measure
from econsec.valuechain.compiled import CompiledChain

MAX_SCENARIO_FILES = 200


def load_chain() -> CompiledChain:
    """The compiled stored value chain; a located error when nothing has been imported."""
    from econsec.valuechain.store_io import compile_store, current_version

    if not current_version():
        raise PlanningError("planning.store.no_chain", where="value chain")
    try:
        return compile_store()
    except Exception as exc:  # the stored data cannot be compiled: say why, do not crash
        raise PlanningError("planning.store.bad_chain", where="value chain",
                            problem=str(exc)[:300]) from exc  # fmt: skip


# ---- measures catalogue -------------------------------------------------------------------
def catalogue(ids: list[str] | None = None) -> list[Measure]:
    """The stored measures as engine measures (each located as "measure <id>")."""
    rows = pm.Measure.objects.all()
    if ids is not None:
        rows = rows.filter(measure_id__in=ids)
    return [parse_measure(r.spec(), f"measure {r.measure_id}") for r in rows]


def _row_values(m: Measure) -> dict[str, Any]:
    values: dict[str, Any] = {"kind": m.kind}
    for name in pm.TEXT_FIELDS:
        values[name] = getattr(m, name)
    for name in pm.NUMBER_FIELDS:
        value = getattr(m, name)
        values[name] = None if isinstance(value, float) and math.isnan(value) else value
    # parse_measure defaults qualification_weeks/one_off/annual to 0; keep "not given" as None
    for name in ("qualification_weeks", "one_off_cost", "annual_cost", "unit_premium_pct"):
        if values[name] == 0.0:
            values[name] = None
    return values


def check(chain: CompiledChain, measures: list[Measure]) -> None:
    """Every measure resolves on the chain (unknown site/item/source → located PlanningError)."""
    from econsec.planning.measures import apply_measures

    apply_measures(chain, measures)


def save_measures(measures: list[Measure], *, origin: str, actor: str) -> int:
    """Create or update the given measures in one transaction; how many were written."""
    with transaction.atomic():
        for m in measures:
            pm.Measure.objects.update_or_create(
                measure_id=m.id, defaults={**_row_values(m), "origin": origin, "updated_by": actor}
            )
        trail.record("planning.measures", "catalogue", actor=actor,
                     rows=len(measures), origin=origin)  # fmt: skip
    return len(measures)


def delete_measure(measure_id: str, *, actor: str) -> bool:
    with transaction.atomic():
        deleted, _ = pm.Measure.objects.filter(measure_id=measure_id).delete()
        if deleted:
            trail.record("planning.measure_deleted", f"measure:{measure_id}", actor=actor)
    return bool(deleted)


# ---- risk documents -----------------------------------------------------------------------
def pack_risks(path: Path) -> dict[str, Any]:
    """A risk file and the scenario files it names, as stored inputs (texts, not paths)."""
    try:
        document = safe_yaml.load_file(path)
    except FileNotFoundError as exc:
        raise PlanningError("planning.risk.no_file", where=str(path), path=str(path)) from exc
    except safe_yaml.YamlRefused as exc:
        raise PlanningError(exc.key, **exc.fields()) from exc
    files: dict[str, str] = {}
    entries = document.get("scenarios") if isinstance(document, dict) else None
    for i, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or "file" not in entry:
            continue  # parse_risks reports it, located
        name = str(entry["file"])
        target = (path.parent / name).resolve()
        if len(files) >= MAX_SCENARIO_FILES:
            raise PlanningError("planning.store.too_many_files", where=f"{path}: scenarios[{i}]",
                                count=MAX_SCENARIO_FILES)  # fmt: skip
        try:
            files[f"s{i}-{target.name}"] = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PlanningError(
                "planning.risk.no_file", where=f"{path}: scenarios[{i}]", path=name
            ) from exc
        entry["file"] = f"s{i}-{target.name}"
    return {"document": document, "files": files, "name": path.name}


def unpack_risks(packed: dict[str, Any], chain: CompiledChain) -> RiskSet:
    """The risk set of stored inputs, validated against ``chain`` (located errors).

    A scenario may only name one of the stored files: a name typed into a form must not reach
    a file of the server (``../../etc/…``)."""
    document = packed.get("document")
    stored = set(packed.get("files", {}))
    entries = document.get("scenarios") if isinstance(document, dict) else None
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and "file" in entry and str(entry["file"]) not in stored:
            raise PlanningError("planning.store.unknown_file", where=f"risks: scenarios[{i}]",
                                value=str(entry["file"])[:200], files=", ".join(sorted(stored)))  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="econsec-risks-") as folder:
        base = Path(folder)
        for name, text in packed.get("files", {}).items():
            (base / Path(name).name).write_text(text, encoding="utf-8")
        return parse_risks(packed["document"], chain, str(packed.get("name", "risks")), base)


def latest_risks() -> dict[str, Any] | None:
    """The risk document the next run uses: the newest imported one or the latest run's,
    whichever is newer."""
    run = pm.Run.objects.order_by("-created_at", "-id").first()
    doc = pm.RiskDocument.objects.first()
    if doc is not None and (run is None or doc.created_at >= run.created_at):
        return dict(doc.packed)
    return None if run is None else dict(run.inputs.get("risks") or {}) or None


def save_workbook(
    measures: list[Measure], packed: dict[str, Any] | None, *, actor: str
) -> tuple[int, bool]:
    """What the workbook brought, in one transaction: measures, and the risk document."""
    with transaction.atomic():
        count = save_measures(measures, origin="import", actor=actor) if measures else 0
        if packed is not None:
            pm.RiskDocument.objects.create(packed=_finite(packed), created_by=actor)
            trail.record("planning.likelihood", "risks", actor=actor)
    return count, packed is not None


def example_risks() -> dict[str, Any]:
    """The shipped example risk document (demo company), used when nothing is stored yet."""
    path = Path(__file__).resolve().parents[3] / "examples" / "planning" / "risks.yaml"
    return pack_risks(path)


# ---- runs ---------------------------------------------------------------------------------
def simulate(
    chain: CompiledChain, packed: dict[str, Any], *, years: int, seed: int, actor: str,
    workers: int = 0, save: bool = True,
) -> tuple[dict[str, Any], pm.Run | None]:  # fmt: skip
    """Monte Carlo on the stored chain; the summary, and the stored run when ``save``."""
    from econsec.planning.curves import local_pool
    from econsec.planning.montecarlo import loss_distribution, summary

    risks = unpack_risks(packed, chain)
    started = time.monotonic()
    pool = local_pool(chain, risks.risks, workers) if workers > 0 else None
    try:
        dist, _ = loss_distribution(
            chain, risks.risks, years=years, seed=seed, max_weeks=risks.max_weeks, executor=pool
        )
    finally:
        if pool is not None:
            pool.shutdown()
    result = {**summary(dist, risks.risks), "data_version": chain.version,
              "currency": chain.currency, "defaults_version": risks.defaults_version}  # fmt: skip
    run = None
    if save:
        run = store_run(
            "simulation", chain.version, seed, years, {"risks": packed}, result,
            eal=result["eal"], actor=actor, seconds=time.monotonic() - started,
        )  # fmt: skip
    return result, run


def optimise(
    chain: CompiledChain, packed: dict[str, Any], candidates: list[Measure], *, years: int,
    seed: int, actor: str, one_off_budget: float | None = None,
    annual_budget: float | None = None, cvar_limit: float | None = None,
    cvar_level: float | None = None, frontier_points: int = 0, marginal: bool = True,
    distribution_years: int = 0, horizon_years: int = 10, save: bool = True,
    progress: Any = None,
) -> tuple[dict[str, Any], pm.Run | None]:  # fmt: skip
    """The portfolio MILP, then (``distribution_years`` > 0) the loss distribution before and
    after the chosen portfolio and its investment case; the result and the stored run."""
    from econsec.planning.portfolio import optimise_result

    risks = unpack_risks(packed, chain)
    started = time.monotonic()
    step = progress or (lambda *_a, **_k: None)
    step(0.05, "planning.job.optimising")
    result = optimise_result(
        chain, risks, candidates, years=years, seed=seed, one_off_budget=one_off_budget,
        annual_budget=annual_budget, cvar_limit=cvar_limit, cvar_level=cvar_level,
        frontier_points=frontier_points, marginal=marginal,
    )  # fmt: skip
    result["currency"] = chain.currency
    result["risks"] = risk_rows(risks)
    chosen = [m for m in candidates if m.id in result["portfolio"]["chosen"]]
    if distribution_years > 0:
        step(0.6, "planning.job.distribution")
        result.update(before_after(chain, risks, chosen, distribution_years, seed, horizon_years))
    run = None
    if save:
        inputs = {
            "risks": packed, "candidates": [m.to_dict() for m in candidates],
            "one_off_budget": one_off_budget, "annual_budget": annual_budget,
            "cvar_limit": cvar_limit, "cvar_level": cvar_level,
            "frontier_points": frontier_points, "distribution_years": distribution_years,
            "horizon_years": horizon_years,
        }  # fmt: skip
        run = store_run(
            "optimisation", chain.version, seed, years, inputs, result,
            eal=result["portfolio"]["eal_before"], eal_after=result["portfolio"]["eal_after"],
            actor=actor, seconds=time.monotonic() - started,
        )  # fmt: skip
    return result, run


def risk_rows(risks: RiskSet) -> list[dict[str, Any]]:
    """Each risk with its frequency, duration, which figures are defaults and its source."""
    return [{"key": r.key, "label": r.label, "frequency_per_year": r.frequency,
             "duration": r.duration.describe(), "defaults": list(r.defaults),
             "source": r.source} for r in risks.risks]  # fmt: skip


def before_after(
    chain: CompiledChain, risks: RiskSet, chosen: list[Measure], years: int, seed: int,
    horizon_years: int,
) -> dict[str, Any]:  # fmt: skip
    """Loss distribution before and after ``chosen`` (same seed) and the investment case."""
    from econsec.planning.investment import investment_case, risks_after
    from econsec.planning.measures import apply_measures
    from econsec.planning.montecarlo import loss_distribution, summary

    before, _ = loss_distribution(
        chain, risks.risks, years=years, seed=seed, max_weeks=risks.max_weeks
    )
    out: dict[str, Any] = {"distribution_before": summary(before, risks.risks)}
    if not chosen:
        out["distribution_after"] = out["distribution_before"]
        out["case"] = None
        return out
    applied = apply_measures(chain, chosen)
    moved = risks_after(risks.risks, applied)
    after, _ = loss_distribution(
        applied.chain, moved, years=years, seed=seed, max_weeks=risks.max_weeks
    )
    out["distribution_after"] = {**summary(after, moved), "data_version": applied.chain.version}
    out["case"] = investment_case(
        chain, applied, risks.risks, max_weeks=risks.max_weeks, years=years, seed=seed,
        horizon_years=horizon_years,
    )  # fmt: skip
    return out


def _finite(value: Any) -> Any:
    """JSON columns take no NaN/inf (PostgreSQL refuses them): ∞ becomes None, stated as such."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def store_run(
    kind: str, data_version: str, seed: int, years: int, inputs: dict[str, Any],
    results: dict[str, Any], *, eal: float, actor: str, eal_after: float | None = None,
    seconds: float = 0.0,
) -> pm.Run:  # fmt: skip
    with transaction.atomic():
        run = pm.Run.objects.create(
            kind=kind, data_version=data_version, seed=seed, years=years, inputs=_finite(inputs),
            results=_finite(results), eal=eal, eal_after=eal_after, created_by=actor,
            seconds=seconds,
        )  # fmt: skip
        trail.record(f"planning.{kind}", f"run:{run.pk}", actor=actor,
                     data_version=data_version, seed=seed, years=years)  # fmt: skip
    return run


def latest(kind: str) -> pm.Run | None:
    return pm.Run.objects.filter(kind=kind).order_by("-created_at", "-id").first()
