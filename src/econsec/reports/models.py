"""Stored board reports: each report, from the web job or the command line, kept with its data
version so the next one can say what changed (decision 0140)."""

from __future__ import annotations

from django.db import models


class StoredReport(models.Model):
    SOURCES = ("web", "cli")

    created_at = models.DateTimeField(auto_now_add=True)
    data_version = models.CharField(max_length=64)
    source = models.CharField(max_length=8)
    schema = models.PositiveSmallIntegerField()
    report = models.JSONField()  # BoardReport.to_json()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at", "id"], name="reports_stored_created")]
