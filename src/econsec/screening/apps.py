from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "econsec.screening"
    label = "screening"
    verbose_name = "Counterparty screening"
