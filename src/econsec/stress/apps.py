from django.apps import AppConfig


class StressConfig(AppConfig):
    name = "econsec.stress"
    label = "stress"
    verbose_name = "Stress tests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The workbench's stress pages, API, card ("worst Risk Exposure Index sites") and sweep
        # job (econsec.registry). Named by path, so starting Django (every command, every
        # worker) does not load the LP machinery until it is used.
        from econsec import registry as r

        web = "econsec.stress.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/stress", f"{web}.api.router")
        r.register_nav(r.NavEntry("stress.web.nav", "web:stress", "read", order=30))
        r.register_card(
            r.DashboardCard(
                "stress.web.card.label",
                f"{web}.run.worst_sites_card",
                "read",
                30,
                ("stress.Result",),
            )
        )
        r.register_job_kind("stress.sweep", f"{web}.run.sweep_job")
        r.register_body_limit("web:stress_new", f"{web}.views.body_limit")
