from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "econsec.reports"
    label = "reports"
    verbose_name = "Board reports"

    def ready(self) -> None:
        # The workbench's board-report pages and generation job (econsec.registry).
        from econsec import registry as r

        r.register_urls("econsec.reports.web.urls")
        r.register_nav(r.NavEntry("reports.web.nav.reports", "web:reports", "read", order=90))
        r.register_job_kind("reports.board", "econsec.reports.web.job.board_report_job")
