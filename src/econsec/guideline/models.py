"""Stored frameworks, assessment campaigns, answers, evidence and the assessment event log."""

from __future__ import annotations

from django.db import models


class StoredFramework(models.Model):
    """A framework as loaded (built-in data or imported), kept whole so that a campaign keeps
    the exact wording it was answered against."""

    framework_id = models.CharField(max_length=100, unique=True)
    family = models.CharField(max_length=100)
    edition = models.CharField(max_length=100)
    version = models.IntegerField()
    derivation = models.CharField(max_length=20)
    name_ja = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    origin = models.CharField(max_length=20)  # builtin | imported
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.framework_id


class Campaign(models.Model):
    """One self-assessment: a framework answered for a scope on a date by named assessors."""

    STATUSES = ("draft", "in_progress", "submitted", "approved")
    SCOPES = ("company", "business_unit")

    framework = models.ForeignKey(
        StoredFramework, on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(max_length=300)
    scope_kind = models.CharField(max_length=20, default="company")
    scope_unit = models.CharField(max_length=300, blank=True, default="")
    assessment_date = models.DateField()
    assessors = models.JSONField(default=list)
    status = models.CharField(max_length=20, default="draft")
    reviewer = models.CharField(max_length=200, blank=True, default="")
    reviewed_at = models.DateTimeField(null=True)
    review_comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-assessment_date", "-id"]

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"


class ItemAssessment(models.Model):
    """Item-level answer: maturity 0-4, owner, due date, comment."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="item_assessments"
    )
    item_id = models.CharField(max_length=100)
    maturity = models.SmallIntegerField(null=True)
    owner = models.CharField(max_length=200, blank=True, default="")
    due_date = models.DateField(null=True)
    comment = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item_id"], name="guideline_item_once"),
            models.CheckConstraint(
                condition=models.Q(maturity__isnull=True)
                | models.Q(maturity__gte=0, maturity__lte=4),
                name="guideline_maturity_range",
            ),
        ]


class QuestionAnswer(models.Model):
    """Question-level result: done / partial / not_done / na (scoring.Result)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    result = models.CharField(max_length=10)
    comment = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "question_id"], name="guideline_answer_once"
            )
        ]


class Evidence(models.Model):
    """Evidence for an item (optionally one question): an uploaded file (stored by SHA-256 under
    the data directory), a link, or a reference to a stored econsec analysis result.

    The analysis reference is generic (capability + result identifier + data version) so that it
    can be tied to the analysis packages' result tables once they exist.
    """

    KINDS = ("file", "link", "analysis")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evidence")
    item_id = models.CharField(max_length=100)
    question_id = models.CharField(max_length=100, blank=True, default="")
    kind = models.CharField(max_length=10)
    title = models.CharField(max_length=500, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.BigIntegerField(null=True)
    file_name = models.CharField(max_length=300, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    url = models.URLField(max_length=2000, blank=True, default="")
    ref_kind = models.CharField(max_length=100, blank=True, default="")
    ref_id = models.CharField(max_length=200, blank=True, default="")
    data_version = models.CharField(max_length=200, blank=True, default="")
    added_at = models.DateTimeField()
    added_by = models.CharField(max_length=200, blank=True, default="")


class AssessmentEvent(models.Model):
    """Who did what to which campaign, when. Append-only.

    This log feeds the governance audit trail (tamper-evident chain) once that exists; until
    then it is the assessment's own record of changes, submissions and sign-offs.
    """

    campaign = models.ForeignKey(
        Campaign, null=True, on_delete=models.SET_NULL, related_name="events"
    )
    at = models.DateTimeField()
    actor = models.CharField(max_length=200, blank=True, default="")
    action = models.CharField(max_length=50)
    target = models.CharField(max_length=200, blank=True, default="")
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
