"""Background jobs: create a :class:`Job` row, queue it, run its handler in the worker.

The task queue (django-tasks with its database backend) only carries the job id; everything the
user sees — progress, failure reason in ja and en, result link — lives on the Job row, so a page
reload or a server restart loses nothing. Handlers are registered per kind (``econsec.registry``).

A job's worker can die under it (killed, out of memory) or be stopped (server shutdown). The
first is found by :func:`reap_lost_jobs` (the job fails with a reason, its upload is removed);
the second interrupts the handler and queues the job again (:func:`execute`). See
docs/decisions/0092-hardening-the-server.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import traceback
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from econsec.i18n import LANGUAGES, t
from econsec.jobs import JobFailed, JobInterrupted
from econsec.registry import registry, resolve

from . import heartbeat
from .models import Job

log = logging.getLogger(__name__)

# A job interrupted by this many shutdowns in a row fails instead of running again.
MAX_ATTEMPTS = 3
# An upload no unfinished job claims is removed once it is this old (seconds): a request that
# stored it and then failed before queueing its job leaves it behind.
ORPHAN_UPLOAD_SECONDS = 600.0
_UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.INTERRUPTED)


@dataclass
class WorkerContext:
    """What the worker process knows of the job it runs (econsec.web.worker reads it)."""

    label: str = ""  # heartbeat.label() of this worker; "" when run outside a worker
    job_id: int | None = None
    interruptible: bool = False  # the handler is running (not yet recording its outcome)

    @contextlib.contextmanager
    def running(self, job_id: int) -> Iterator[None]:
        self.job_id, self.interruptible = job_id, True
        try:
            yield
        finally:
            self.job_id, self.interruptible = None, False


context = WorkerContext()


# ------------------------------------------------------------------------------------ uploads


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(upload: UploadedFile) -> Path:  # type: ignore[type-arg]
    """Store an uploaded file for a job under a random name (the user's name is only data)."""
    target = upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def _remove_upload(path: str) -> None:
    """Remove a job's upload, if it lies in the upload folder (never anything else)."""
    if not path:
        return
    target = Path(path)
    with contextlib.suppress(OSError, ValueError):
        if target.resolve().parent == upload_dir().resolve():
            target.unlink(missing_ok=True)


def sweep_uploads(min_age: float = ORPHAN_UPLOAD_SECONDS) -> list[str]:
    """Remove uploads that no unfinished job claims and that are older than ``min_age``."""
    claimed = {
        str(Path(p).resolve())
        for p in Job.objects.filter(status__in=_UNFINISHED)
        .exclude(upload="")
        .values_list("upload", flat=True)
    }
    removed = []
    now = time.time()
    for path in upload_dir().iterdir():
        with contextlib.suppress(OSError):
            if (
                path.is_file()
                and str(path.resolve()) not in claimed
                and now - path.stat().st_mtime > min_age
            ):
                path.unlink()
                removed.append(path.name)
    return removed


# ------------------------------------------------------------------------- queue and progress


def enqueue(
    kind: str,
    *,
    user: Any = None,
    params: dict[str, Any] | None = None,
    upload: Path | str | None = None,
) -> Job:
    """Record a job and queue it (after the surrounding transaction commits).

    ``upload``: a file the job consumes; it is removed when the job ends, however it ends.
    """
    if kind not in registry.job_kinds:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = Job.objects.create(
        kind=kind, params=params or {}, created_by=user, upload=str(upload or "")
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def _progress_file(job_id: int) -> Path:
    return Path(settings.ECONSEC_RUN_DIR) / "jobs" / f"{int(job_id)}.json"


def _write_progress_file(job_id: int, fraction: float, note: dict[str, Any]) -> None:
    path = _progress_file(job_id)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"progress": fraction, "note": note}), encoding="utf-8")
        os.replace(tmp, path)


def _forget_progress_file(job_id: int) -> None:
    with contextlib.suppress(OSError):
        _progress_file(job_id).unlink(missing_ok=True)


