"""Stress-test endpoints: scenarios (list, create, run), results, sweeps (list, launch).

The same roles as the pages: reading for everyone, creating, running and launching for ``edit``.
Errors carry the message in the caller's language with the line and field when the YAML is wrong.
"""

from typing import Any

import yaml
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from econsec.i18n import t
from econsec.stress.errors import StressError
from econsec.stress.models import Result, Scenario
from econsec.stress.scenario import parse_scenario, scenario_from_document
from econsec.stress.store import save_scenario
from econsec.stress.sweep import BY
from econsec.stress.web import run
from econsec.web import jobs
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.api.schemas import JobOut
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ
from econsec.web.views.jobs import job_state

router = Router(tags=["stress"])
MAX_LIST = 200


class ScenarioIn(Schema):
    """Either ``yaml`` (text) or ``document`` (the same content as JSON)."""

    yaml: str | None = None
    document: dict[str, Any] | None = None
    run: bool = False


class ScenarioOut(Schema):
    id: int
    name: str
    content_hash: str
    created_at: str
    url: str
    yaml: str


class ResultSummaryOut(Schema):
    id: int
    kind: str
    scenario_id: int | None
    scenario_hash: str
    sweep_by: str
    data_version: str
    solver_version: str
    econsec_version: str
    created_at: str
    url: str


class ResultOut(ResultSummaryOut):
    payload: dict[str, Any]


class CreatedOut(Schema):
    scenario: ScenarioOut
    result: ResultOut | None = None


class SweepIn(Schema):
    by: str = "site"
    default_ttr_weeks: float | None = None


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    """The request body as documented in OpenAPI (parsed by hand: see :func:`_body`)."""
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _scenario_out(record: Scenario) -> dict[str, Any]:
    return {
        "id": record.pk,
        "name": record.name,
        "content_hash": record.content_hash,
        "created_at": record.created_at.isoformat(),
        "url": reverse("web:stress_scenario", args=[record.pk]),
        "yaml": record.yaml,
    }


def _result_out(record: Result, with_payload: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.pk,
        "kind": record.kind,
        "scenario_id": record.scenario_id,
        "scenario_hash": record.scenario_hash,
        "sweep_by": record.sweep_by,
        "data_version": record.data_version,
        "solver_version": record.solver_version,
        "econsec_version": record.econsec_version,
        "created_at": record.created_at.isoformat(),
        "url": reverse("web:stress_result", args=[record.pk]),
    }
    if with_payload:
        out["payload"] = record.payload
    return out


def _bad(exc: StressError, lang: str) -> HttpError:
    return HttpError(400, exc.message(lang))


@router.get("/scenarios", response=list[ScenarioOut], url_name="stress_scenarios")
@require(READ)
def list_scenarios(request: HttpRequest) -> list[dict[str, Any]]:
    """Stored scenarios, newest first."""
    return [_scenario_out(s) for s in Scenario.objects.order_by("-created_at", "-id")[:MAX_LIST]]


@router.post(
    "/scenarios",
    response={201: CreatedOut},
    url_name="stress_scenario_create",
    openapi_extra=_json_body(ScenarioIn),
)
@require(EDIT)
def create_scenario(request: HttpRequest) -> Status[dict[str, Any]]:
    """Validate and store a scenario (YAML or JSON); with ``run``, also run it on the stored chain."""
    lang = request_language(request)
    body = json_body(request, ScenarioIn)
    try:
        if body.yaml is not None:
            scenario = parse_scenario(body.yaml, source="yaml")
        elif body.document is not None:
            scenario = scenario_from_document(body.document, source="document")
        else:
            raise HttpError(400, t("stress.web.yaml.empty", lang))
        if body.run:
            result = run.run_and_store(scenario)
            created = {
                "scenario": _scenario_out(result.scenario),
                "result": _result_out(result, with_payload=True),
            }
            return Status(201, created)
    except StressError as exc:
        raise _bad(exc, lang) from exc
    return Status(201, {"scenario": _scenario_out(save_scenario(scenario)), "result": None})


@router.post(
    "/scenarios/{scenario_id}/run", response={201: ResultOut}, url_name="stress_scenario_run"
)
@require(EDIT)
def run_scenario(request: HttpRequest, scenario_id: int) -> Status[dict[str, Any]]:
    """Run a stored scenario on the current value chain and store the result."""
    lang = request_language(request)
    record = Scenario.objects.filter(pk=scenario_id).first()
    if record is None:
        raise HttpError(404, "not found")
    try:
        scenario = scenario_from_document(yaml.safe_load(record.yaml), source=record.name)
        result = run.run_and_store(scenario)
    except StressError as exc:
        raise _bad(exc, lang) from exc
    return Status(201, _result_out(result, with_payload=True))


@router.get("/results", response=list[ResultSummaryOut], url_name="stress_results")
@require(READ)
def list_results(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    """Stored results (scenario runs and sweeps), newest first; ``kind`` filters."""
    qs = Result.objects.defer("payload")
    if kind:
        qs = qs.filter(kind=kind)
    return [_result_out(r) for r in qs[:MAX_LIST]]


@router.get("/results/{result_id}", response=ResultOut, url_name="stress_result")
@require(READ)
def get_result(request: HttpRequest, result_id: int) -> dict[str, Any]:
    """One result with its full payload (the JSON export)."""
    record = Result.objects.filter(pk=result_id).first()
    if record is None:
        raise HttpError(404, "not found")
    return _result_out(record, with_payload=True)


@router.get("/sweeps", response=list[ResultSummaryOut], url_name="stress_sweeps")
@require(READ)
def list_sweeps(request: HttpRequest) -> list[dict[str, Any]]:
    """Stored sweep results, newest first (follow ``url`` or ``/results/{id}`` for rows)."""
    return [_result_out(r) for r in Result.objects.defer("payload").filter(kind="sweep")[:MAX_LIST]]


@router.post(
    "/sweeps",
    response={202: JobOut},
    url_name="stress_sweep_start",
    openapi_extra=_json_body(SweepIn),
)
@require(EDIT)
def start_sweep(request: HttpRequest) -> Status[Any]:
    """Launch a sweep in the background; follow it at ``/api/jobs/{id}``."""
    lang = request_language(request)
    body = json_body(request, SweepIn)
    if body.by not in BY:
        raise HttpError(400, t("stress.cli.bad_by", lang, value=body.by))
    params: dict[str, Any] = {"by": body.by}
    if body.default_ttr_weeks is not None:
        if not body.default_ttr_weeks > 0:
            raise HttpError(
                400, t("stress.web.form.positive_number", lang, value=body.default_ttr_weeks)
            )
        params["default_ttr_weeks"] = body.default_ttr_weeks
    job = jobs.enqueue("stress.sweep", user=request.user, params=params)
    return Status(202, job_state(job, lang))
