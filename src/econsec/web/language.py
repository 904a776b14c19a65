"""Which language a request is served in.

Order: the signed-in user's saved choice, then the session's (chosen before signing in), then
the browser's Accept-Language, then Japanese. Only ja and en exist.

The language is resolved once per request (the middleware stores it on the request). The saved
profile choice is remembered in the session next to the session's own choice, so a signed-in
page does not query the profile every time: the remembered value is trusted only while the user
and the session's choice are the ones it was read with, and the session is set to the profile's
choice when it is read, so any switch in this browser (which always sets the session) reads the
profile again. A choice saved from another browser shows here after the next switch or sign-in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SESSION_KEY = "econsec_language"
# [user pk, profile language or "", session language when read]
PROFILE_SESSION_KEY = "econsec_profile_language"
SUPPORTED = tuple(code for code, _ in settings.LANGUAGES)
_REQUEST_ATTR = "_econsec_language"


def _profile_language(request: HttpRequest, user_pk: int | str) -> str:
    from .models import UserPreference

    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    remembered = session.get(PROFILE_SESSION_KEY) if session is not None else None
    if (
        isinstance(remembered, list)
        and len(remembered) == 3
        and remembered[0] == str(user_pk)
        and remembered[2] == chosen
    ):
        return str(remembered[1])
    saved = (
        UserPreference.objects.filter(user_id=user_pk).values_list("language", flat=True).first()
    )
    profile = str(saved) if saved in SUPPORTED else ""
    if session is not None:
        if profile and chosen != profile:
            session[SESSION_KEY] = chosen = profile
        session[PROFILE_SESSION_KEY] = [str(user_pk), profile, chosen]
    return profile


def saved_language(request: HttpRequest) -> str:
    """The language the user chose (profile when signed in, else session), or ""."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = _profile_language(request, user.pk)
        if profile:
            return profile
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return str(chosen) if chosen in SUPPORTED else ""


def browser_language(request: HttpRequest) -> str:
    code = translation.get_language_from_request(request, check_path=False)
    short = (code or "").split("-")[0].lower()
    return short if short in SUPPORTED else str(settings.LANGUAGE_CODE)


def request_language(request: HttpRequest) -> str:
    """The request's language (resolved once per request by the middleware)."""
    found: str | None = getattr(request, _REQUEST_ATTR, None)
    if found is not None:
        return found
    return saved_language(request) or browser_language(request)


def forget_request_language(request: HttpRequest) -> None:
    """Drop the per-request value (after the language changed within the request)."""
    if hasattr(request, _REQUEST_ATTR):
        delattr(request, _REQUEST_ATTR)


class UserLanguageMiddleware:
    """Activate the request's language for templates, formats and messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .warmer import ensure_started

        ensure_started()
        lang = request_language(request)
        setattr(request, _REQUEST_ATTR, lang)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", lang)
        translation.deactivate()
        return response
