"""Template context shared by every page: language, roles, navigation.

Everything here is per process or per request and costs no query beyond the user's roles (one,
cached on the user for the request): URLs are reversed once per process and script prefix, and
the navigation with its labels is built once per (prefix, language, roles).
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse

from econsec.i18n import t

from .hooks import registry
from .language import SUPPORTED, request_language
from .roles import CAPABILITIES, EDIT, PUBLIC, user_roles

_CORE_NAV = [
    ("web.nav.dashboard", "web:dashboard"),
    ("web.nav.organisations", "web:organisations"),
    ("web.nav.sites", "web:sites"),
    ("web.nav.items", "web:items"),
    ("web.nav.bom", "web:bom"),
    ("web.nav.links", "web:links"),
]
# Links every page's frame needs (top bar and secondary navigation).
_FRAME_URLS = ("dashboard", "set_language", "logout", "upload", "jobs", "tokens")

_lock = threading.Lock()
_urls: dict[str, dict[str, str]] = {}
_navs: dict[tuple[Any, ...], list[dict[str, str]]] = {}


def frame_urls() -> dict[str, str]:
    """The frame's URLs by short name, reversed once per script prefix."""
    prefix = get_script_prefix()
    found = _urls.get(prefix)
    if found is None:
        found = {name: reverse(f"web:{name}") for name in _FRAME_URLS}
        with _lock:
            _urls[prefix] = found
    return found


def navigation(roles: frozenset[str], lang: str) -> list[dict[str, str]]:
    """Navigation entries (label, url, name) these roles may see, in ``lang``."""
    prefix = get_script_prefix()
    key = (prefix, lang, roles, len(registry.nav))
    found = _navs.get(key)
    if found is not None:
        return found
    nav = [{"label": t(k, lang), "url": reverse(name), "name": name} for k, name in _CORE_NAV]
    for entry in registry.nav:
        allowed = entry.capability == PUBLIC or bool(roles & CAPABILITIES[entry.capability])
        if not allowed:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        nav.append({"label": t(entry.label_key, lang), "url": url, "name": ""})
    with _lock:
        _navs[key] = nav
    return nav


def workbench(request: HttpRequest) -> dict[str, Any]:
    urls = frame_urls()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"econsec_languages": SUPPORTED, "econsec_nav": [], "econsec_urls": urls}
    roles = user_roles(user)
    return {
        "econsec_languages": SUPPORTED,
        "econsec_nav": navigation(roles, request_language(request)),
        "econsec_roles": sorted(roles),
        "econsec_can_edit": bool(roles & CAPABILITIES[EDIT]),
        "econsec_urls": urls,
    }
