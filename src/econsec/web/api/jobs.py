"""Job endpoints: follow a job."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from ..language import request_language
from ..models import Job
from ..roles import ADMIN, READ, has_capability
from ..views.jobs import job_state
from .auth import require
from .schemas import JobOut

router = Router(tags=["jobs"])


@router.get("/jobs/{job_id}", response=JobOut, url_name="job")
@require(READ)
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    qs = Job.objects.filter(pk=job_id)
    if not has_capability(request.user, ADMIN):
        qs = qs.filter(created_by_id=request.user.pk)
    job = qs.first()
    if job is None:
        raise HttpError(404, "not found")
    return job_state(job, request_language(request))
