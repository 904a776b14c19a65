from typing import Any

from django.apps import AppConfig, apps


class ScreeningConfig(AppConfig):
    name = "econsec.screening"
    label = "screening"
    verbose_name = "Counterparty screening"

    def ready(self) -> None:
        # The engine works without the workbench; its pages and job appear when it is installed.
        if not apps.is_installed("econsec.web"):
            return
        from econsec.web.hooks import (
            DashboardCard,
            NavEntry,
            register_card,
            register_job_kind,
            register_nav,
        )

        from .web_job import JOB_KIND, screen_all

        register_job_kind(JOB_KIND, screen_all)
        register_nav(NavEntry("screening.web.nav.hits", "web:screening_hits", order=60))
        register_nav(NavEntry("screening.web.nav.lists", "web:screening_lists", order=61))
        register_nav(NavEntry("screening.web.nav.search", "web:screening_search", order=62))
        register_nav(NavEntry("screening.web.nav.decisions", "web:screening_decisions", order=63))
        register_card(
            DashboardCard(
                "screening.web.card.open_hits",
                _open_hits,
                order=60,
                depends=("screening.Hit", "screening.Decision", "screening.ScreeningEvent"),
            )
        )


def _open_hits(request: Any) -> dict[str, Any]:
    from django.urls import reverse

    from .models import Hit

    return {
        "value": Hit.objects.filter(status=Hit.OPEN).count(),
        "url": reverse("web:screening_hits"),
    }
