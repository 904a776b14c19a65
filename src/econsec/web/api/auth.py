"""API authentication: personal bearer tokens (stored hashed) or the browser session (+CSRF).

Role rules are the UI's: :func:`require` checks the same capabilities as ``role_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from ..models import ApiToken, hash_token
from ..roles import has_capability

F = TypeVar("F", bound=Callable[..., Any])


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ecs_…``; revoked tokens and inactive users are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        # Touch at most once a minute: no write on every API call.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


AUTH = [TokenAuth(), SessionAuth()]


def require(capability: str) -> Callable[[F], F]:
    """Refuse (403) an authenticated caller whose roles lack ``capability``."""

    def decorate(func: F) -> F:
        @wraps(func)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = getattr(request, "auth", None) or request.user
            if not has_capability(user, capability):
                raise HttpError(403, "forbidden")
            return func(request, *args, **kwargs)

        guarded.econsec_capability = capability  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
