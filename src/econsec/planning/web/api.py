"""Planning endpoints: the measures catalogue (CRUD), starting a simulation or optimisation
job, and stored runs with their results. Reading for every role, changes for ``edit``;
refusals carry the located message in the caller's language.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from econsec.planning import models as pm
from econsec.planning import store
from econsec.planning.errors import PlanningError
from econsec.planning.web import views
from econsec.web import jobs
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.api.schemas import JobOut
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ
from econsec.web.views.jobs import job_state

router = Router(tags=["planning"])
MAX_LIST = 200


class MeasureIO(Schema):
    id: str
    kind: str
    site: str = ""
    item: str = ""
    supplier_site: str = ""
    chokepoint: str = ""
    units: float | None = None
    weeks_of_cover: float | None = None
    unit_value: float | None = None
    qualification_weeks: float | None = None
    capacity_per_week: float | None = None
    ttr_weeks: float | None = None
    one_off_cost: float | None = None
    annual_cost: float | None = None
    unit_premium_pct: float | None = None
    source: str = ""
    comment: str = ""


class SimulateIn(Schema):
    years: int = 2_000
    seed: int = 1
    risks: str = ""  # a risk document (YAML); empty: the stored one


class OptimiseIn(Schema):
    years: int = 50
    seed: int = 1
    risks: str = ""
    one_off_budget: float | None = None
    annual_budget: float | None = None
    cvar_limit: float | None = None  # CVaR of the annual loss at cvar_level at most this
    cvar_level: float = 0.95
    frontier: int = 5
    distribution_years: int = 500
    horizon_years: int = 10
    measures: list[str] = []


class RunOut(Schema):
    id: int
    kind: str
    data_version: str
    seed: int
    years: int
    eal: float
    eal_after: float | None
    created_at: str
    created_by: str
    url: str


class RunDetail(RunOut):
    inputs: dict[str, Any]
    results: dict[str, Any]


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _actor(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


def _run_out(run: pm.Run, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": run.pk, "kind": run.kind, "data_version": run.data_version, "seed": run.seed,
        "years": run.years, "eal": run.eal, "eal_after": run.eal_after,
        "created_at": run.created_at.isoformat(), "created_by": run.created_by,
        "url": reverse("web:planning_run", args=[run.pk]),
    }  # fmt: skip
    if detail:
        out.update(inputs=run.inputs, results=run.results)
    return out


def _save(request: HttpRequest, body: MeasureIO) -> dict[str, Any]:
    entry = views.measure_entry({k: "" if v is None else v for k, v in body.model_dump().items()})
    try:
        m = views.check_measure(entry, f"measure {body.id}")
    except PlanningError as exc:
        raise HttpError(400, exc.message(request_language(request))) from exc
    store.save_measures([m], origin="api", actor=_actor(request).get_username())
    return pm.Measure.objects.get(measure_id=m.id).spec()


@router.get("/measures", response=list[MeasureIO], url_name="planning_measures")
@require(READ)
def list_measures(request: HttpRequest) -> list[dict[str, Any]]:
    """The stored measures catalogue."""
    return [m.spec() for m in pm.Measure.objects.all()]


@router.post("/measures", response={201: MeasureIO}, url_name="planning_measure_create",
             openapi_extra=_json_body(MeasureIO))  # fmt: skip
@require(EDIT)
def create_measure(request: HttpRequest) -> Status[dict[str, Any]]:
    """Create or replace a measure (checked against the stored value chain, located errors)."""
    return Status(201, _save(request, json_body(request, MeasureIO)))


@router.get("/measures/{measure_id}", response=MeasureIO, url_name="planning_measure")
@require(READ)
def get_measure(request: HttpRequest, measure_id: str) -> dict[str, Any]:
    row = pm.Measure.objects.filter(measure_id=measure_id).first()
    if row is None:
        raise HttpError(404, "not found")
    return row.spec()


@router.put("/measures/{measure_id}", response=MeasureIO, url_name="planning_measure_change",
            openapi_extra=_json_body(MeasureIO))  # fmt: skip
@require(EDIT)
def change_measure(request: HttpRequest, measure_id: str) -> dict[str, Any]:
    if not pm.Measure.objects.filter(measure_id=measure_id).exists():
        raise HttpError(404, "not found")
    body = json_body(request, MeasureIO)
    if body.id != measure_id:
        raise HttpError(400, "id")
    return _save(request, body)


@router.delete("/measures/{measure_id}", response={204: None}, url_name="planning_measure_delete")
@require(EDIT)
def delete_measure(request: HttpRequest, measure_id: str) -> Status[None]:
    if not store.delete_measure(measure_id, actor=_actor(request).get_username()):
        raise HttpError(404, "not found")
    return Status(204, None)


class _Form(dict[str, Any]):
    def getlist(self, key: str) -> list[Any]:
        value = self.get(key)
        return list(value) if isinstance(value, list) else []


def _start(request: HttpRequest, kind: str, body: Schema) -> Status[Any]:
    lang = request_language(request)
    form = _Form({k: ("" if v is None else v) for k, v in body.model_dump().items()})
    form["measure"] = form.pop("measures", [])
    try:
        params = views.run_params(form, kind)
    except PlanningError as exc:
        raise HttpError(400, exc.message(lang)) from exc
    job = jobs.enqueue(f"planning.{kind}", user=_actor(request), params=params)
    return Status(202, job_state(job, lang))


@router.post("/simulations", response={202: JobOut}, url_name="planning_simulate",
             openapi_extra=_json_body(SimulateIn))  # fmt: skip
@require(EDIT)
def start_simulation(request: HttpRequest) -> Status[Any]:
    """Monte Carlo loss distribution in the background; follow it at ``/api/jobs/{id}``."""
    return _start(request, "simulate", json_body(request, SimulateIn))


@router.post("/optimisations", response={202: JobOut}, url_name="planning_optimise",
             openapi_extra=_json_body(OptimiseIn))  # fmt: skip
@require(EDIT)
def start_optimisation(request: HttpRequest) -> Status[Any]:
    """Portfolio optimisation over the stored catalogue in the background."""
    return _start(request, "optimise", json_body(request, OptimiseIn))


@router.get("/runs", response=list[RunOut], url_name="planning_runs")
@require(READ)
def list_runs(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    """Stored runs, newest first (``kind``: simulation or optimisation)."""
    runs = pm.Run.objects.defer("inputs", "results")
    if kind:
        runs = runs.filter(kind=kind)
    return [_run_out(r) for r in runs[:MAX_LIST]]


@router.get("/runs/{run_id}", response=RunDetail, url_name="planning_run")
@require(READ)
def get_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """One run with its inputs (risk document, measures, seed) and results."""
    run = pm.Run.objects.filter(pk=run_id).first()
    if run is None:
        raise HttpError(404, "not found")
    return _run_out(run, detail=True)
