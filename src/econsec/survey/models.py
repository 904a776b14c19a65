"""Supplier mapping campaigns: who was asked, what came back, and who said what when merged.

A campaign asks selected tier-1 suppliers (organisations) for the tiers behind what they supply.
Each supplier gets one :class:`Request` with a secret upload token (stored as a SHA-256 hash
only) and an expiry; each returned workbook becomes an :class:`Answer` (validated rows or located
errors); every value-chain row a merge wrote keeps a :class:`Provenance` record.
"""

from __future__ import annotations

from django.db import models


class Campaign(models.Model):
    name = models.CharField(max_length=200)
    year = models.IntegerField()
    # The selection as given (tiers, item tags, countries, least spend), kept for re-sending.
    selection = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")
    token_days = models.IntegerField(default=60)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"


class Request(models.Model):
    """One supplier asked in one campaign."""

    class Status(models.TextChoices):
        NOT_SENT = "not_sent"
        SENT = "sent"
        RETURNED = "returned"
        ERRORS = "errors"
        ACCEPTED = "accepted"
        MERGED = "merged"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    org_id = models.CharField(max_length=100)
    org_name = models.CharField(max_length=500)
    tier = models.IntegerField(default=1)
    language = models.CharField(max_length=5, default="en")
    email = models.CharField(max_length=254, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_SENT)
    token_sha256 = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True)
    reminded_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    # The upload rate limit: attempts within the current window.
    window_started_at = models.DateTimeField(null=True)
    window_uploads = models.IntegerField(default=0)

    class Meta:
        ordering = ["campaign_id", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org_id"], name="survey_request_key")
        ]


class Answer(models.Model):
    """One returned workbook: its rows when valid, its located errors otherwise."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="answers")
    received_at = models.DateTimeField()
    source_name = models.CharField(max_length=500)
    source_sha256 = models.CharField(max_length=64)
    via = models.CharField(max_length=20, default="cli")  # cli | upload | api
    ok = models.BooleanField(default=False)
    rows = models.JSONField(default=dict)  # sheet → list of row dicts (see survey.answers)
    errors = models.JSONField(default=list)  # located errors (sheet, row, column, value, code)
    merged_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-received_at", "-id"]


class Provenance(models.Model):
    """A value-chain row a merge wrote: which supplier said it, in which campaign, when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="provenance")
    org_id = models.CharField(max_length=100)  # the supplier who said it
    sheet = models.CharField(max_length=40)  # value-chain sheet: sites, supply_links…
    key = models.CharField(max_length=400)  # the row's key, "|"-joined
    values = models.JSONField(default=dict)
    stated_at = models.DateTimeField()  # when the supplier returned the workbook
    merged_at = models.DateTimeField()
    import_run_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["sheet", "key", "-merged_at"]
        indexes = [models.Index(fields=["sheet", "key"], name="survey_prov_key")]


class Mailing(models.Model):
    """One e-mail to a supplier: the invitation with its workbook, or a reminder.

    ``dedupe`` is unique: writing the row claims the e-mail, so two reminder runs at once (two
    workers) send it once. A failed e-mail is tried again with a growing pause and stays visible.
    """

    class Kind(models.TextChoices):
        INVITE = "invite"
        NO_ANSWER = "no_answer"
        EXPIRY = "expiry"

    class Status(models.TextChoices):
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    dedupe = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=254)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENDING)
    attempts = models.IntegerField(default=1)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True)
    next_attempt_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
