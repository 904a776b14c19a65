"""Tasks for the queue. Only the job id travels; see jobs.py."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def run_job(job_id: int) -> None:
    jobs.execute(job_id)
