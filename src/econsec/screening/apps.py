from django.apps import AppConfig

_NAV = (
    ("screening.web.nav.hits", "web:screening_hits"),
    ("screening.web.nav.lists", "web:screening_lists"),
    ("screening.web.nav.search", "web:screening_search"),
    ("screening.web.nav.decisions", "web:screening_decisions"),
)


class ScreeningConfig(AppConfig):
    name = "econsec.screening"
    label = "screening"
    verbose_name = "Counterparty screening"

    def ready(self) -> None:
        # The workbench's screening pages, API, card and "screen everything" job
        # (econsec.registry); the engine works without the workbench.
        from econsec import registry as r

        web = "econsec.screening.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/screening", f"{web}.api.router")
        r.register_job_kind("screening.screen_all", f"{web}.job.screen_all")
        # Keeping lists current: the fetch job and the administrator's schedule for it.
        r.register_job_kind("screening.lists_fetch", "econsec.screening.fetch.fetch_job")
        r.register_schedule("econsec.screening.fetch.scheduled")
        for order, (label, url_name) in enumerate(_NAV, start=60):
            r.register_nav(r.NavEntry(label, url_name, "read", order))
        r.register_card(
            r.DashboardCard(
                "screening.web.card.open_hits",
                f"{web}.job.open_hits",
                "read",
                60,
                ("screening.Hit", "screening.Decision", "screening.ScreeningEvent"),
            )
        )
