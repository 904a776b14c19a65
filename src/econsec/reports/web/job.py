"""The board report's background job (HTML data, PDF and xlsx in both languages).

Files go under ``MEDIA_ROOT/reports/<job id>/``; the assembled report is kept
on the job's result so the HTML page renders without recomputing anything."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from econsec.i18n import LANGUAGES

KIND_BOARD = "reports.board"


def report_dir(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(int(job_id))


def file_name(kind: str, lang: str) -> str:
    """``board-ja.pdf`` / ``board-en.xlsx``; ``kind`` is ``pdf`` or ``xlsx``."""
    return f"board-{lang}.{kind}"


def board_report_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Build the board report, write its PDF and xlsx files, keep the data on the job."""
    from econsec.reports.gather import build_board_report
    from econsec.reports.pdf import board_pdf
    from econsec.reports.store import keep, previous_report
    from econsec.reports.xlsx import board_workbook
    from econsec.web.models import Job

    # Each report is stored with its data version (econsec.reports.store, shared with the
    # command line); the next one compares with the last, whoever made it. Reports kept only on
    # their job (before the store existed) still serve as the last one.
    previous = previous_report()
    if previous is None:
        last = (
            Job.objects.filter(kind=KIND_BOARD, status=Job.Status.SUCCEEDED)
            .exclude(pk=job.pk)
            .order_by("-created_at", "-id")
            .first()
        )
        previous = (last.result or {}).get("report") if last is not None else None
    report = build_board_report(
        progress, recompute=bool(job.params.get("recompute")), previous=previous
    )
    out = report_dir(job.pk)
    out.mkdir(parents=True, exist_ok=True)
    steps = len(LANGUAGES) * 2
    done = 0
    for lang in LANGUAGES:
        progress(0.6 + 0.4 * done / steps, "reports.job.pdf")
        (out / file_name("pdf", lang)).write_bytes(board_pdf(report, lang))
        done += 1
        progress(0.6 + 0.4 * done / steps, "reports.job.xlsx")
        (out / file_name("xlsx", lang)).write_bytes(board_workbook(report, lang))
        done += 1
    keep(report, "web")
    from econsec import trail

    actor = getattr(getattr(job, "created_by", None), "username", "") or ""
    trail.record(
        "report.generated",
        f"report:{job.pk}",
        actor=actor,
        data_version=report.data_version,
        files={
            name: hashlib.sha256((out / name).read_bytes()).hexdigest()
            for name in sorted(file_name(k, lang) for k in ("pdf", "xlsx") for lang in LANGUAGES)
        },
    )
    return {
        "report": report.to_json(),
        "data_version": report.data_version,
        "url": reverse("web:report", args=[job.pk]),
    }
