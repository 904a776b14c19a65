from django.apps import AppConfig


class GuidelineConfig(AppConfig):
    name = "econsec.guideline"
    label = "guideline"
    verbose_name = "Guideline self-assessment"
