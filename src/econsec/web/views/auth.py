"""Sign-in (throttled), sign-out and the language switch."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from econsec.i18n import t

from .. import throttle
from ..formatting import format_datetime
from ..language import SESSION_KEY, SUPPORTED, request_language
from ..models import UserPreference
from ..roles import PUBLIC, role_required


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:dashboard")


@require_http_methods(["GET", "POST"])
@role_required(PUBLIC)
def login_view(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    error = ""
    status = 200
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")
        ip = throttle.client_ip(request)
        locked = throttle.locked_until(username, ip)
        if locked is not None:
            error = t("web.login.locked", lang, until=format_datetime(locked, lang))
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                lock = throttle.record_failure(username, ip)
                if lock is not None:
                    error = t("web.login.locked", lang, until=format_datetime(lock, lang))
                    status = 429
                else:
                    error = t("web.login.invalid", lang)
                    status = 200
            else:
                throttle.record_success(username, ip)
                chosen = request.session.get(SESSION_KEY)
                login(request, user)
                if chosen in SUPPORTED:
                    request.session[SESSION_KEY] = chosen
                    UserPreference.objects.get_or_create(user=user, defaults={"language": chosen})
                return HttpResponseRedirect(_safe_next(request, next_url))
    return render(
        request,
        "web/login.html",
        {"error": error, "username": username, "next": next_url},
        status=status,
    )


@require_POST
@role_required(PUBLIC)
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("web:login"))


@require_POST
@role_required(PUBLIC)
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in the session, and in the profile when signed in."""
    lang = request.POST.get("language", "")
    if lang in SUPPORTED:
        request.session[SESSION_KEY] = lang
        if request.user.is_authenticated:
            UserPreference.objects.update_or_create(user=request.user, defaults={"language": lang})
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
