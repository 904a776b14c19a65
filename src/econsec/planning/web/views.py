"""Planning pages: the measures catalogue (form, workbook), suggestions to accept or reject,
simulation and optimisation as background jobs, and a run's figures with its charts and
investment case. Everyone with a role reads; analysts and administrators change and run.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from econsec import safe_yaml
from econsec.i18n import t
from econsec.planning import models as pm
from econsec.planning import store
from econsec.planning.cvar import DEFAULT_LEVEL
from econsec.planning.cvar import check as check_cvar
from econsec.planning.errors import PlanningError
from econsec.planning.measures import KINDS, CostParameters, parse_measure
from econsec.planning.web import chart
from econsec.web.guards import form_limit
from econsec.web.jobs import enqueue
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, role_required

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_RISKS_TEXT = 256 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("id", "kind", *pm.TEXT_FIELDS, *pm.NUMBER_FIELDS)


def body_limit() -> int:
    return form_limit(MAX_WORKBOOK_BYTES)


def _text(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _chain_or_none() -> Any:
    try:
        return store.load_chain()
    except PlanningError:
        return None


def _risks_packed() -> dict[str, Any]:
    return store.latest_risks() or store.example_risks()


@role_required(READ)
def index(request: HttpRequest) -> HttpResponse:
    runs = list(pm.Run.objects.all()[:30])
    packed = _risks_packed()
    return render(request, "planning/index.html", {
        "runs": runs, "measures": pm.Measure.objects.count(),
        "open": pm.Suggestion.objects.filter(status="open").count(),
        "risks_text": safe_yaml_dump(packed["document"]), "files": sorted(packed["files"]),
        "has_chain": _chain_or_none() is not None,
    })  # fmt: skip


def safe_yaml_dump(document: Any) -> str:
    import yaml

    return str(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


# ---- measures -----------------------------------------------------------------------------
def _annualised(chain: Any, rows: list[pm.Measure], lang: str) -> list[dict[str, Any]]:
    from econsec.planning.measures import resolve_costs

    params = CostParameters()
    out = []
    for row in rows:
        cost: Any = None
        problem = ""
        try:
            m = parse_measure(row.spec(), f"measure {row.measure_id}")
            if chain is not None:
                cost = resolve_costs(chain, m, params).annualised(params)
        except PlanningError as exc:
            problem = exc.message(lang)
        out.append({"row": row, "cost": cost, "problem": problem})
    return out


def _measures_page(
    request: HttpRequest, *, form: dict[str, Any] | None = None, error: str = "",
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    lang = request_language(request)
    rows = list(pm.Measure.objects.all())
    return render(request, "planning/measures.html", {
        "rows": _annualised(_chain_or_none(), rows, lang), "kinds": KINDS,
        "form": form or {}, "error": error,
        "numbers": [(f, (form or {}).get(f, "")) for f in pm.NUMBER_FIELDS],
        "texts": [(f, (form or {}).get(f, "")) for f in pm.TEXT_FIELDS],
    }, status=status)  # fmt: skip


@role_required(READ)
def measures(request: HttpRequest) -> HttpResponse:
    form: dict[str, Any] = {}
    wanted = request.GET.get("edit")
    if wanted:
        row = pm.Measure.objects.filter(measure_id=wanted).first()
        if row is not None:
            form = {k: ("" if v is None else v) for k, v in row.spec().items()}
    return _measures_page(request, form=form)


def measure_entry(data: Any) -> dict[str, Any]:
    """Form fields → the mapping parse_measure reads (numbers as numbers where they parse, so
    a word in a number field is reported by the parser, located)."""
    entry: dict[str, Any] = {}
    for name in FIELDS:
        raw = str(data.get(name, "") or "").strip()
        if not raw:
            continue
        if name in pm.NUMBER_FIELDS:
            try:
                entry[name] = float(raw.replace(",", ""))
            except ValueError:
                entry[name] = raw
        else:
            entry[name] = raw
    return entry


def check_measure(entry: dict[str, Any], where: str) -> Any:
    """The measure, parsed and applied to the stored chain (unknown ids → PlanningError)."""
    from econsec.characters import unwanted
    from econsec.planning.measures import apply_measures

    for name, value in entry.items():
        found = unwanted(value, identifier=name != "source" and name != "comment") \
            if isinstance(value, str) else None  # fmt: skip
        if found is not None:
            raise PlanningError("text.unwanted_character", where=where, field=name,
                                position=found[0], char=found[1])  # fmt: skip
    m = parse_measure(entry, where)
    chain = _chain_or_none()
    if chain is not None:
        apply_measures(chain, [m])
    return m


@role_required(EDIT)
def measure_save(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_measures"))
    lang = request_language(request)
    entry = measure_entry(request.POST)
    try:
        m = check_measure(entry, t("planning.web.form", lang))
    except PlanningError as exc:
        form = {k: request.POST.get(k, "") for k in FIELDS}
        return _measures_page(request, form=form, error=exc.message(lang), status=400)
    store.save_measures([m], origin="form", actor=request.user.get_username())
    return HttpResponseRedirect(reverse("web:planning_measures"), status=303)


@role_required(EDIT)
def measure_delete(request: HttpRequest, measure_id: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_measures"))
    if not store.delete_measure(measure_id, actor=request.user.get_username()):
        raise Http404()
    return HttpResponseRedirect(reverse("web:planning_measures"), status=303)


@role_required(READ)
def measures_export(request: HttpRequest) -> HttpResponse:
    from econsec.planning.sheet import export

    lang = request_language(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "measures.xlsx"
        export(path, [m.spec() for m in pm.Measure.objects.all()], lang)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="measures.xlsx"'
    return response


@role_required(EDIT)
def measures_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_measures"))
    from econsec.planning.sheet import SheetProblems, read_workbook

    lang = request_language(request)
    upload = request.FILES.get("workbook")
    filename = (upload.name or "") if upload is not None else ""
    if upload is None or not filename.lower().endswith(".xlsx"):
        return _text(t("planning.web.need_xlsx", lang))
    if (upload.size or 0) > MAX_WORKBOOK_BYTES:
        return _text(t("planning.web.too_large", lang), 413)
    chain = _chain_or_none()
    if chain is None:
        return _text(t("planning.store.no_chain", lang, where=""), 409)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            found, packed = read_workbook(path, chain, _risks_packed())
        except SheetProblems as exc:
            return _text(exc.message(lang))
    store.save_workbook(found, packed, actor=request.user.get_username())
    return HttpResponseRedirect(reverse("web:planning_measures"), status=303)


# ---- suggestions --------------------------------------------------------------------------
@role_required(READ)
def suggestions(request: HttpRequest) -> HttpResponse:
    rows = list(pm.Suggestion.objects.all()[:500])
    return render(request, "planning/suggestions.html", {"rows": rows})


@role_required(EDIT)
def suggestions_refresh(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_suggestions"))
    job = enqueue("planning.suggest", user=request.user, params={"risks": _risks_packed()})
    return HttpResponseRedirect(reverse("web:job", args=[job.pk]), status=303)


@role_required(EDIT)
def suggestion_decide(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_suggestions"))
    lang = request_language(request)
    row = pm.Suggestion.objects.filter(pk=suggestion_id).first()
    if row is None:
        raise Http404()
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        return _text(t("planning.web.bad_decision", lang, value=decision[:40]))
    if row.status != "open":
        return _text(t("planning.web.decided", lang, status=row.status), 409)
    if decision == "accept":
        try:
            m = check_measure(dict(row.spec), f"suggestion {row.measure_id}")
        except PlanningError as exc:
            return _text(exc.message(lang))
        store.save_measures([m], origin="suggestion", actor=request.user.get_username())
    row.status = "accepted" if decision == "accept" else "rejected"
    row.decided_by = request.user.get_username()
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    return HttpResponseRedirect(reverse("web:planning_suggestions"), status=303)


# ---- runs ---------------------------------------------------------------------------------
def _number(data: Any, name: str, default: float | None, low: float, high: float) -> float | None:
    raw = str(data.get(name, "") or "").strip().replace(",", "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise PlanningError(
            "planning.web.bad_number", where=name, field=name, value=raw[:40]
        ) from exc
    if not math.isfinite(value) or not low <= value <= high:
        raise PlanningError("planning.web.out_of_range", where=name, field=name, value=raw[:40],
                            low=f"{low:g}", high=f"{high:g}")  # fmt: skip
    return value


def risks_from_form(data: Any) -> dict[str, Any]:
    """The risk document of the form (YAML), its scenario files those of the stored set;
    checked against the stored chain now, so a bad document is refused before any job."""
    base = _risks_packed()
    text = str(data.get("risks", "") or "")
    packed = base if not text.strip() else _risks_text(text, base)
    chain = _chain_or_none()
    if chain is not None:
        store.unpack_risks(packed, chain)
    return packed


def _risks_text(text: str, base: dict[str, Any]) -> dict[str, Any]:
    if len(text.encode("utf-8")) > MAX_RISKS_TEXT:
        raise PlanningError("planning.web.risks_too_large", where="risks", most=MAX_RISKS_TEXT)
    try:
        document, _nodes = safe_yaml.load(text, source="risks")
    except safe_yaml.YamlRefused as exc:
        raise PlanningError(exc.key, **exc.fields()) from exc
    return {"document": document, "files": base["files"], "name": "risks"}


def run_params(data: Any, kind: str) -> dict[str, Any]:
    from econsec.planning.web.jobs import MAX_SAMPLE_YEARS, MAX_YEARS

    params: dict[str, Any] = {"risks": risks_from_form(data)}
    params["seed"] = int(_number(data, "seed", 1, 0, 2**31 - 1) or 0)
    if kind == "simulate":
        params["years"] = int(_number(data, "years", 2_000, 1, MAX_YEARS) or 1)
        return params
    params["years"] = int(_number(data, "years", 50, 1, MAX_SAMPLE_YEARS) or 1)
    params["one_off_budget"] = _number(data, "one_off_budget", None, 0, 1e15)
    params["annual_budget"] = _number(data, "annual_budget", None, 0, 1e15)
    params["cvar_limit"] = _number(data, "cvar_limit", None, 0, 1e18)
    params["cvar_level"] = _number(data, "cvar_level", DEFAULT_LEVEL, 0, 1)
    check_cvar(params["cvar_limit"], params["cvar_level"])  # level in [0.5, 1), located
    params["frontier"] = int(_number(data, "frontier", 5, 0, 20) or 0)
    params["distribution_years"] = int(_number(data, "distribution_years", 500, 0, MAX_YEARS) or 0)
    params["horizon_years"] = int(_number(data, "horizon_years", 10, 1, 50) or 1)
    params["measures"] = (
        [m for m in data.getlist("measure") if m] if hasattr(data, "getlist") else []
    )
    known = pm.Measure.objects.all()
    if params["measures"]:
        known = known.filter(measure_id__in=params["measures"])
    if not known.exists():
        raise PlanningError("planning.optimise.no_candidates")
    return params


def _start(request: HttpRequest, kind: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning"))
    lang = request_language(request)
    try:
        params = run_params(request.POST, kind)
    except PlanningError as exc:
        return _text(exc.message(lang))
    job = enqueue(f"planning.{kind}", user=request.user, params=params)
    return HttpResponseRedirect(reverse("web:job", args=[job.pk]), status=303)


@role_required(EDIT)
def simulate(request: HttpRequest) -> HttpResponse:
    return _start(request, "simulate")


@role_required(EDIT)
def optimise(request: HttpRequest) -> HttpResponse:
    return _start(request, "optimise")


def run_context(run: pm.Run, lang: str) -> dict[str, Any]:
    """What a run's page (and the API) shows: the figures, charts and the investment case."""
    r = run.results
    names = (t("planning.web.before", lang), t("planning.web.after", lang))
    if run.kind == "simulation":
        stats, after_stats = r, None
        exceed = chart.exceedance_chart(r.get("exceedance", []), None, names)
        front = None
    else:
        stats = r.get("distribution_before") or {}
        after_stats = r.get("distribution_after")
        exceed = chart.exceedance_chart(
            stats.get("exceedance", []),
            (after_stats or {}).get("exceedance") if after_stats else None, names,
        ) if stats else None  # fmt: skip
        front = chart.frontier_chart(r.get("frontier") or [], t("planning.web.frontier", lang))
    case = r.get("case")
    tornado = _tornado(case) if case else None
    return {"run": run, "r": r, "stats": stats, "after": after_stats, "exceed": exceed,
            "front": front, "case": case, "tornado": tornado,
            "stat_rows": [(k, stats.get(k), (after_stats or {}).get(k))
                          for k in ("eal", "var95", "cvar95", "var99", "cvar99")]}  # fmt: skip


