"""The stored value chain. Column names follow schema.yaml (the workbook), one model per sheet.

Business keys (org_id, site_id, item_id, composite keys for link tables) are unique and stable:
re-importing a workbook updates rows in place, so other records (screening hits, risks) can keep
pointing at them. Every row remembers which import wrote it and from which workbook row.
"""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    """One import of a workbook or CSV folder (the provenance of the rows it wrote)."""

    source_name = models.CharField(max_length=500)
    source_sha256 = models.CharField(max_length=64)
    source_bytes = models.BigIntegerField()
    data_version = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    created = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    deleted = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class Provenanced(models.Model):
    import_run = models.ForeignKey(
        ImportRun, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.IntegerField(null=True)

    class Meta:
        abstract = True


class Organisation(Provenanced):
    org_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True, default="")
    kind = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    parent = models.ForeignKey(
        "self", null=True, on_delete=models.SET_NULL, related_name="children"
    )
    ownership_pct = models.FloatField(null=True)
    notes = models.TextField(blank=True, default="")

    class Meta:
        # Keyset pages of the workbench walk (filter, sort column, id) in index order.
        indexes = [
            models.Index(fields=["name", "id"], name="vc_org_name"),
            models.Index(fields=["country", "id"], name="vc_org_country"),
            models.Index(fields=["kind", "org_id"], name="vc_org_kind"),
            models.Index(fields=["kind", "name", "id"], name="vc_org_kind_name"),
            models.Index(fields=["country", "name", "id"], name="vc_org_country_name"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.name}"


class Site(Provenanced):
    site_id = models.CharField(max_length=100, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=500)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=20)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["name", "id"], name="vc_site_name"),
            models.Index(fields=["country", "id"], name="vc_site_country"),
            models.Index(fields=["kind", "site_id"], name="vc_site_kind"),
            models.Index(fields=["kind", "name", "id"], name="vc_site_kind_name"),
            models.Index(fields=["country", "name", "id"], name="vc_site_country_name"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.name}"


class Item(Provenanced):
    item_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True, default="")
    kind = models.CharField(max_length=20)
    unit = models.CharField(max_length=50)
    hs_code = models.CharField(max_length=10, blank=True, default="")
    critical_tags = models.JSONField(default=list)
    mineral_tags = models.JSONField(default=list)

    class Meta:
        indexes = [
            models.Index(fields=["name", "id"], name="vc_item_name"),
            models.Index(fields=["kind", "item_id"], name="vc_item_kind"),
            models.Index(fields=["kind", "name", "id"], name="vc_item_kind_name"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.name}"


class Chokepoint(Provenanced):
    chokepoint_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True, default="")
    kind = models.CharField(max_length=20)


class Production(Provenanced):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    capacity_per_week = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "item"], name="production_key")]


class BomLine(Provenanced):
    parent_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bom_children")
    child_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bom_parents")
    quantity_per_unit = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["quantity_per_unit", "id"], name="vc_bom_qty")]
        constraints = [
            models.UniqueConstraint(fields=["parent_item", "child_item"], name="bom_key")
        ]


class SupplyLink(Provenanced):
    supplier_site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="supplies")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="supply_links")
    receiving_site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="receipts")
    share = models.FloatField()
    lead_time_days = models.FloatField(null=True)
    annual_volume = models.FloatField(null=True)
    annual_value = models.DecimalField(null=True, max_digits=20, decimal_places=4)
    currency = models.CharField(max_length=3, blank=True, default="")
    capacity_per_week = models.FloatField(null=True)
    qualified = models.BooleanField()
    chokepoints = models.JSONField(default=list)  # chokepoint_id values, validated on import

    class Meta:
        indexes = [
            models.Index(fields=["share", "id"], name="vc_link_share"),
            models.Index(fields=["qualified", "id"], name="vc_link_qualified"),
            models.Index(fields=["qualified", "share", "id"], name="vc_link_qualified_share"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_site", "item", "receiving_site"], name="supply_link_key"
            )
        ]


class Inventory(Provenanced):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    on_hand_units = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "item"], name="inventory_key")]


class Demand(Provenanced):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    market = models.CharField(max_length=200)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    demand_per_week = models.FloatField()
    unit_price = models.DecimalField(max_digits=20, decimal_places=4)
    unit_margin = models.DecimalField(max_digits=20, decimal_places=4)
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "market"], name="demand_key")]


class Recovery(Provenanced):
    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="recovery")
    ttr_weeks = models.FloatField()
    alternate_bringup_weeks = models.FloatField(null=True)


class Alternative(Provenanced):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    alt_supplier_site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    receiving_site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    qualification_weeks = models.FloatField()
    capacity_per_week = models.FloatField(null=True)
    cost_premium_pct = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "alt_supplier_site", "receiving_site"], name="alternative_key"
            )
        ]
