"""Job endpoints: start a workbook import, follow a job."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from econsec.i18n import t

from .. import jobs
from ..language import request_language
from ..models import Job
from ..roles import ADMIN, EDIT, READ, has_capability
from ..views.jobs import job_state
from ..views.upload import ACCEPTED, MAX_BYTES, upload_dir
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


@router.post("/valuechain/import", response={202: JobOut}, url_name="import")
@require(EDIT)
def start_import(request: HttpRequest, workbook: UploadedFile = File(...)) -> tuple[int, Any]:  # type: ignore[type-arg]  # noqa: B008
    lang = request_language(request)
    name = workbook.name or ""
    if not name.lower().endswith(ACCEPTED):
        raise HttpError(400, t("web.upload.bad_type", lang, name=name))
    if (workbook.size or 0) > MAX_BYTES:
        raise HttpError(400, t("web.upload.too_big", lang, name=name, limit="50 MB"))
    import uuid
    from pathlib import Path

    target = upload_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    with target.open("wb") as out:
        for chunk in workbook.chunks():
            out.write(chunk)
    job = jobs.enqueue(
        "valuechain.import", user=request.user, params={"path": str(target), "name": name}
    )
    return 202, job_state(job, lang)
