from django.apps import AppConfig

# What the report figures are assembled from (the cards are cached until one of these changes).
_CARD_DEPENDS = (
    "valuechain.ImportRun",
    "exposure.ExposureResult",
    "stress.Result",
    "guideline.Campaign",
    "guideline.AssessmentEvent",
    "guideline.ItemAssessment",
    "guideline.QuestionAnswer",
)
_CARDS = ("products_at_risk", "single_source_critical", "top_country", "worst_rei", "assessment")


class ExposureConfig(AppConfig):
    name = "econsec.exposure"
    label = "exposure"
    verbose_name = "Autonomy analytics"

    def ready(self) -> None:
        # The workbench's exposure pages, API, headline cards and analysis job (econsec.registry).
        from econsec import registry as r

        web = "econsec.exposure.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/exposure", f"{web}.api.router")
        r.register_nav(r.NavEntry("reports.web.nav.exposure", "web:exposure", "read", order=20))
        for order, figure in enumerate(_CARDS, start=20):
            r.register_card(
                r.DashboardCard(
                    f"reports.fig.{figure}", f"{web}.cards.{figure}", "read", order, _CARD_DEPENDS
                )
            )
        r.register_job_kind("exposure.analyse", "econsec.exposure.web.job.exposure_job")
