from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "econsec.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The demo events and the board report's section on them (econsec.registry); the
        # pages are named by path so starting Django loads no web code.
        from econsec import registry as r
        from econsec.monitoring import hooks

        hooks.connect()  # list versions, screening hits and red KRIs become events

        r.register_urls("econsec.monitoring.web.urls")
        r.register_api("/monitoring", "econsec.monitoring.web.api.router")
        r.register_nav(
            r.NavEntry(
                "monitoring.web.sources.nav", "web:monitoring_sources", "read", 65, "secondary"
            )
        )
        r.register_job_kind("monitoring.fetch", "econsec.monitoring.schedule.fetch_job")
        r.register_schedule("econsec.monitoring.schedule.due")
        r.register_job_kind("monitoring.requests", "econsec.monitoring.requests.send_job")
        r.register_schedule("econsec.monitoring.requests.due")
        r.register_nav(r.NavEntry("monitoring.web.nav", "web:monitoring_inbox", "read", order=65))
        r.register_demo_step("econsec.monitoring.demo.demo_events", order=140)
        r.register_report_section(
            r.ReportSection("monitoring", "econsec.monitoring.report.section", order=140)
        )
