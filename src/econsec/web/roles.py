"""Roles as Django groups, and the decorator every view uses to enforce them.

Four roles (docs/decisions/0052-roles.md): administrator (everything), analyst (read and edit),
viewer (read), auditor (read plus the audit views). Views declare a *capability* (read, edit,
audit, admin); the role table below says which roles hold it. A superuser counts as
administrator. A view that is not decorated is caught by the URL matrix test.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .prepared import Prepared, int_marker

ADMINISTRATOR = "administrator"
ANALYST = "analyst"
VIEWER = "viewer"
AUDITOR = "auditor"
ROLES = (ADMINISTRATOR, ANALYST, VIEWER, AUDITOR)

READ = "read"
EDIT = "edit"
AUDIT = "audit"
ADMIN = "admin"
PUBLIC = "public"

CAPABILITIES: dict[str, frozenset[str]] = {
    READ: frozenset(ROLES),
    EDIT: frozenset({ADMINISTRATOR, ANALYST}),
    AUDIT: frozenset({ADMINISTRATOR, AUDITOR}),
    ADMIN: frozenset({ADMINISTRATOR}),
}

V = TypeVar("V", bound=Callable[..., HttpResponse])

# One query per request, compiled once (docs/decisions/0058-per-request-cpu.md); roles are not
# kept between requests, so a revoked role ends with the next request.
_ROLE_NAMES = Prepared(
    lambda user_pk: Group.objects.filter(user__pk=user_pk, name__in=ROLES).values_list("name"),
    int_marker(0),
)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_econsec_roles", None)
    if cached is not None:
        return cached
    names = {row[0] for row in _ROLE_NAMES.rows(user.pk)} if hasattr(user, "groups") else set()
    if getattr(user, "is_superuser", False):
        names.add(ADMINISTRATOR)
    roles = frozenset(names)
    user._econsec_roles = roles  # type: ignore[attr-defined]
    return roles


def has_capability(user: AbstractBaseUser | AnonymousUser, capability: str) -> bool:
    """Whether ``user`` may do what ``capability`` (read, edit, audit, admin) stands for."""
    if capability == PUBLIC:
        return True
    return bool(user_roles(user) & CAPABILITIES[capability])


def role_required(capability: str) -> Callable[[V], V]:
    """Guard a view: anonymous users go to the login page, users without the role get 403.

    The capability is recorded on the view (``econsec_capability``) so tests can check that
    every URL is guarded.
    """
    if capability not in CAPABILITIES and capability != PUBLIC:
        raise ValueError(f"unknown capability {capability!r}")

    def decorate(view: V) -> V:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if capability != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not has_capability(request.user, capability):
                    raise PermissionDenied(capability)
            return view(request, *args, **kwargs)

        guarded.econsec_capability = capability  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
