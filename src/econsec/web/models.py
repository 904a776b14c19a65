"""Workbench records: user preferences, login throttling, background jobs, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models


class UserPreference(models.Model):
    """Per-user settings that follow the user across browsers (the UI language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="econsec_preference"
    )
    language = models.CharField(max_length=8, blank=True, default="")


class LoginFailure(models.Model):
    """Failed sign-ins for one user name from one client address (econsec.web.throttle)."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    failures = models.IntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="login_failure_key")]


class Job(models.Model):
    """A unit of background work (import, sweep, report) as the user sees it.

    The task queue runs it; this row carries what the page shows: progress, the failure reason
    in both languages, and where the result lives. It survives page reloads and restarts.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        # Stopped by a server shutdown and queued again (econsec.web.worker).
        INTERRUPTED = "interrupted"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    progress_note = models.JSONField(default=dict)  # {"key": message id, "params": {...}}
    params = models.JSONField(default=dict)
    error = models.JSONField(default=dict)  # {"ja": ..., "en": ...}
    result = models.JSONField(default=dict)
    result_url = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    task_id = models.CharField(max_length=64, blank=True, default="")
    # "host/worker id" of the worker running it (econsec.web.heartbeat), how many runs it had,
    # and the uploaded file it consumes (removed when the job ends, however it ends).
    worker = models.CharField(max_length=200, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    upload = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_recent")]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked table does not leak usable tokens."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its digest and a short prefix (to recognise it) are stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="econsec_api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True)
    revoked = models.BooleanField(default=False)

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        """Create a token for ``user``; returns the row and the raw token (shown once)."""
        raw = "ecs_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:12], digest=hash_token(raw))
        return token, raw
