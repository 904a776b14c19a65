"""The "screen everything" background job: every value-chain organisation against every list.

Runs in the workbench's job worker; progress is reported per subject and the result links to
the hits queue. A delta screen (the default) skips subjects and list entries already seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JOB_KIND = "screening.screen_all"


def screen_all(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Job handler (see ``econsec.registry.register_job_kind``)."""
    from django.urls import reverse

    from econsec.jobs import JobFailed
    from econsec.screening.models import ListVersion
    from econsec.screening.service import screen_subjects, value_chain_subjects

    if not ListVersion.objects.filter(is_current=True).exists():
        raise JobFailed("screening.web.job.no_lists")
    progress(0.02, "screening.web.job.preparing")
    subjects, owners = value_chain_subjects()
    total = len(subjects)
    step = max(1, total // 100)

    def on_subject(done: int, count: int) -> None:
        if done % step == 0 or done == count:
            progress(
                0.05 + 0.9 * done / max(1, count),
                "screening.web.job.progress",
                done=done,
                total=count,
            )

    actor = job.created_by.get_username() if job.created_by else "system"
    counts = screen_subjects(
        subjects,
        actor=actor,
        delta=bool(job.params.get("delta", True)),
        progress=on_subject,
        owners=owners,
    )
    return {"counts": counts, "url": reverse("web:screening_hits")}


def open_hits(request: Any) -> dict[str, Any]:
    """Dashboard card: hits waiting for a decision."""
    from django.urls import reverse

    from econsec.screening.models import Hit

    return {
        "value": Hit.objects.filter(status=Hit.OPEN).count(),
        "url": reverse("web:screening_hits"),
    }
