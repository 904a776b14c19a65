from django.apps import AppConfig


class TechnologyConfig(AppConfig):
    name = "econsec.technology"
    label = "technology"
    verbose_name = "Technology"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The board report's counts-only section and the demo register (econsec.registry).
        from econsec import registry as r

        r.register_report_section(
            r.ReportSection("technology", "econsec.technology.report.build", 60)
        )
        r.register_demo_step("econsec.technology.demo.demo_step", 60)
        web = "econsec.technology.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/technology", f"{web}.api.router")
        r.register_nav(r.NavEntry("technology.web.nav", "web:technology", "read", order=60))
        tables = ("Technology", "Holding", "AccessGroup", "PartnerAccess", "Control",
                  "ConcernCountry", "Incident")  # fmt: skip
        r.register_card(
            r.DashboardCard(
                "technology.web.card",
                f"{web}.card.high_cells_card",
                "read",
                60,
                # Assessment answers count as controls (technology.assessed).
                (
                    *(f"technology.{m}" for m in tables),
                    "screening.Hit",
                    "guideline.Campaign",
                    "guideline.ItemAssessment",
                    "guideline.QuestionAnswer",
                ),
            )
        )
        # Governance risk pages show linked technologies to readers with need-to-know.
        r.register_panel(r.Panel("governance.risk", f"{web}.panels.risk_technologies", 60))
        r.register_body_limit("web:technology_import", f"{web}.views.body_limit")
        r.register_body_limit("web:technology_incident_evidence", f"{web}.incidents.body_limit")
        # GET and POST of an incident's evidence share one path (the URL name is the first's).
        r.register_body_limit("api:technology_incident_evidence_list",
                              f"{web}.api.evidence_body_limit")  # fmt: skip
        r.register_body_limit("api:technology_incident_evidence_add",
                              f"{web}.api.evidence_body_limit")  # fmt: skip
