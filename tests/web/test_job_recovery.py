"""Jobs whose worker died or stopped (econsec.web.jobs), in-process on the test database."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from econsec.jobs import JobInterrupted
from econsec.registry import register_job_kind
from econsec.web import heartbeat, jobs
from econsec.web.models import Job
from econsec.web.views.jobs import job_state


@pytest.fixture(autouse=True)
def _folders(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ECONSEC_RUN_DIR = tmp_path / "run"


def _upload(name: str, age: float = 0.0) -> Path:
    path = jobs.upload_dir() / name
    path.write_bytes(b"workbook")
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


def _running(worker: str, upload: Path | None = None) -> Job:
    return Job.objects.create(
        kind="valuechain.import", status=Job.Status.RUNNING, worker=worker, upload=upload or ""
    )


def test_only_jobs_of_gone_workers_on_this_host_are_failed(db: Any) -> None:
    heartbeat._write("dead", {"pid": os.getpid(), "host": heartbeat.host()})
    heartbeat.record_exit("dead", -9)
    heartbeat._write("live", {"pid": os.getpid(), "host": heartbeat.host()})
    lost = _running(heartbeat.label("dead"), _upload("lost.xlsx"))
    alive = _running(heartbeat.label("live"), _upload("alive.xlsx"))
    remote = _running("another-host/abc")
    unnamed = _running("")
    queued = Job.objects.create(kind="valuechain.import")

    assert jobs.reap_lost_jobs() == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == Job.Status.FAILED and lost.finished_at is not None
    assert "ended by signal SIGKILL" in lost.error["en"]
    assert "シグナル SIGKILL で終了" in lost.error["ja"]
    assert not Path(lost.upload).exists() and Path(alive.upload).exists()
    assert heartbeat.read("dead") is None, "the dead worker's file was kept"
    # A worker starting up also takes the jobs that name no worker.
    assert jobs.reap_lost_jobs(unnamed=True) == [unnamed.pk]
    for job, status in [(alive, "running"), (remote, "running"), (queued, "queued")]:
        job.refresh_from_db()
        assert job.status == status


def test_uploads_no_unfinished_job_claims_are_removed_once_old(db: Any) -> None:
    claimed = _upload("claimed.xlsx", age=3600)
    Job.objects.create(kind="valuechain.import", upload=str(claimed))
    finished = _upload("finished.xlsx", age=3600)
    Job.objects.create(kind="valuechain.import", upload=str(finished), status=Job.Status.FAILED)
    orphan = _upload("orphan.xlsx", age=3600)
    young = _upload("young.xlsx")
    assert sorted(jobs.sweep_uploads()) == ["finished.xlsx", "orphan.xlsx"]
    assert claimed.exists() and young.exists() and not orphan.exists()


def test_a_finished_job_removes_its_upload_whatever_the_outcome(db: Any) -> None:
    def fails(job: Job, progress: Any) -> dict[str, Any]:
        raise RuntimeError("broken")

    register_job_kind("test.fails", fails)
    upload = _upload("mine.xlsx")
    job = Job.objects.create(kind="test.fails", upload=str(upload))
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not upload.exists()


def test_an_interrupted_job_is_queued_again_a_few_times_then_fails(db: Any) -> None:
    def interrupted(job: Job, progress: Any) -> dict[str, Any]:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(result={"half": "written"})
            raise JobInterrupted

    register_job_kind("test.interrupted", interrupted)
    upload = _upload("kept.xlsx")
    job = Job.objects.create(kind="test.interrupted", upload=str(upload))
    for attempt in range(1, jobs.MAX_ATTEMPTS):
        with pytest.raises(JobInterrupted):
            jobs.execute(job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.INTERRUPTED and job.attempts == attempt
        assert job.result == {} and job.task_id, "rolled back and queued again"
        assert upload.exists(), "the upload is needed for the next run"
        state = job_state(job, "en")
        assert not state["finished"] and f"(attempt {attempt})" in state["note"]
    with pytest.raises(JobInterrupted):
        jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == jobs.MAX_ATTEMPTS
    assert "3 times" in job.error["en"] and not upload.exists()


def test_progress_from_inside_the_handlers_transaction_is_visible_at_once(db: Any) -> None:
    seen: list[float] = []

    def writes(job: Job, progress: Any) -> dict[str, Any]:
        progress(0.2, "web.import.validating")
        # Outside any transaction of its own (the test's is the only one): the row says it.
        seen.append(job_state(Job.objects.get(pk=job.pk), "en")["progress"])
        with transaction.atomic():
            progress(0.7, "web.import.writing")
            running = Job.objects.get(pk=job.pk)
            running.progress = 0.2  # what another connection still reads from the row
            seen.append(job_state(running, "en")["progress"])
        return {}

    register_job_kind("test.writes", writes)
    job = Job.objects.create(kind="test.writes")
    jobs.execute(job.pk)
    assert seen == [0.2, 0.7]
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job_state(job, "en")["progress"] == 1.0
    assert not list((Path(jobs.settings.ECONSEC_RUN_DIR) / "jobs").glob("*.json"))
