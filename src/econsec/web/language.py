"""Which language a request is served in.

Order: the signed-in user's saved choice, then the session's (chosen before signing in), then
the browser's Accept-Language, then Japanese. Only ja and en exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SESSION_KEY = "econsec_language"
SUPPORTED = tuple(code for code, _ in settings.LANGUAGES)


def saved_language(request: HttpRequest) -> str:
    """The language the user chose (profile when signed in, else session), or ""."""
    from .models import UserPreference

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = (
            UserPreference.objects.filter(user_id=user.pk)
            .values_list("language", flat=True)
            .first()
        )
        if saved in SUPPORTED:
            return str(saved)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return str(chosen) if chosen in SUPPORTED else ""


def browser_language(request: HttpRequest) -> str:
    code = translation.get_language_from_request(request, check_path=False)
    short = (code or "").split("-")[0].lower()
    return short if short in SUPPORTED else str(settings.LANGUAGE_CODE)


def request_language(request: HttpRequest) -> str:
    return saved_language(request) or browser_language(request)


class UserLanguageMiddleware:
    """Activate the request's language for templates, formats and messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", lang)
        translation.deactivate()
        return response
