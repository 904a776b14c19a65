from django.apps import AppConfig


class ValueChainConfig(AppConfig):
    name = "econsec.valuechain"
    label = "valuechain"
    verbose_name = "Value chain"
