from django.apps import AppConfig


class VisualsConfig(AppConfig):
    name = "econsec.visuals"
    label = "visuals"
    verbose_name = "Visuals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Map, tier-flow and network pages, their JSON, and the report's map (econsec.registry).
        from econsec import registry as r

        r.register_urls("econsec.visuals.web.urls")
        r.register_api("/visuals", "econsec.visuals.web.api.router")
        r.register_nav(r.NavEntry("visuals.nav", "web:visuals_map", "read", order=25))
        r.register_report_section(
            r.ReportSection("visuals.map", "econsec.visuals.report.map_section", order=30)
        )
        r.register_demo_step("econsec.visuals.demo.step", order=80)
        # An event's page (monitoring) shows the map of the sites its footprint hits.
        r.register_panel(r.Panel("monitoring.event", "econsec.visuals.web.panels.event_map", 50))
