"""Stored exposure results, keyed by the data version they were computed from."""

from __future__ import annotations

from django.db import models


class ExposureResult(models.Model):
    """One analysis of one data version: the web UI and reports read it instead of recomputing."""

    data_version = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=40, default="report")
    econsec_version = models.CharField(max_length=40)
    options_key = models.CharField(max_length=64, default="")
    result = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_version", "kind", "econsec_version", "options_key"],
                name="exposure_result_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}@{self.data_version[:12]}"
