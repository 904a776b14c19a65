from django.apps import AppConfig


class TechnologyConfig(AppConfig):
    name = "econsec.technology"
    label = "technology"
    verbose_name = "Technology"
    default_auto_field = "django.db.models.BigAutoField"
