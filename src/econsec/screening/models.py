"""Stored list versions, hits, review decisions and the screening event log."""

from __future__ import annotations

from django.db import models


class ScreeningList(models.Model):
    """A list the company screens against (e.g. "ofac_sdn", "meti_eul"), with its threshold."""

    name = models.CharField(max_length=100, unique=True)
    source_format = models.CharField(max_length=20)
    threshold = models.FloatField(null=True)  # None: the global default

    def __str__(self) -> str:
        return self.name


class ListVersion(models.Model):
    """One loaded version of a list. Exactly one version per list is current."""

    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.CASCADE, related_name="versions"
    )
    version_date = models.DateField(null=True)
    loaded_at = models.DateTimeField()
    loaded_by = models.CharField(max_length=200, blank=True, default="")
    source_name = models.CharField(max_length=500)
    source_sha256 = models.CharField(max_length=64)
    entity_count = models.IntegerField(default=0)
    added = models.IntegerField(default=0)
    changed = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at", "-id"]


class ListEntry(models.Model):
    """An entity as it stood in one list version (the common entity form, as JSON)."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    entity_id = models.CharField(max_length=200)
    name = models.CharField(max_length=1000)
    kind = models.CharField(max_length=20)
    fingerprint = models.CharField(max_length=32)
    data = models.JSONField()
    change = models.CharField(max_length=10, default="")  # added / changed / "" vs the previous

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "entity_id"], name="list_entry_key")
        ]


class Hit(models.Model):
    """A subject (organisation or owner) that matched a list entry, and its review status."""

    OPEN, CONFIRMED, DISMISSED, WITHDRAWN = "open", "confirmed", "dismissed", "withdrawn"
    STATUSES = [(s, s) for s in (OPEN, CONFIRMED, DISMISSED, WITHDRAWN)]

    subject_ref = models.CharField(max_length=300)  # "org:<org_id>" or "name:<text>"
    subject_name = models.CharField(max_length=1000)
    subject_fingerprint = models.CharField(max_length=32)
    list_name = models.CharField(max_length=100)
    entity_id = models.CharField(max_length=200)
    entity_name = models.CharField(max_length=1000)
    entry_fingerprint = models.CharField(max_length=32)
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    via = models.CharField(max_length=20, default="name")  # "name" or "ownership"
    status = models.CharField(max_length=12, choices=STATUSES, default=OPEN)
    first_seen_at = models.DateTimeField()
    last_screened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_ref", "list_name", "entity_id", "via"], name="hit_key"
            )
        ]
        ordering = ["-score", "id"]


class Decision(models.Model):
    """A reviewer's confirmation or dismissal of a hit, pinned to what was reviewed."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=12)
    reviewer = models.CharField(max_length=200)
    reason = models.TextField()
    decided_at = models.DateTimeField()
    entry_fingerprint = models.CharField(max_length=32)
    subject_fingerprint = models.CharField(max_length=32)

    class Meta:
        ordering = ["-decided_at", "-id"]


class SubjectState(models.Model):
    """What a subject looked like when last screened, and against which list versions."""

    subject_ref = models.CharField(max_length=300, unique=True)
    fingerprint = models.CharField(max_length=32)
    version_ids = models.JSONField(default=list)
    screened_at = models.DateTimeField()


class ScreeningEvent(models.Model):
    """Who did what, when and why. This log feeds the governance audit trail once that exists."""

    at = models.DateTimeField()
    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    object_ref = models.CharField(max_length=300)
    reason = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
