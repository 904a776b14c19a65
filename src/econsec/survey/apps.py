from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "econsec.survey"
    label = "survey"
    verbose_name = "Survey"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Pages, API, navigation, the dashboard card, the supplier upload page's body limit,
        # the board-report section, the demo step and the CLI summary lines (econsec.registry),
        # all named by path so that starting Django imports none of them.
        from econsec import registry as r

        web = "econsec.survey.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/survey", f"{web}.api.router")
        r.register_nav(r.NavEntry("survey.web.nav", "web:survey", "read", order=45))
        r.register_card(
            r.DashboardCard(
                "survey.web.card.label",
                f"{web}.views.coverage_card",
                "read",
                45,
                ("survey.Request", "survey.Answer", "valuechain.ImportRun"),
            )
        )
        r.register_body_limit("web:survey_supplier", f"{web}.supplier.body_limit")
        for view in ("api:survey_answer_upload", "api:survey_supplier_upload"):
            r.register_body_limit(view, f"{web}.api.body_limit")
        r.register_report_section(r.ReportSection("survey", "econsec.survey.report.section", 70))
        r.register_demo_step("econsec.survey.demo.step", order=60)
        r.register_info_lines("econsec.survey.summary.lines")
        r.register_job_kind("survey.remind", "econsec.survey.mail.tick")
        r.register_job_kind("survey.send", "econsec.survey.mail.send_job")
        r.register_schedule("econsec.survey.mail.due")
