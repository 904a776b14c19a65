"""Who is told: the users holding a role, read from the role groups (the shell's role names)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

# The groups that hold the edit and admin capabilities (docs/decisions/0052-roles.md).
_ADMIN_GROUPS = ("administrator",)
_EDIT_GROUPS = ("administrator", "analyst")


def _active_in(groups: Iterable[str]) -> list[str]:
    users = User.objects.filter(
        is_active=True, groups__name__in=list(groups)
    ) | User.objects.filter(is_active=True, is_superuser=True)
    return sorted(set(users.values_list("username", flat=True)))


def administrators() -> list[str]:
    return _active_in(_ADMIN_GROUPS)


def editors() -> list[str]:
    """Users who may review and decide (analysts and administrators)."""
    return _active_in(_EDIT_GROUPS)


def owner_or_administrators(owner: str) -> list[str]:
    if owner and User.objects.filter(username=owner, is_active=True).exists():
        return [owner]
    return administrators()


def owner_or_editors(owner: str) -> list[str]:
    """The owner when an active user of that name exists, else analysts and administrators."""
    if owner and User.objects.filter(username=owner, is_active=True).exists():
        return [owner]
    return editors()
