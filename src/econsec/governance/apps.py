from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "econsec.governance"
    label = "governance"
    verbose_name = "Governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Evidence from the other capabilities flows into the audit trail (hooks.py).
        from econsec.governance import hooks

        hooks.connect()
