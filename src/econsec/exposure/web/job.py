"""The exposure analysis as a background job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

KIND = "exposure.analyse"


def exposure_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Run the default exposure analysis on the stored value chain and store it."""
    from econsec.jobs import JobFailed
    from econsec.reports.gather import compute_exposure, current_version

    if not current_version():
        raise JobFailed("reports.job.empty_store")
    progress(0.1, "reports.job.analysing")
    report = compute_exposure()
    return {"data_version": report.data_version, "url": reverse("web:exposure")}
