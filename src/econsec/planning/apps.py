from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "econsec.planning"
    label = "planning"
    verbose_name = "Planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Pages, API, jobs and the board section register with the shell (econsec.registry).
        from econsec import registry as r

        web = "econsec.planning.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/planning", f"{web}.api.router")
        r.register_nav(r.NavEntry("planning.web.nav", "web:planning", "read", order=35))
        for kind in ("simulate", "optimise", "suggest"):
            r.register_job_kind(f"planning.{kind}", f"{web}.jobs.{kind}_job")
        r.register_body_limit("web:planning_measures_import", f"{web}.views.body_limit")
        r.register_demo_step("econsec.planning.demo.demo_step", order=35)
        r.register_report_section(r.ReportSection("planning", "econsec.planning.report.build", 35))
