from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "econsec.governance"
    label = "governance"
    verbose_name = "Governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Evidence from the other capabilities flows into the audit trail (hooks.py).
        from econsec import registry as r
        from econsec.governance import hooks

        hooks.connect()
        web = "econsec.governance.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/governance", f"{web}.api.router")
        r.register_api("/governance/notifications", f"{web}.notify_api.router")
        r.register_nav(r.NavEntry("governance.web.nav", "web:governance", "read", order=80))
        r.register_nav(
            r.NavEntry("governance.web.inbox", "web:governance_inbox", "read", 80, "secondary")
        )
        r.register_body_limit("web:governance_risk_import", f"{web}.register_io.body_limit")
        r.register_job_kind("governance.tick", "econsec.governance.schedule.tick")
        r.register_schedule("econsec.governance.schedule.due")
        r.register_report_section(
            r.ReportSection("governance", "econsec.governance.report.build", 80)
        )
        r.register_demo_step("econsec.governance.demo.demo_step", order=80)
