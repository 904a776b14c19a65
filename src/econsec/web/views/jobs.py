"""Job pages: list, detail (polls), and the JSON status the page polls."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from econsec.i18n import t

from ..jobs import live_progress
from ..language import request_language
from ..models import Job
from ..roles import ADMIN, READ, has_capability, role_required


def _visible_jobs(request: HttpRequest) -> Any:
    jobs = Job.objects.all()
    if not has_capability(request.user, ADMIN):
        jobs = jobs.filter(created_by_id=request.user.pk)
    return jobs


def _job_or_404(request: HttpRequest, job_id: int) -> Job:
    job: Job | None = _visible_jobs(request).filter(pk=job_id).first()
    if job is None:
        raise Http404(job_id)
    return job


def job_state(job: Job, lang: str) -> dict[str, Any]:
    """What the status page shows, in ``lang`` (the same shape the API returns)."""
    fraction, note = live_progress(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": t(f"web.job.status.{job.status}", lang),
        "progress": round(fraction, 4),
        "note": t(note["key"], lang, **note.get("params", {})) if note.get("key") else "",
        "error": (job.error or {}).get(lang, ""),
        "result_url": job.result_url,
        "finished": job.finished,
    }


@role_required(READ)
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/jobs/list.html", {"jobs": _visible_jobs(request)[:100]})


@role_required(READ)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    lang = request_language(request)
    return render(
        request,
        "web/jobs/detail.html",
        {"job": job, "state": job_state(job, lang), "problems": job.result.get("errors", [])},
    )


@role_required(READ)
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _job_or_404(request, job_id)
    return JsonResponse(job_state(job, request_language(request)))
