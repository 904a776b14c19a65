from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "econsec.web"
    label = "web"
    verbose_name = "Workbench"
    default_auto_field = "django.db.models.BigAutoField"
