"""Stored scenarios and results (for the web UI and reports). ORM only here and in store.py."""

from __future__ import annotations

from django.db import models


class Scenario(models.Model):
    """A scenario document; its identity is the hash of its canonical content."""

    content_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=300)
    yaml = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    """One run (a scenario or a sweep) with everything needed to reproduce it."""

    KIND_CHOICES = [("scenario", "scenario"), ("sweep", "sweep")]
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.SET_NULL)
    scenario_hash = models.CharField(max_length=64, blank=True)
    sweep_by = models.CharField(max_length=10, blank=True)
    data_version = models.CharField(max_length=64, db_index=True)
    solver_version = models.CharField(max_length=50)
    econsec_version = models.CharField(max_length=50)
    created_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.scenario_hash or self.sweep_by} @ {self.data_version[:12]}"
