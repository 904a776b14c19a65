"""Creating users with a role (CLI, demo)."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, User

from .roles import ADMINISTRATOR, ROLES


def create_user(username: str, role: str, password: str | None = None) -> tuple[User, str]:
    """Create ``username`` holding ``role``; returns the user and the (generated) password."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(username, password=password)
    if role == ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user, password


def ensure_demo_administrator(username: str = "admin") -> str | None:
    """Create the demo administrator once; returns its password then, None if it existed."""
    if User.objects.filter(username=username).exists():
        return None
    _, password = create_user(username, ADMINISTRATOR)
    return password
