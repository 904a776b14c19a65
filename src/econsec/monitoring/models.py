"""Events, the feeds they come from, and the response room (alerts, their notes)."""

from __future__ import annotations

from django.db import models

from econsec.monitoring.footprint import ALL_KINDS

STATUSES = ("potential", "confirmed", "no_impact", "recovered")


class Source(models.Model):
    """A feed the administrator configured, with the state of its polite polling."""

    objects: models.Manager[Source] = models.Manager()
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=1000)
    kind = models.CharField(max_length=10, default="feed")  # feed (RSS/Atom) or cap (CAP 1.2)
    enabled = models.BooleanField(default=True)
    interval_minutes = models.PositiveIntegerField(default=60)
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_text = models.JSONField(default=dict, blank=True)
    """The last error in each language ({"ja": …, "en": …}); ``last_error`` is the English."""
    last_error_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def error_in(self, lang: str) -> str:
        return str(self.last_error_text.get(lang) or self.last_error)


class Event(models.Model):
    """One external (or internal) event and its footprint.

    ``footprint`` is what matching uses: the analyst's correction when there is one, else what
    was entered or inferred; ``inferred`` keeps the classifier's footprint and ``inferences``
    the words behind each inferred value, so a correction never loses the original reading.
    """

    objects: models.Manager[Event] = models.Manager()
    KINDS = ALL_KINDS

    kind = models.CharField(max_length=30, choices=[(k, k) for k in ALL_KINDS])
    title_ja = models.CharField(max_length=500, blank=True, default="")
    title_en = models.CharField(max_length=500, blank=True, default="")
    summary_ja = models.TextField(blank=True, default="")
    summary_en = models.TextField(blank=True, default="")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    source_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    """SHA-256 of the source and the item's id: the same item fetched twice is one event."""
    url = models.URLField(max_length=1000, blank=True, default="")
    announced_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    expected_end_on = models.DateField(null=True, blank=True)
    footprint = models.JSONField(default=dict)
    inferred = models.JSONField(null=True, blank=True)
    inferences = models.JSONField(default=list)
    corrected_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Alert(models.Model):
    """The response room's view of an event: triage status, owner, due date, links, impact."""

    objects: models.Manager[Alert] = models.Manager()
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="alert")
    status = models.CharField(
        max_length=20, choices=[(s, s) for s in STATUSES], default="potential"
    )
    owner = models.CharField(max_length=200, blank=True, default="")
    due_on = models.DateField(null=True, blank=True)
    severity = models.CharField(max_length=10, default="none")
    impact = models.JSONField(default=dict)
    data_version = models.CharField(max_length=64, blank=True, default="")
    measure_ref = models.CharField(max_length=200, blank=True, default="")
    risk_ref = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["severity"])]


class AlertNote(models.Model):
    """The alert's timeline: comments and every change of status, owner or due date."""

    objects: models.Manager[AlertNote] = models.Manager()
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(auto_now_add=True)
    author = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=20, default="note")
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]


class SupplierRequest(models.Model):
    """A supplier in an event's footprint asked to confirm the impact, and its answer.

    The request goes out by e-mail from the job worker (``status`` queued → sent or failed);
    the answer is recorded by the analyst (``answer`` affected / not_affected / unknown).
    """

    objects: models.Manager[SupplierRequest] = models.Manager()
    ANSWERS = ("affected", "not_affected", "unknown")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="requests")
    org_id = models.CharField(max_length=100)
    org_name = models.CharField(max_length=500, blank=True, default="")
    email = models.EmailField(max_length=254)
    lang = models.CharField(max_length=5, default="ja")
    status = models.CharField(max_length=10, default="queued")
    last_error = models.TextField(blank=True, default="")
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    queued_job_at = models.DateTimeField(null=True, blank=True)
    """When the scheduler last queued a job for it (so one poll does not queue it again)."""
    answer = models.CharField(max_length=15, blank=True, default="")
    answer_note = models.TextField(blank=True, default="")
    answered_by = models.CharField(max_length=200, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["org_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "org_id"], name="monitoring_one_request")
        ]
