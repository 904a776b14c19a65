from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "econsec.web"
    label = "web"
    verbose_name = "Workbench"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .hooks import register_job_kind
        from .import_job import import_workbook

        register_job_kind("valuechain.import", import_workbook)
        from .views import exposure, reports

        exposure.register()
        reports.register()
