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
