"""Background jobs: create a :class:`Job` row, queue it, run its handler in the worker.

The task queue (django-tasks with its database backend) only carries the job id; everything the
user sees — progress, failure reason in ja and en, result link — lives on the Job row, so a page
reload or a server restart loses nothing. Handlers are registered per kind (``econsec.registry``).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec.i18n import LANGUAGES, t
from econsec.jobs import JobFailed
from econsec.registry import registry, resolve

from .models import Job

log = logging.getLogger(__name__)


def enqueue(kind: str, *, user: Any = None, params: dict[str, Any] | None = None) -> Job:
    """Record a job and queue it (after the surrounding transaction commits)."""
    if kind not in registry.job_kinds:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params or {}, created_by=user)
    from .tasks import run_job

    def _queue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(_queue)
    return job


def _bilingual(key: str, params: dict[str, Any]) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def execute(job_id: int) -> None:
    """Run one job to completion, recording progress and the outcome on its row."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    handler = registry.job_kinds.get(job.kind)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())

    def progress(fraction: float, key: str = "", **params: Any) -> None:
        note = {"key": key, "params": params} if key else {}
        Job.objects.filter(pk=job.pk).update(
            progress=max(0.0, min(1.0, float(fraction))), progress_note=note
        )

    try:
        if handler is None:
            raise JobFailed("web.job.unknown_kind", kind=job.kind)
        result = resolve(handler)(job, progress) or {}
    except JobFailed as failure:
        _finish(job, Job.Status.FAILED, failure.result, _bilingual(failure.key, failure.params))
    except Exception as exc:  # the reason goes to the user; the traceback to the log
        log.error("job %s (%s) failed:\n%s", job.pk, job.kind, traceback.format_exc())
        reason = f"{type(exc).__name__}: {exc}"
        _finish(job, Job.Status.FAILED, {}, _bilingual("web.job.crashed", {"reason": reason}))
    else:
        _finish(job, Job.Status.SUCCEEDED, result, {})


def _finish(job: Job, status: str, result: dict[str, Any], error: dict[str, str]) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "result": result,
        "error": error,
        "finished_at": timezone.now(),
        "progress_note": {},
    }
    if status == Job.Status.SUCCEEDED:
        fields["progress"] = 1.0
    url = result.get("url") if isinstance(result, dict) else None
    if url:
        fields["result_url"] = str(url)
    Job.objects.filter(pk=job.pk).update(**fields)
