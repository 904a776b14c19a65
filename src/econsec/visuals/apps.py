from django.apps import AppConfig


class VisualsConfig(AppConfig):
    name = "econsec.visuals"
    label = "visuals"
    verbose_name = "Visuals"
    default_auto_field = "django.db.models.BigAutoField"
