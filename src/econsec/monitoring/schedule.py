"""Polling the sources in the job worker: which are due, and the job that fetches them.

The worker's scheduler polls :func:`due` (``econsec.registry.register_schedule``). A source is
due when it is enabled and its ``next_run_at`` has passed (or it never ran). Queuing *claims*
the source by moving its ``next_run_at`` one interval ahead in a conditional update, so a second
poll (or a second worker polling at the same moment) does not queue it again; the fetch then
sets the real next run (with back-off after failures). A run is idempotent: items already
stored are recognised by their key and skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from econsec.monitoring import models as m

JOB_KIND = "monitoring.fetch"


def due(now: dt.datetime | None = None) -> list[tuple[str, dict[str, Any]]]:
    now = now or timezone.now()
    claimed = []
    ready = m.Source.objects.filter(enabled=True).filter(
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    )
    for pk, interval, was in ready.values_list("pk", "interval_minutes", "next_run_at"):
        same = Q(next_run_at__isnull=True) if was is None else Q(next_run_at=was)
        ahead = now + dt.timedelta(minutes=interval)
        if m.Source.objects.filter(same, pk=pk).update(next_run_at=ahead):
            claimed.append(pk)
    return [(JOB_KIND, {"sources": claimed, "actor": "scheduler"})] if claimed else []


def fetch_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """The background job: fetch the named sources (every enabled one when none is named).

    A failing source is recorded on the source (shown on the sources page) and never stops the
    others; the job itself succeeds and counts what happened.
    """
    from econsec.monitoring.service import fetch_source

    ids = [int(x) for x in job.params.get("sources") or [] if isinstance(x, int)]
    sources = m.Source.objects.filter(enabled=True)
    if ids or job.params.get("sources"):
        sources = sources.filter(pk__in=ids)
    chosen = list(sources)
    counts = {"sources": len(chosen), "new": 0, "duplicates": 0, "not_modified": 0, "failed": 0,
              "item_problems": 0}  # fmt: skip
    for position, source in enumerate(chosen, start=1):
        report = fetch_source(source)
        counts["new"] += report.new
        counts["duplicates"] += report.duplicates
        counts["not_modified"] += int(report.not_modified)
        counts["failed"] += int(report.error is not None)
        counts["item_problems"] += len(report.problems)
        progress(position / max(len(chosen), 1), "monitoring.fetch.progress",
                 done=position, total=len(chosen))  # fmt: skip
    return counts
