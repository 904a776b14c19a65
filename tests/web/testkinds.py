"""Job kinds that exist only for the tests that start real workers (tests.web.storectl).

``test.block`` behaves like an import in its write phase: it reports progress, opens a
transaction, writes (so on SQLite it holds the only write lock), reports progress again from
inside it, and then waits until the file named by its ``release`` parameter exists.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec.registry import register_job_kind


def block(job: Any, progress: Any) -> dict[str, Any]:
    from econsec.web.models import LoginFailure

    progress(0.1, "web.import.validating")
    release = Path(str(job.params["release"]))
    with transaction.atomic():
        LoginFailure.objects.create(
            username=f"job-{job.pk}", ip="-", last_failure_at=timezone.now()
        )
        progress(0.6, "web.import.writing")
        while not release.exists():
            time.sleep(0.05)
    return {"released": True}


def quick(job: Any, progress: Any) -> dict[str, Any]:
    progress(0.5, "web.import.writing")
    return {"ok": True}


def register() -> None:
    register_job_kind("test.block", "tests.web.testkinds.block")
    register_job_kind("test.quick", "tests.web.testkinds.quick")
