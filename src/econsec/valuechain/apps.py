from django.apps import AppConfig

_CARDS = (
    "organisations",
    "suppliers",
    "sites",
    "supplier_countries",
    "items",
    "critical_items",
    "bom",
    "links",
)
# The value chain changes by imports, each recorded as an ImportRun: its fingerprint is what the
# cached figures depend on (counting the large tables on every dashboard request would cost more
# than the figures). Writes to the tables themselves in this process forget the figures at once.
_DEPENDS = ("valuechain.ImportRun",)
_WATCH = (
    "valuechain.Organisation",
    "valuechain.Site",
    "valuechain.Item",
    "valuechain.BomLine",
    "valuechain.SupplyLink",
)
_NAV = (
    ("web.nav.organisations", "web:organisations"),
    ("web.nav.sites", "web:sites"),
    ("web.nav.items", "web:items"),
    ("web.nav.bom", "web:bom"),
    ("web.nav.links", "web:links"),
)


class ValueChainConfig(AppConfig):
    name = "econsec.valuechain"
    label = "valuechain"
    verbose_name = "Value chain"

    def ready(self) -> None:
        # What the workbench shows of the value chain (econsec.registry): its pages, API,
        # navigation, dashboard figures, import job and the caches warmed per data version.
        from econsec import registry as r

        web = "econsec.valuechain.web"
        r.register_urls(f"{web}.urls")
        r.register_api("/valuechain", f"{web}.api.router")
        for order, (label, url_name) in enumerate(_NAV, start=1):
            r.register_nav(r.NavEntry(label, url_name, "read", order=order))
        r.register_nav(r.NavEntry("web.nav.upload", "web:upload", "edit", 0, "secondary"))
        for order, name in enumerate(_CARDS, start=1):
            r.register_card(
                r.DashboardCard(
                    f"web.dash.{name}", f"{web}.cards.{name}", "read", order, _DEPENDS, _WATCH
                )
            )
        r.register_headline(f"{web}.cards.last_import")
        r.register_job_kind("valuechain.import", f"{web}.import_job.import_workbook")
        for view in ("web:upload", "api:import"):
            r.register_body_limit(view, f"{web}.upload.body_limit")
        r.register_warmer(
            r.Warmer("econsec.valuechain.store_io.current_version", f"{web}.views.warm_caches")
        )
