"""The core-technology register: technologies, where they are held, who can reach them, the
controls on each leakage route, the items we sell and who depends on them, and incidents.

Partners, sites and items are named by their value-chain ids (not foreign keys): a value-chain
re-import may replace those rows, and the register must survive it; the compile step reports an
id that no longer resolves instead of losing the record.
"""

from __future__ import annotations

from django.db import models

KINDS = ("trade_secret", "patent", "know_how", "data", "process")
INCIDENT_STATUSES = ("detected", "contained", "assessed", "reported", "remediated")


class Technology(models.Model):
    tech_id = models.CharField(max_length=100, unique=True)
    name_ja = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=20)
    items = models.JSONField(default=list)  # value-chain item ids it goes into
    market = models.PositiveSmallIntegerField(default=3)  # 1–5
    strategic = models.PositiveSmallIntegerField(default=3)  # 1–5
    catch_up_years = models.FloatField(null=True, blank=True)
    damage = models.PositiveSmallIntegerField(default=3)  # 1–5
    exhibited = models.BooleanField(default=False)
    owner = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tech_id"]
        permissions = [("need_to_know", "May see core technologies, access lists and incidents")]


class Holding(models.Model):
    """Where a technology is held: a value-chain site, a system or a document store."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="holdings")
    kind = models.CharField(max_length=10)  # site, system, document
    site_id = models.CharField(max_length=100, blank=True, default="")
    label = models.CharField(max_length=300)
    country = models.CharField(max_length=2, blank=True, default="")

    class Meta:
        ordering = ["technology", "id"]


class AccessGroup(models.Model):
    """People who can reach a technology: a group, its headcount and its need-to-know reason."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="access")
    name = models.CharField(max_length=300)
    headcount = models.PositiveIntegerField()
    key_people = models.BooleanField(default=False)
    need_to_know = models.TextField(blank=True, default="")
    people = models.TextField(blank=True, default="")  # named people, optional

    class Meta:
        ordering = ["technology", "id"]


class PartnerAccess(models.Model):
    """An organisation of the value chain with access (screened with the chain)."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="partners")
    org_id = models.CharField(max_length=100)
    role = models.CharField(max_length=30)
    nda = models.BooleanField(default=False)
    exit_clause = models.BooleanField(default=False)
    notes = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["technology", "id"]


class Control(models.Model):
    """A control on a leakage route, for one technology or (technology empty) for all."""

    route_id = models.CharField(max_length=60)
    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, null=True, blank=True, related_name="controls"
    )
    status = models.CharField(max_length=10)  # missing, partial, in_place
    description = models.TextField(blank=True, default="")
    evidence = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["route_id", "id"]


class ConcernCountry(models.Model):
    """A country this company treats as a country of concern: its own call, so the reason (ja and
    en) and the source it relied on are kept with it, and who added it when."""

    country = models.CharField(max_length=2, unique=True)
    reason_ja = models.TextField(blank=True, default="")
    reason_en = models.TextField(blank=True, default="")
    source = models.CharField(max_length=500, blank=True, default="")
    added_by = models.CharField(max_length=200, blank=True, default="")
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["country"]


class MarketShare(models.Model):
    item_id = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    share = models.FloatField()  # 0–1
    source = models.CharField(max_length=500)

    class Meta:
        ordering = ["item_id", "year"]
        constraints = [models.UniqueConstraint(fields=["item_id", "year"], name="share_key")]


class CustomerTie(models.Model):
    item_id = models.CharField(max_length=100)
    customer = models.CharField(max_length=100)  # value-chain org id
    country = models.CharField(max_length=2, blank=True, default="")
    switch_months = models.FloatField(null=True, blank=True)
    share_of_supply = models.FloatField(null=True, blank=True)  # 0–1
    second_source = models.BooleanField(default=False)

    class Meta:
        ordering = ["item_id", "customer"]


class Incident(models.Model):
    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=12, default="detected")
    detected_on = models.DateField()
    technologies = models.ManyToManyField(Technology, related_name="incidents")
    routes = models.JSONField(default=list)

    class Meta:
        ordering = ["-detected_on", "code"]


class IncidentEvent(models.Model):
    """The incident's timeline: each step of the response, who and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=12)
    actor = models.CharField(max_length=200, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]


class IncidentEvidence(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")  # what the file shows, by whom sent
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    added_at = models.DateTimeField()
    actor = models.CharField(max_length=200, blank=True, default="")


class RiskLink(models.Model):
    """A governance risk (by code) that concerns a technology."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="risks")
    risk_code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["technology", "risk_code"], name="tech_risk_key")
        ]


class ExposureRun(models.Model):
    """A stored exposure matrix: counts per level and the register version it was computed on
    (the assessment cites it as evidence)."""

    computed_at = models.DateTimeField()
    register_version = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    cells = models.JSONField(default=list)  # [tech_id, route_id, score, level] above none
