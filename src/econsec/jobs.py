"""What a background job's handler needs, without the workbench that runs it.

A handler is ``handler(job, progress) -> dict``: it reports with
``progress(fraction, message_key, **params)`` and fails with :class:`JobFailed`, whose reason
is a message id shown to the user in their language. The shell (``econsec.web.jobs``) records
both on the job's row.
"""

from __future__ import annotations

from typing import Any, Protocol


class Progress(Protocol):
    def __call__(self, fraction: float, key: str = ..., /, **params: Any) -> None: ...


class JobFailed(Exception):
    """A failure whose reason is a message id (shown to the user in their language)."""

    def __init__(self, key: str, result: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.result = result or {}


class JobInterrupted(BaseException):
    """Raised into a running handler when its worker stops (a server shutdown past the grace
    period). Not an ``Exception``: a handler's ``except Exception`` must not swallow it. The
    handler's open transaction rolls back and the job is queued to run again."""
