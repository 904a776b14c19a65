"""The value-chain import job: validate and import an uploaded workbook, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .jobs import JobFailed
from .models import Job


def import_workbook(job: Job, progress: Callable[..., None]) -> dict[str, Any]:
    """Run the value-chain intake on the uploaded file; located errors fail the job."""
    path = Path(str(job.params.get("path", "")))
    name = str(job.params.get("name", path.name))
    if not path.is_file():
        raise JobFailed("web.import.file_gone", name=name)
    try:
        from econsec.valuechain import intake
    except ImportError as exc:
        raise JobFailed("web.import.unavailable") from exc
    progress(0.05, "web.import.reading", name=name)
    outcome = intake.import_workbook(path)  # type: ignore[attr-defined]
    return {"name": name, "summary": outcome}
