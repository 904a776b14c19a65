from django.apps import AppConfig


class StressConfig(AppConfig):
    name = "econsec.stress"
    label = "stress"
    verbose_name = "Stress tests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The workbench's stress pages (nav entry, dashboard card, sweep job kind).
        from econsec.web.views.stress_hooks import register_hooks

        register_hooks()
