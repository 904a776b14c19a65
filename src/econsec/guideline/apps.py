from django.apps import AppConfig

# What the dashboard card is computed from (it is cached until one of these tables changes).
_DEPENDS = (
    "guideline.Campaign",
    "guideline.AssessmentEvent",
    "guideline.ItemAssessment",
    "guideline.QuestionAnswer",
)


class GuidelineConfig(AppConfig):
    name = "econsec.guideline"
    label = "guideline"
    verbose_name = "Guideline self-assessment"

    def ready(self) -> None:
        # The workbench's self-assessment pages, API and card (econsec.registry).
        from econsec import registry as r

        web = "econsec.guideline.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/assessment", f"{web}.api.router")
        r.register_nav(r.NavEntry("guideline.web.nav", "web:assessment_campaigns", "read", 60))
        r.register_body_limit("web:assessment_evidence_add", f"{web}.views.evidence_body_limit")
        r.register_body_limit("web:assessment_import", f"{web}.views.import_body_limit")
        r.register_card(
            r.DashboardCard(
                "guideline.web.card", f"{web}.views.dashboard_figure", "read", 60, _DEPENDS
            )
        )
