"""Stress-test pages: scenarios (form or YAML), results with the TTS-vs-TTR chart, sweeps.

A single scenario runs inside the request (one solve); a sweep runs as a background job
(``stress.sweep``, see :mod:`.stress_run`) whose page shows progress and links to the ranking.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from econsec.i18n import t
from econsec.reference.countries import country_name, is_country
from econsec.reference.labels import tag_label
from econsec.stress.errors import StressError
from econsec.stress.models import Result, Scenario
from econsec.stress.scenario import scenario_from_document
from econsec.stress.sweep import BY
from econsec.stress.web import export, run
from econsec.stress.web.chart import Bar, axis_max_for_tts, hbar_chart
from econsec.stress.web.explain import render_explanations, row_explanation
from econsec.web import jobs
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.models import Job
from econsec.web.roles import EDIT, READ, has_capability, role_required

MAX_YAML_BYTES = 256 * 1024


def body_limit() -> int:
    """The largest scenario form (a YAML file or pasted text; registered in apps.py)."""
    return form_limit(2 * MAX_YAML_BYTES)


RANKING_PAGE = 25
TARGET_MATCHES = 20
# Every field present: a template looking up a missing key such as "items" on a dict would
# otherwise find the dict's own method.
FORM_DEFAULTS = {
    "name": "",
    "kind": "site_disruption",
    "targets": "",
    "capacity_loss_pct": "",
    "start_week": "0",
    "duration_weeks": "8",
    **{name: "" for name in run.ITEM_FILTERS},
}


def _lang(request: HttpRequest) -> str:
    return request_language(request)


# ---- index -------------------------------------------------------------------------------
@role_required(READ)
def index(request: HttpRequest) -> HttpResponse:
    """Stored scenarios, recent results and sweeps, running sweep jobs."""
    results = Result.objects.defer("payload").select_related("scenario")
    running = Job.objects.filter(kind="stress.sweep").exclude(
        status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]
    )
    if not has_capability(request.user, "admin"):
        running = running.filter(created_by_id=request.user.pk)
    return render(
        request,
        "stress/index.html",
        {
            "scenarios": [
                {"record": s, "name": _scenario_name(s, _lang(request))}
                for s in Scenario.objects.order_by("-created_at", "-id")[:50]
            ],
            "runs": results.filter(kind="scenario")[:30],
            "sweeps": results.filter(kind="sweep")[:20],
            "running": running.order_by("-created_at")[:10],
            "examples": sorted(run.examples()),
            "can_edit": has_capability(request.user, EDIT),
        },
    )


# ---- a new scenario ----------------------------------------------------------------------
def _form_context(lang: str, data: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kinds": [(k, f"stress.web.kind.{k}", run.TARGET_SOURCE[k]) for k in run.FORM_KINDS],
        "form": {**FORM_DEFAULTS, **(data or {})},
        "errors": {},
        "yaml_text": "",
        "yaml_error": "",
        "yaml_lines": [],
        "examples": sorted(run.examples()),
        "mode": "form",
    }


def _run_or_error(request: HttpRequest, scenario: Any) -> HttpResponse | StressError:
    try:
        record = run.run_and_store(scenario)
    except StressError as exc:
        return exc
    return HttpResponseRedirect(reverse("web:stress_result", args=[record.pk]))


@role_required(EDIT)
def new_scenario(request: HttpRequest) -> HttpResponse:
    """Build a scenario in the form or upload/paste YAML; running it shows the result."""
    lang = _lang(request)
    ctx = _form_context(lang)
    if request.method == "GET":
        name = request.GET.get("example", "")
        if name:
            path = run.examples().get(name)
            if path is None:
                raise Http404(name)
            ctx.update(yaml_text=path.read_text(encoding="utf-8"), mode="yaml")
        return render(request, "stress/new.html", ctx)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.POST.get("mode") == "yaml":
        return _post_yaml(request, lang, ctx)
    data = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    ctx["form"] = {**FORM_DEFAULTS, **data}
    outcome = run.scenario_from_form(data, lang)
    if outcome.scenario is None:
        ctx["errors"] = outcome.errors
        return render(request, "stress/new.html", ctx, status=400)
    answer = _run_or_error(request, outcome.scenario)
    if isinstance(answer, StressError):
        ctx["errors"] = {run.error_field(answer): answer.message(lang)}
        return render(request, "stress/new.html", ctx, status=400)
    return answer


def _post_yaml(request: HttpRequest, lang: str, ctx: dict[str, Any]) -> HttpResponse:
    ctx["mode"] = "yaml"
    upload = request.FILES.get("yaml_file")
    source = t("stress.web.yaml.pasted", lang)
    if upload is not None and upload.size:
        if upload.size > MAX_YAML_BYTES:
            ctx["yaml_error"] = t("stress.web.yaml.too_big", lang, name=upload.name, limit="256 KB")
            return render(request, "stress/new.html", ctx, status=400)
        raw = upload.read()
        source = upload.name or source
    else:
        raw = request.POST.get("yaml_text", "").encode("utf-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        ctx["yaml_error"] = t("stress.web.yaml.not_utf8", lang, name=source)
        return render(request, "stress/new.html", ctx, status=400)
    ctx["yaml_text"] = text
    if not text.strip():
        ctx["yaml_error"] = t("stress.web.yaml.empty", lang)
        return render(request, "stress/new.html", ctx, status=400)
    try:
        scenario = run.parse_yaml(text, source)
        answer = _run_or_error(request, scenario)
        if isinstance(answer, StressError):
            raise answer
    except StressError as exc:
        ctx["yaml_error"] = exc.message(lang)
        bad = run.error_line(exc)
        ctx["yaml_lines"] = [
            {"number": i, "text": line, "bad": i == bad}
            for i, line in enumerate(text.splitlines(), start=1)
        ][:2000]
        return render(request, "stress/new.html", ctx, status=400)
    return answer


@role_required(READ)
def targets(request: HttpRequest) -> JsonResponse:
    """Ids for the searchable pickers: ``?kind=site|org|country|chokepoint|item|…&q=…``."""
    lang = _lang(request)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip().casefold()
    try:
        chain = run.load_chain()
    except StressError:
        return JsonResponse({"kind": kind, "matches": []})
    options: list[tuple[str, str]]
    if kind == "site":
        options = list(zip(chain.site_ids, chain.site_names, strict=True))
    elif kind == "org":
        options = list(zip(chain.org_ids, chain.org_names, strict=True))
    elif kind == "country":
        options = [(c, country_name(c, lang) if is_country(c) else c) for c in chain.countries]
    elif kind == "chokepoint":
        options = list(zip(chain.chokepoint_ids, chain.chokepoint_names, strict=True))
    elif kind == "item":
        options = list(zip(chain.item_ids, chain.item_names, strict=True))
    elif kind in ("critical_tags", "mineral_tags"):
        tags = chain.item_critical_tags if kind == "critical_tags" else chain.item_mineral_tags
        options = [
            (tag, tag_label(tag, lang)) for tag in sorted({tag for ts in tags for tag in ts})
        ]
    else:
        return JsonResponse(
            {"error": t("stress.web.targets.bad_kind", lang, value=kind)}, status=400
        )
    matches = []
    for value, name in options:
        if not q or q in value.casefold() or q in name.casefold():
            matches.append({"id": value, "name": name})
            if len(matches) >= TARGET_MATCHES:
                break
    return JsonResponse({"kind": kind, "matches": matches})


# ---- stored scenarios ---------------------------------------------------------------------
@role_required(READ)
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    record = get_object_or_404(Scenario, pk=scenario_id)
    return render(request, "stress/scenario.html", _scenario_context_for(request, record))


def _scenario_context_for(request: HttpRequest, record: Scenario) -> dict[str, Any]:
    return {
        "scenario": record,
        "scenario_name": _scenario_name(record, _lang(request)),
        "results": Result.objects.defer("payload").filter(scenario=record)[:20],
        "can_edit": has_capability(request.user, EDIT),
        "error": "",
    }


@role_required(EDIT)
def scenario_run(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Run a stored scenario again (e.g. on newer data) and show the new result."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    record = get_object_or_404(Scenario, pk=scenario_id)
    lang = _lang(request)
    try:
        import yaml

        scenario = scenario_from_document(yaml.safe_load(record.yaml), source=record.name)
        answer = _run_or_error(request, scenario)
        if isinstance(answer, StressError):
            raise answer
    except StressError as exc:
        context = _scenario_context_for(request, record)
        context["error"] = exc.message(lang)
        return render(request, "stress/scenario.html", context, status=400)
    return answer


# ---- results ------------------------------------------------------------------------------
def _provenance(result: Result, current: str) -> dict[str, Any]:
    return {
        "data_version": result.data_version,
        "stale": bool(current) and current != result.data_version,
        "scenario_hash": result.scenario_hash,
        "solver": result.solver_version,
        "econsec": result.econsec_version,
        "created_at": result.created_at,
    }


def _tts_text(value: float | None, lang: str) -> str:
    return t("stress.web.unlimited", lang) if value is None else f"{value:.1f}"


def _scenario_context(payload: dict[str, Any], lang: str) -> dict[str, Any]:
    ttr = float(payload["ttr_weeks"])
    products = payload["products"]
    axis = axis_max_for_tts([p["tts_weeks"] for p in products], ttr)
    bars = [
        Bar(
            label=f"{p['name']} ({p['item']})",
            value=p["tts_weeks"],
            text=_tts_text(p["tts_weeks"], lang),
            css="material" if p["tts_weeks"] is not None and p["tts_weeks"] < ttr else "ok",
        )
        for p in products
    ]
    chart = hbar_chart(
        bars, axis, marker=ttr, marker_label=t("stress.web.chart.ttr", lang, ttr=f"{ttr:g}")
    )
    return {
        "chart": chart,
        "products": [
            {**p, "material": p["tts_weeks"] is not None and p["tts_weeks"] < ttr} for p in products
        ],
        "markets": payload["markets"],
        "binding": payload["binding"][:10],
        "explanations": render_explanations(payload.get("explanations", []), lang),
        "notes": render_explanations(payload.get("notes", []), lang),
    }


def _entity_names(kind: str, ids: list[str], lang: str) -> dict[str, str]:
    from econsec.valuechain.models import Organisation, Site

    if kind == "site":
        return dict(Site.objects.filter(site_id__in=ids).values_list("site_id", "name"))
    if kind == "org":
        return dict(Organisation.objects.filter(org_id__in=ids).values_list("org_id", "name"))
    return {c: country_name(c, lang) if is_country(c) else c for c in ids}


def _entity_url(kind: str, entity: str) -> str:
    if kind == "site":
        return reverse("web:site", args=[entity])
    if kind == "org":
        return reverse("web:organisation", args=[entity])
    return ""


def _sweep_context(request: HttpRequest, payload: dict[str, Any], lang: str) -> dict[str, Any]:
    rows = payload["rows"]
    impact_only = request.GET.get("impact") == "1"
    if impact_only:
        rows = [r for r in rows if r.get("status") == "ok" and r.get("lost_margin")]
    page = Paginator(rows, RANKING_PAGE).get_page(request.GET.get("page"))
    ranked = list(page.object_list)
    names = _entity_names(payload["by"], [r["id"] for r in ranked], lang)
    currency = payload.get("currency", "")
    shown = []
    for offset, r in enumerate(ranked):
        rank = page.start_index() + offset
        shown.append(
            {
                **r,
                "rank": rank,
                "name": names.get(r["id"], ""),
                "url": _entity_url(r["kind"], r["id"]),
                "explanation": row_explanation(r, lang, currency),
                "rei_pct": round(100 * float(r.get("rei") or 0), 1),
                "lost_margin": r.get("lost_margin")
                if isinstance(r.get("lost_margin"), (int, float))
                and math.isfinite(r.get("lost_margin"))
                else None,
            }
        )
    top = [r for r in payload["rows"] if r.get("rei", 0) > 0][:15]
    top_names = _entity_names(payload["by"], [r["id"] for r in top], lang)
    chart = hbar_chart(
        [
            Bar(
                label=f"{r['id']} · {top_names[r['id']]}" if top_names.get(r["id"]) else r["id"],
                value=float(r["rei"]),
                text=f"{r['rei']:.3f}",
                css="material" if r.get("material") else "ok",
            )
            for r in top
        ],
        1.0,
    )
    return {
        "rows": shown,
        "page": page,
        "impact_only": impact_only,
        "chart": chart if top else None,
        "skipped": payload.get("skipped", [])[:50],
        "skipped_count": len(payload.get("skipped", [])),
    }


@role_required(READ)
def result_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    """A scenario result (chart, products, markets, binding, why) or a sweep ranking."""
    from econsec.valuechain.store_io import current_version

    result = get_object_or_404(Result.objects.select_related("scenario"), pk=result_id)
    lang = _lang(request)
    payload: dict[str, Any] = result.payload
    ctx: dict[str, Any] = {
        "result": result,
        "payload": payload,
        "currency": payload.get("currency", ""),
        "provenance": _provenance(result, current_version()),
        "formats": list(export.CONTENT_TYPES),
    }
    if result.kind == "sweep":
        ctx.update(_sweep_context(request, payload, lang))
        return render(request, "stress/sweep_result.html", ctx)
    ctx.update(_scenario_context(payload, lang))
    if result.scenario is not None:
        ctx["scenario_name"] = _scenario_name(result.scenario, lang)
    return render(request, "stress/result.html", ctx)


def _scenario_name(record: Scenario, lang: str) -> str:
    """The stored scenario's name in ``lang`` (the stored YAML keeps both languages)."""
    import yaml

    from econsec.stress.scenario import Scenario as ScenarioDocument

    try:
        document = yaml.safe_load(record.yaml)
        return ScenarioDocument(document=document).name(lang)
    except (yaml.YAMLError, KeyError, TypeError):
        return record.name


