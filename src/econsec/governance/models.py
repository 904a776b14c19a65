"""The audit trail (append-only, hash-chained) and the risk register."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One evidence-worthy state change. Never updated or deleted by econsec.

    ``hash`` is SHA-256 over ``prev_hash`` and the record's own fields (see
    :mod:`econsec.governance.chain`); ``detail`` is kept as canonical JSON text so that both
    engines give back exactly the bytes that were hashed.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=200, blank=True, default="")
    action = models.CharField(max_length=60)
    object_ref = models.CharField(max_length=300, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    detail = models.TextField(default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_ref"]), models.Index(fields=["action"])]


class AuditHead(models.Model):
    """The chain's head (one row): the lock every append takes, and the last seq and hash.

    It also lets verify notice records cut off the end of the chain.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class Risk(models.Model):
    """One entry of the risk register.

    A risk linked to a stress scenario (``link_kind`` "scenario", ``link_ref`` the scenario's
    content hash) takes its impact from the latest stored result of that scenario on the current
    data version, so it follows every re-import; an unlinked risk carries an entered figure.
    Ratings are 1–5 for likelihood and impact; the rating is their product.
    """

    TREATMENTS = ("mitigate", "accept", "avoid", "transfer")
    LINKS = ("", "scenario")

    code = models.CharField(max_length=40, unique=True)
    title_ja = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    description_ja = models.TextField(blank=True, default="")
    description_en = models.TextField(blank=True, default="")
    area = models.CharField(max_length=100, blank=True, default="")  # guideline area / item
    owner = models.CharField(max_length=200, blank=True, default="")
    causes = models.TextField(blank=True, default="")
    consequences = models.TextField(blank=True, default="")
    link_kind = models.CharField(max_length=20, blank=True, default="")
    link_ref = models.CharField(max_length=300, blank=True, default="")
    link_label = models.CharField(max_length=300, blank=True, default="")
    entered_impact = models.FloatField(null=True, blank=True)  # money, when nothing links
    likelihood = models.PositiveSmallIntegerField(default=3)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    treatment = models.CharField(max_length=10, default="mitigate")
    acceptance_requested_by = models.CharField(max_length=200, blank=True, default="")
    accepted_by = models.CharField(max_length=200, blank=True, default="")
    accepted_at = models.DateTimeField(null=True, blank=True)
    review_every_days = models.PositiveIntegerField(default=90)
    next_review = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]


class KriValue(models.Model):
    """One computed value of a key risk indicator (the trend is the series of them)."""

    key = models.CharField(max_length=60)
    value = models.FloatField()
    status = models.CharField(max_length=5)  # green, amber, red
    reasons = models.JSONField(default=list)
    data_version = models.CharField(max_length=64, blank=True, default="")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["key", "-computed_at", "-id"]
        indexes = [models.Index(fields=["key", "computed_at"])]
