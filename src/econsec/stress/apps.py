from django.apps import AppConfig


class StressConfig(AppConfig):
    name = "econsec.stress"
    label = "stress"
    verbose_name = "Stress tests"
    default_auto_field = "django.db.models.BigAutoField"
