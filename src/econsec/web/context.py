"""Template context shared by every page: language, roles, navigation.

Everything here is per process or per request and costs no query beyond the user's roles (one,
cached on the user for the request): URLs are reversed once per process and script prefix, and
the navigation with its labels is built once per (prefix, language, roles). The side navigation
and the role badges are rendered (Jinja2, ``web/sidenav.jinja``) once per (prefix, language,
roles, current entry) and kept: a Django template loop with a tag per entry cost more than the
rest of the frame together (docs/decisions/0058-per-request-cpu.md).
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import SafeString

from econsec.i18n import t
from econsec.registry import registry

from .jinja import render_part
from .language import SUPPORTED, request_language
from .roles import CAPABILITIES, PUBLIC, user_roles

# Links every page's frame needs (top bar and secondary navigation).
_FRAME_URLS = ("dashboard", "set_language", "logout", "jobs", "tokens")

_lock = threading.Lock()
_urls: dict[str, dict[str, str]] = {}
_navs: dict[tuple[Any, ...], list[dict[str, str]]] = {}
_markup: dict[tuple[Any, ...], SafeString] = {}
# The shell's own secondary entries, after those capabilities register.
_SECONDARY = ("jobs", "tokens")


def frame_urls() -> dict[str, str]:
    """The frame's URLs by short name, reversed once per script prefix."""
    prefix = get_script_prefix()
    found = _urls.get(prefix)
    if found is None:
        found = {name: reverse(f"web:{name}") for name in _FRAME_URLS}
        with _lock:
            _urls[prefix] = found
    return found


def navigation(roles: frozenset[str], lang: str, section: str = "main") -> list[dict[str, str]]:
    """Navigation entries (label, url, name) of ``section`` these roles may see, in ``lang``."""
    prefix = get_script_prefix()
    key = (prefix, lang, roles, len(registry.nav), section)
    found = _navs.get(key)
    if found is not None:
        return found
    nav = []
    if section == "main":
        dashboard = reverse("web:dashboard")
        nav.append(
            {"label": t("web.nav.dashboard", lang), "url": dashboard, "name": "web:dashboard"}
        )
    for entry in registry.nav:
        allowed = entry.capability == PUBLIC or bool(roles & CAPABILITIES[entry.capability])
        if entry.section != section or not allowed:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        nav.append({"label": t(entry.label_key, lang), "url": url, "name": entry.url_name})
    if section == "secondary":
        urls = frame_urls()
        for name in _SECONDARY:
            label = t(f"web.nav.{name}", lang)
            nav.append({"label": label, "url": urls[name], "name": f"web:{name}"})
    with _lock:
        _navs[key] = nav
    return nav


def sidenav_html(roles: frozenset[str], lang: str, path: str, url_name: str) -> SafeString:
    """The side navigation for these roles in ``lang``, with the entry for ``path`` (or the
    secondary entry for ``url_name``) marked current."""
    nav = navigation(roles, lang)
    more = navigation(roles, lang, "secondary")
    current = path if any(entry["url"] == path for entry in nav) else ""
    secondary = f"web:{url_name}"
    if not any(entry["name"] == secondary for entry in more):
        secondary = ""
    key = (get_script_prefix(), lang, roles, len(registry.nav), current, secondary)
    found = _markup.get(key)
    if found is None:
        found = render_part(
            "web/sidenav.jinja",
            nav=nav,
            more=more,
            current=current,
            secondary=secondary,
            lang=lang,
        )
        with _lock:
            _markup[key] = found
    return found


def role_badges(roles: frozenset[str], lang: str) -> SafeString:
    """The signed-in user's role badges (markup, once per role set and language)."""
    key = ("badges", lang, roles)
    found = _markup.get(key)
    if found is None:
        found = render_part("web/role_badges.jinja", roles=sorted(roles), lang=lang)
        with _lock:
            _markup[key] = found
    return found


_LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # each in its own language, never translated


def language_buttons(active: str) -> SafeString:
    """The language switch's submit buttons, the active language pressed."""
    key = ("languages", active)
    found = _markup.get(key)
    if found is None:
        languages = [(code, _LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED]
        found = render_part("web/language_buttons.jinja", languages=languages, active=active)
        with _lock:
            _markup[key] = found
    return found


def workbench(request: HttpRequest) -> dict[str, Any]:
    urls = frame_urls()
    user = getattr(request, "user", None)
    buttons = language_buttons(getattr(request, "LANGUAGE_CODE", ""))
    if user is None or not user.is_authenticated:
        return {"econsec_language_buttons": buttons, "econsec_urls": urls}
    roles = user_roles(user)
    lang = request_language(request)
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match is not None else ""
    return {
        "econsec_language_buttons": buttons,
        "econsec_sidenav": sidenav_html(roles, lang, request.path, url_name),
        "econsec_badges": role_badges(roles, lang),
        "econsec_urls": urls,
    }