def _tornado(case: dict[str, Any]) -> dict[str, Any]:
    rows = case.get("tornado") or []
    values = [case["npv"]] + [v for row in rows for v in (row["low"], row["high"])]
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def x(v: float) -> float:
        return round(160.0 + 440.0 * float(v - low) / float(span), 1)

    bars = []
    for i, row in enumerate(rows):
        a, b = sorted((row["low"], row["high"]))
        bars.append({"factor": row["factor"], "x": x(a), "width": max(1.0, x(b) - x(a)),
                     "y": 10 + 34 * i, "low": row["low"], "high": row["high"]})  # fmt: skip
    return {"bars": bars, "base": x(case["npv"]), "height": 20 + 34 * len(rows)}


def _campaigns() -> list[Any]:
    from econsec.guideline.models import Campaign

    return list(Campaign.objects.exclude(status="approved").order_by("-created_at")[:50])


@role_required(READ)
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = pm.Run.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404()
    context = run_context(run, request_language(request))
    context["campaigns"] = _campaigns()
    return render(request, "planning/run.html", context)


@role_required(EDIT)
def run_cite(request: HttpRequest, run_id: int) -> HttpResponse:
    """Cite the run as evidence for a principle-2 item of a self-assessment."""
    from econsec.planning.ties import cite_run

    if not pm.Run.objects.filter(pk=run_id).exists():
        raise Http404()
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:planning_run", args=[run_id]))
    lang = request_language(request)
    try:
        campaign = int(request.POST.get("campaign", "") or 0)
        cite_run(campaign, request.POST.get("item", "GOV-B"), run_id,
                 actor=request.user.get_username())  # fmt: skip
    except ValueError:
        return _text(t("planning.cite.no_campaign", lang, where="campaign", value=""))
    except PlanningError as exc:
        return _text(exc.message(lang))
    return HttpResponseRedirect(reverse("web:planning_run", args=[run_id]), status=303)
