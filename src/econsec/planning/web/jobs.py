"""Planning's background jobs: simulation, optimisation and suggestions on the stored chain.

Each handler reads its inputs from the job's parameters (the risk document is packed into
them when the job is queued, so the run is what was asked for even if a later run changes the
stored document), reports progress, stores the run and returns its page as ``url``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from econsec.jobs import JobFailed
from econsec.planning.errors import PlanningError

MAX_YEARS = 100_000
MAX_SAMPLE_YEARS = 500


def _chain() -> Any:
    from econsec.planning.store import load_chain

    try:
        return load_chain()
    except PlanningError as exc:
        raise JobFailed(exc.key, **exc.params) from exc


def _actor(job: Any) -> str:
    return job.created_by.get_username() if job.created_by else ""


def simulate_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Job kind ``planning.simulate``: Monte Carlo loss distribution, stored."""
    from econsec.planning import store

    p = job.params
    chain = _chain()
    progress(0.05, "planning.job.simulating")
    try:
        _result, run = store.simulate(
            chain, p["risks"], years=int(p["years"]), seed=int(p["seed"]), actor=_actor(job)
        )
    except PlanningError as exc:
        raise JobFailed(exc.key, **exc.params) from exc
    assert run is not None
    return {"url": reverse("web:planning_run", args=[run.pk]), "run_id": run.pk}


def optimise_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Job kind ``planning.optimise``: the portfolio MILP over the stored catalogue, stored."""
    from econsec.planning import store

    p = job.params
    chain = _chain()
    try:
        candidates = store.catalogue(p.get("measures") or None)
        if not candidates:
            raise PlanningError("planning.optimise.no_candidates")
        _result, run = store.optimise(
            chain, p["risks"], candidates, years=int(p["years"]), seed=int(p["seed"]),
            actor=_actor(job), one_off_budget=p.get("one_off_budget"),
            annual_budget=p.get("annual_budget"), cvar_limit=p.get("cvar_limit"),
            cvar_level=p.get("cvar_level"), frontier_points=int(p.get("frontier", 0)),
            distribution_years=int(p.get("distribution_years", 0)),
            horizon_years=int(p.get("horizon_years", 10)), progress=progress,
        )  # fmt: skip
    except PlanningError as exc:
        raise JobFailed(exc.key, **exc.params) from exc
    assert run is not None
    return {"url": reverse("web:planning_run", args=[run.pk]), "run_id": run.pk}


def suggest_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Job kind ``planning.suggest``: suggestions for the stored risk set's scenarios and the
    worst sites; stored as open suggestions for this data version (decided ones are kept)."""
    from econsec.planning import store
    from econsec.planning.models import Suggestion
    from econsec.planning.suggest import suggest, worst_sites
    from econsec.stress.api import Engine

    chain = _chain()
    progress(0.05, "planning.job.suggesting")
    try:
        risks = store.unpack_risks(job.params["risks"], chain)
        scenarios = [r.scenario for r in risks.risks if r.scenario is not None]
        scenarios += worst_sites(chain, int(job.params.get("sites", 5)))
        found = suggest(chain, scenarios, engine=Engine(chain))
    except PlanningError as exc:
        raise JobFailed(exc.key, **exc.params) from exc
    made = 0
    for s in found:
        spec = {k: v for k, v in s["measure"].items() if k not in ("annual_cost", "units")}
        _row, created = Suggestion.objects.get_or_create(
            data_version=chain.version, scenario=str(s["scenario"])[:300],
            measure_id=str(spec["id"])[:100],
            defaults={
                "spec": store._finite(spec), "tts_before": _weeks(s["tts_before"]),
                "tts_after": _weeks(s["tts_after"]),
                "lost_margin_after": float(s["lost_margin_after"]),
                "annualised_cost": float(s["annualised_cost"]), "created_at": timezone.now(),
            },
        )  # fmt: skip
        made += created
    return {"url": reverse("web:planning_suggestions"), "suggestions": made}


def _weeks(value: Any) -> float | None:
    number = float(value)
    return None if number == float("inf") else number
