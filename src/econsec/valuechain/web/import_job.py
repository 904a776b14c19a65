"""The value-chain import job: validate and import an uploaded workbook, all or nothing.

On failure the job's result carries every located problem (sheet, row, column, value, message
in ja and en) so the page can show a table the user fixes the workbook from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse

from econsec.i18n import LANGUAGES
from econsec.jobs import JobFailed
from econsec.web.models import Job

MAX_PROBLEMS = 2000  # enough to fix from; a broken export could otherwise produce millions


def problem_rows(issues: list[Any]) -> list[dict[str, Any]]:
    """Intake issues as table rows with the message in every language."""
    rows = []
    for issue in issues[:MAX_PROBLEMS]:
        rows.append(
            {
                "severity": issue.severity,
                "sheet": issue.sheet or "",
                "row": issue.row,
                "column": issue.column or "",
                "value": "" if issue.value is None else str(issue.value)[:200],
                "message": {lang: issue.message(lang) for lang in LANGUAGES},
            }
        )
    return rows


def _compile_for_servers() -> None:
    """Compile the new data version here, once: it is cached on disk, so each server process
    (warmed by the shell's cache warmer, econsec.web.warmer) loads it instead of compiling it inside a user's request."""
    import logging

    from econsec.valuechain.store_io import compile_store

    try:
        compile_store()
    except Exception:  # the import succeeded; the first page will compile instead
        logging.getLogger(__name__).warning("could not compile after import", exc_info=True)


def import_workbook(job: Job, progress: Callable[..., None]) -> dict[str, Any]:
    """Run the value-chain intake on the uploaded file; located errors fail the job."""
    from econsec.valuechain.intake.apply import file_sha256, validate_path, write

    path = Path(job.upload or str(job.params.get("path", "")))
    name = str(job.params.get("name", path.name))
    if not path.is_file():
        raise JobFailed("web.import.file_gone", name=name)
    # The upload is the job's (Job.upload): the shell removes it when the job ends, and keeps
    # it when a server shutdown interrupts the job so that the job can run again.
    progress(0.05, "web.import.validating")
    validation = validate_path(path)
    if not validation.ok:
        errors = [i for i in validation.issues if i.is_error]
        raise JobFailed(
            "web.import.invalid",
            result={"name": name, "errors": problem_rows(validation.issues)},
            count=len(errors),
        )
    total = max(1, sum(len(rows) for rows in validation.tables.values()))
    done_by_sheet: dict[str, int] = {}

    def on_rows(sheet: str, rows_done: int) -> None:
        done_by_sheet[sheet] = rows_done
        progress(0.3 + 0.7 * min(1.0, sum(done_by_sheet.values()) / total), "web.import.writing")

    progress(0.3, "web.import.writing")
    sha, size = file_sha256(path)
    run = write(validation, source_name=name, sha256=sha, size=size, progress=on_rows)
    _compile_for_servers()
    warnings = [i for i in validation.issues if not i.is_error]
    return {
        "name": name,
        "url": reverse("web:dashboard"),
        "summary": {
            "created": run.created,
            "updated": run.updated,
            "deleted": run.deleted,
            "unchanged": run.unchanged,
        },
        "errors": problem_rows(warnings),
    }