@role_required(READ)
def result_export(request: HttpRequest, result_id: int, fmt: str) -> HttpResponse:
    """Download a result as CSV, XLSX or JSON (spreadsheet formulas neutralised)."""
    if fmt not in export.CONTENT_TYPES:
        raise Http404(fmt)
    result = get_object_or_404(Result, pk=result_id)
    lang = _lang(request)
    payload: dict[str, Any] = result.payload
    if fmt == "csv":
        body = export.to_csv(payload, lang)
    elif fmt == "xlsx":
        body = export.to_xlsx(payload, lang)
    else:
        body = export.to_json(payload)
    response = HttpResponse(body, content_type=export.CONTENT_TYPES[fmt])
    stem = f"stress-{result.kind}-{result.pk}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# ---- sweeps -------------------------------------------------------------------------------
@role_required(EDIT)
def new_sweep(request: HttpRequest) -> HttpResponse:
    """Launch a whole-network sweep in the background; its job page shows progress."""
    lang = _lang(request)
    form = {"by": "site", "default_ttr_weeks": ""}
    error = ""
    if request.method == "POST":
        form = {
            "by": request.POST.get("by", ""),
            "default_ttr_weeks": request.POST.get("default_ttr_weeks", "").strip(),
        }
        params: dict[str, Any] = {"by": form["by"]}
        if form["by"] not in BY:
            error = t("stress.cli.bad_by", lang, value=form["by"])
        elif form["default_ttr_weeks"]:
            try:
                value = float(form["default_ttr_weeks"])
                if not (math.isfinite(value) and value > 0):
                    raise ValueError(value)
                params["default_ttr_weeks"] = value
            except ValueError:
                error = t("stress.web.form.positive_number", lang, value=form["default_ttr_weeks"])
        if not error:
            job = jobs.enqueue("stress.sweep", user=request.user, params=params)
            return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
    return render(
        request,
        "stress/sweep.html",
        {"form": form, "error": error, "by_choices": BY},
        status=400 if error else 200,
    )
