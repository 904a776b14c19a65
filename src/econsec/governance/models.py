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


class RiskLink(models.Model):
    """Something econsec already knows that a risk rests on (beyond its scenario link).

    ``kind``: "scenario" (a stress scenario's content hash), "element" (a sweep element, e.g.
    ``site:P1``), "spof" (a product's single point of failure, ``site/item``), "hit" (a
    screening hit id), "item" (an item id). ``label`` is what the page shows.
    """

    KINDS = ("scenario", "element", "spof", "hit", "item")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20)
    ref = models.CharField(max_length=300)
    label = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["risk", "kind", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "kind", "ref"], name="governance_link_unique")
        ]


class Action(models.Model):
    """A measure or follow-up with an owner and a due date.

    When an action carrying a target residual rating (``target_likelihood`` /
    ``target_impact``) is done, its risk's residual rating becomes that target (the measure's
    effect); the audit trail keeps the change.
    """

    STATUSES = ("open", "in_progress", "done", "cancelled")
    OPEN_STATUSES = ("open", "in_progress")

    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title_ja = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)  # a user name
    due = models.DateField()
    status = models.CharField(max_length=12, default="open")
    evidence = models.TextField(blank=True, default="")
    target_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    target_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"])]


class ActionComment(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.CharField(max_length=200)
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Responsibility(models.Model):
    """One cell of the RACI per guideline area: who is R, A, C or I for an area (or item)."""

    LETTERS = ("R", "A", "C", "I")

    area = models.CharField(max_length=100)
    party = models.CharField(max_length=200)  # a person, a body (committee) or an office
    letter = models.CharField(max_length=1)

    class Meta:
        ordering = ["area", "letter", "party"]
        constraints = [
            models.UniqueConstraint(fields=["area", "party"], name="governance_raci_unique")
        ]


class KriDefinition(models.Model):
    """A user-defined indicator: one of the parameterised formulas of ``kri.FORMULAS``."""

    key = models.CharField(max_length=60, unique=True)
    name_ja = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    formula = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    amber = models.FloatField()
    red = models.FloatField()
    created_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["key"]


class Preference(models.Model):
    """A user's notification preferences (none stored: in-app only, in Japanese)."""

    username = models.CharField(max_length=150, unique=True)
    email = models.EmailField(blank=True, default="")
    language = models.CharField(max_length=2, default="ja")
    by_email = models.BooleanField(default=False)
    digest = models.BooleanField(default=False)  # one e-mail a day instead of one per event


class Webhook(models.Model):
    """A receiver of signed notifications (HMAC-SHA256 over the body with ``secret``)."""

    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    kinds = models.JSONField(default=list)  # empty: every kind
    active = models.BooleanField(default=True)


class Notification(models.Model):
    """One message to one recipient on one channel, and its delivery state.

    The delivery queue: a worker claims a pending row by setting ``lease_until`` with a
    compare-and-set update, so two workers never send the same row; a failure is retried
    with back-off (``next_attempt_at``) and stays visible (``last_error``, ``attempts``).
    ``dedupe`` makes raising the same event twice (the same action overdue, the same day)
    a no-op.
    """

    CHANNELS = ("inbox", "email", "webhook")
    KINDS = ("kri_red", "action_overdue", "review_due", "screening_hit", "signoff_requested",
             "action_assigned", "monitoring_alert", "webhook_test", "digest",
             "request_decided")  # fmt: skip

    kind = models.CharField(max_length=30)
    params = models.JSONField(default=dict)
    channel = models.CharField(max_length=10)
    recipient = models.CharField(max_length=200, blank=True, default="")  # user name
    address = models.CharField(max_length=500, blank=True, default="")  # e-mail or webhook URL
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.SET_NULL)
    dedupe = models.CharField(max_length=300, unique=True)
    status = models.CharField(max_length=10, default="pending")  # pending, sent, failed
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=100, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "channel"]),
        ]


class Disclosure(models.Model):
    """One version of a disclosure draft (securities report or integrated report), ja and en."""

    KINDS = ("securities", "integrated")

    kind = models.CharField(max_length=20)
    version = models.PositiveIntegerField()
    text_ja = models.TextField()
    text_en = models.TextField()
    sources = models.JSONField(default=list)  # every number's origin
    status = models.CharField(max_length=10, default="draft")  # draft, approved
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.CharField(max_length=200, blank=True, default="")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="governance_disclosure_unique")
        ]
