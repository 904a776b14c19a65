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
        # The workbench shows the self-assessment pages only through these registrations.
        from typing import Any

        from django.http import HttpRequest

        from econsec.web.hooks import DashboardCard, NavEntry, register_card, register_nav

        def figure(request: HttpRequest) -> dict[str, Any]:
            from econsec.web.views.assessment import dashboard_figure

            return dashboard_figure(request)

        register_nav(NavEntry("guideline.web.nav", "web:assessment_campaigns", "read", order=60))
        register_card(
            DashboardCard("guideline.web.card", figure, "read", order=60, depends=_DEPENDS)
        )
