"""Stored planning data: the measures catalogue, suggestions awaiting a decision, and the
simulation and optimisation runs with their inputs, seed, data version and results.

Sites, items, supplier sites and chokepoints are named by their value-chain ids (not foreign
keys): a value-chain re-import replaces those rows, and the catalogue must survive it; applying
the measures to the compiled chain reports an id that no longer resolves (located).
A run stores everything needed to reproduce it — the risk document with its scenario files,
the candidate measures as they were, the seed — and the data version its figures belong to,
so every figure in a report can be traced back to scenario, measure and data version.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import models

from econsec.planning.measures import KINDS

ORIGINS = ("import", "form", "api", "suggestion", "cli")
SUGGESTION_STATUSES = ("open", "accepted", "rejected")
RUN_KINDS = ("simulation", "optimisation")
NUMBER_FIELDS = (
    "units", "weeks_of_cover", "unit_value", "qualification_weeks", "capacity_per_week",
    "ttr_weeks", "one_off_cost", "annual_cost", "unit_premium_pct",
)  # fmt: skip
TEXT_FIELDS = ("site", "item", "supplier_site", "chokepoint", "source", "comment")


class Measure(models.Model):
    """One measure of the company's catalogue (the value chain stored here is the company)."""

    measure_id = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=[(k, k) for k in KINDS])
    site = models.CharField(max_length=100, blank=True, default="")
    item = models.CharField(max_length=100, blank=True, default="")
    supplier_site = models.CharField(max_length=100, blank=True, default="")
    chokepoint = models.CharField(max_length=100, blank=True, default="")
    units = models.FloatField(null=True, blank=True)
    weeks_of_cover = models.FloatField(null=True, blank=True)
    unit_value = models.FloatField(null=True, blank=True)
    qualification_weeks = models.FloatField(null=True, blank=True)
    capacity_per_week = models.FloatField(null=True, blank=True)
    ttr_weeks = models.FloatField(null=True, blank=True)
    one_off_cost = models.FloatField(null=True, blank=True)
    annual_cost = models.FloatField(null=True, blank=True)
    unit_premium_pct = models.FloatField(null=True, blank=True)
    source = models.TextField(blank=True, default="")
    comment = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=12, default="form")
    updated_by = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure_id"]

    def spec(self) -> dict[str, Any]:
        """The mapping :func:`econsec.planning.measures.parse_measure` reads."""
        out: dict[str, Any] = {"id": self.measure_id, "kind": self.kind}
        for name in TEXT_FIELDS:
            if getattr(self, name):
                out[name] = getattr(self, name)
        for name in NUMBER_FIELDS:
            value = getattr(self, name)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                out[name] = value
        return out


class Suggestion(models.Model):
    """A measure proposed by the analyses (TTS < TTR), kept until someone accepts or rejects it."""

    measure_id = models.CharField(max_length=100)
    scenario = models.CharField(max_length=300)
    spec = models.JSONField()
    tts_before = models.FloatField(null=True)  # None: unlimited
    tts_after = models.FloatField(null=True)
    lost_margin_after = models.FloatField(default=0.0)
    annualised_cost = models.FloatField(default=0.0)
    data_version = models.CharField(max_length=80)
    status = models.CharField(max_length=10, default="open")
    decided_by = models.CharField(max_length=200, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "scenario", "measure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_version", "scenario", "measure_id"], name="planning_suggestion_once"
            )
        ]


class Run(models.Model):
    """A stored simulation (Monte Carlo) or optimisation (portfolio MILP) with its inputs."""

    kind = models.CharField(max_length=12, choices=[(k, k) for k in RUN_KINDS])
    data_version = models.CharField(max_length=80)
    seed = models.IntegerField()
    years = models.IntegerField()
    inputs = models.JSONField()  # risk document + scenario files, measures, budgets, options
    results = models.JSONField()
    eal = models.FloatField()  # headline figures for lists, also in results
    eal_after = models.FloatField(null=True, blank=True)
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"])]


class RiskDocument(models.Model):
    """The risk document the next runs use (frequencies, durations, scenario files), as
    imported from the likelihood sheet; the newest wins over the latest run's."""

    packed = models.JSONField()
    origin = models.CharField(max_length=12, default="import")
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
