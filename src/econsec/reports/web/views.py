"""Board report pages: the list of produced reports, generation as a background job, the HTML
report and its PDF / xlsx downloads (files written by the job, in both languages)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.reports.display import bars, display_table
from econsec.reports.draw import svg_data_uri
from econsec.reports.model import BoardReport, Chart, Section
from econsec.reports.web.job import KIND_BOARD, file_name, report_dir
from econsec.web.jobs import enqueue
from econsec.web.language import request_language
from econsec.web.models import Job
from econsec.web.responses import see_other
from econsec.web.roles import EDIT, READ, has_capability, role_required

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _report_job(job_id: int) -> Job:
    # Board reports are for every reader, whoever asked for them.
    job = Job.objects.filter(pk=job_id, kind=KIND_BOARD, status=Job.Status.SUCCEEDED).first()
    if job is None or "report" not in (job.result or {}):
        raise Http404(job_id)
    return job


@role_required(READ)
def report_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(kind=KIND_BOARD).order_by("-created_at", "-id")[:50]
    return render(
        request,
        "reports/list.html",
        {"report_jobs": jobs, "can_generate": has_capability(request.user, EDIT)},
    )


@require_POST
@role_required(EDIT)
def generate(request: HttpRequest) -> HttpResponse:
    job = enqueue(KIND_BOARD, user=request.user, params={"recompute": "recompute" in request.POST})
    return see_other(reverse("web:job", args=[job.pk]))


@role_required(READ)
def report(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _report_job(job_id)
    board = BoardReport.from_json(job.result["report"])
    lang = request_language(request)
    tables = {t.id: display_table(t, lang, board.currency) for t in board.tables}
    countries = board.table("countries")

    shares = {str(r[0]): float(r[1]) for r in countries.rows} if countries else {}
    return render(
        request,
        "reports/report.html",
        {
            "job": job,
            "board": board,
            "lang": lang,
            "tables": tables,
            "exposure_tables": [
                tables[i]
                for i in (
                    "products",
                    "spof",
                    "countries",
                    "critical",
                    "critical_exposure",
                    "suppliers",
                )
                if i in tables
            ],
            "countries": bars(shares),
            "charts": [_chart(c, lang) for c in board.charts],
            "main_sections": [
                _section(x, lang, board.currency) for x in board.sections if not x.appendix
            ],
            "appendix_sections": [
                _section(x, lang, board.currency) for x in board.sections if x.appendix
            ],
        },
    )


def _chart(chart: Chart, lang: str) -> dict[str, str]:
    return {"id": chart.id, "kind": chart.kind, "uri": svg_data_uri(chart, lang),
            "alt": chart.alt[lang], "title": chart.title[lang]}  # fmt: skip


def _section(section: Section, lang: str, currency: str) -> dict[str, Any]:
    """A contributed section ready for the page (charts as data: images, tables formatted)."""
    return {
        "id": section.id,
        "title": section.title[lang],
        "paragraphs": [p[lang] for p in section.paragraphs],
        "charts": [_chart(c, lang) for c in section.charts],
        "tables": [display_table(t, lang, currency) for t in section.tables],
    }


@role_required(READ)
def report_file(request: HttpRequest, job_id: int, fmt: str) -> HttpResponse:
    if fmt not in _CONTENT_TYPES:
        raise Http404(fmt)
    job = _report_job(job_id)
    lang = request_language(request)
    path = report_dir(job.pk) / file_name(fmt, lang)
    if not path.is_file():
        raise Http404(fmt)
    version = str(job.result.get("data_version", ""))[:12]
    # FileResponse streams; the role guard only needs an HttpResponseBase at run time.
    return FileResponse(  # type: ignore[return-value]
        path.open("rb"),
        as_attachment=True,
        filename=f"econsec-board-report-{version}-{lang}.{fmt}",
        content_type=_CONTENT_TYPES[fmt],
    )
