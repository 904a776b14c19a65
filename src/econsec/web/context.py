"""Template context shared by every page: language, roles, navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .hooks import registry
from .language import SUPPORTED
from .roles import EDIT, has_capability, user_roles

_CORE_NAV = [
    ("web.nav.dashboard", "web:dashboard"),
    ("web.nav.organisations", "web:organisations"),
    ("web.nav.sites", "web:sites"),
    ("web.nav.items", "web:items"),
    ("web.nav.bom", "web:bom"),
    ("web.nav.links", "web:links"),
]


def workbench(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"econsec_languages": SUPPORTED, "econsec_nav": []}
    nav = [{"label_key": k, "url": reverse(name), "name": name} for k, name in _CORE_NAV]
    for entry in registry.nav:
        if has_capability(user, entry.capability):
            try:
                nav.append(
                    {"label_key": entry.label_key, "url": reverse(entry.url_name), "name": ""}
                )
            except NoReverseMatch:
                continue
    return {
        "econsec_languages": SUPPORTED,
        "econsec_nav": nav,
        "econsec_roles": sorted(user_roles(user)),
        "econsec_can_edit": has_capability(user, EDIT),
    }
