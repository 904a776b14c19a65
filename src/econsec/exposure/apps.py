from django.apps import AppConfig


class ExposureConfig(AppConfig):
    name = "econsec.exposure"
    label = "exposure"
    verbose_name = "Autonomy analytics"
