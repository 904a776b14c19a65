"""Registration of the stress pages with the workbench: nav entry, dashboard card, job kind.

Called from the stress app's ``ready()``. The handlers import the solver lazily so that starting
Django (every command, every worker) does not load the LP machinery until it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _sweep_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    from .stress_run import sweep_job

    return sweep_job(job, progress)


def _worst_sites(request: Any) -> dict[str, Any]:
    from .stress_run import worst_sites_card

    return worst_sites_card(request)


def register_hooks() -> None:
    """Nav entry, dashboard card ("worst Risk Exposure Index sites") and the sweep job kind."""
    from ..hooks import DashboardCard, NavEntry, register_card, register_job_kind, register_nav

    register_nav(NavEntry("stress.web.nav", "web:stress", "read", order=30))
    register_card(
        DashboardCard(
            "stress.web.card.label", _worst_sites, "read", order=30, depends=("stress.Result",)
        )
    )
    register_job_kind("stress.sweep", _sweep_job)