def live_progress(job: Job) -> tuple[float, dict[str, Any]]:
    """A running job's progress: the row's, or what the handler reported from inside its own
    transaction (which hides the row's update from everyone else until it commits)."""
    if job.status == Job.Status.RUNNING:
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            found = json.loads(_progress_file(job.pk).read_text(encoding="utf-8"))
            return float(found["progress"]), dict(found["note"])
    return job.progress, job.progress_note or {}


def _bilingual(key: str, params: dict[str, Any]) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


# ---------------------------------------------------------------------------------- running


def execute(job_id: int) -> None:
    """Run one job to completion, recording progress and the outcome on its row."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    handler = registry.job_kinds.get(job.kind)
    job.attempts += 1
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        worker=context.label,
        attempts=F("attempts") + 1,
        error={},
    )

    def progress(fraction: float, key: str = "", **params: Any) -> None:
        note = {"key": key, "params": params} if key else {}
        fraction = max(0.0, min(1.0, float(fraction)))
        Job.objects.filter(pk=job.pk).update(progress=fraction, progress_note=note)
        if connection.in_atomic_block:
            # The update above is hidden from everyone else until the handler's transaction
            # commits (an import writes in one): say it where the pages can read it now.
            _write_progress_file(job.pk, fraction, note)
        else:
            _forget_progress_file(job.pk)

    try:
        with context.running(job.pk):
            if handler is None:
                raise JobFailed("web.job.unknown_kind", kind=job.kind)
            result = resolve(handler)(job, progress) or {}
    except JobInterrupted:
        _interrupted(job)
        raise
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
    _forget_progress_file(job.pk)
    _remove_upload(job.upload)


def _interrupted(job: Job) -> None:
    """The worker stopped mid-job: queue it to run again from the start, a few times at most."""
    _forget_progress_file(job.pk)
    if job.attempts >= MAX_ATTEMPTS:
        error = _bilingual("web.job.interrupted_too_often", {"count": job.attempts})
        _finish(job, Job.Status.FAILED, {}, error)
        return
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.INTERRUPTED,
        progress=0.0,
        progress_note={"key": "web.job.interrupted", "params": {"attempt": job.attempts}},
        worker="",
    )
    _queue(job.pk)


# ----------------------------------------------------------------------------------- reaping


def _lost_reason(record: dict[str, Any]) -> dict[str, str]:
    how_key, how_params = heartbeat.how_it_ended(record)
    return {
        lang: t("web.job.worker_lost", lang, how=t(how_key, lang, **how_params))
        for lang in LANGUAGES
    }


def reap_lost_jobs(labels: Iterable[str] | None = None, *, unnamed: bool = False) -> list[int]:
    """Fail the running jobs whose worker is gone; returns their ids.

    ``labels``: only jobs of these workers (known to be gone); by default every running job
    whose worker on this host shows no sign of life. ``unnamed``: also those that name no
    worker (recorded before workers named themselves) — for a worker that is starting up.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = Job.objects.filter(status=Job.Status.RUNNING)
    if labels is not None:
        running = running.filter(worker__in=list(labels))
    reaped = []
    gone_workers: set[str] = set()
    if not unnamed:
        running = running.exclude(worker="")
    for job in running.only("pk", "worker", "upload", "task_id"):
        gone, record = heartbeat.worker_gone(job.worker) if job.worker else (True, {})
        if not gone:
            continue
        updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED,
            error=_lost_reason(record),
            finished_at=timezone.now(),
            progress_note={},
        )
        if not updated:
            continue  # finished meanwhile
        reaped.append(job.pk)
        log.warning("job %s failed: its worker %s is gone", job.pk, job.worker or "(unnamed)")
        _forget_progress_file(job.pk)
        _remove_upload(job.upload)
        if job.task_id:
            with contextlib.suppress(Exception):  # an unparsable id: nothing to tidy
                DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=timezone.now()
                )
        if job.worker:
            gone_workers.add(job.worker.rpartition("/")[2])
    for worker_id in gone_workers:
        heartbeat.forget(worker_id)
    return reaped
