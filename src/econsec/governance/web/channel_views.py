"""Notification settings: each user's own preferences, and the administrators' webhook receivers.

Anyone signed in with a role sets their own preferences (they concern only them); webhooks send
the register's content out of econsec, so only administrators add, remove or test them. A new
receiver's secret is on the answer to the adding request alone, marked no-store.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.governance import channels
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Notification, Webhook
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, READ, has_capability, role_required


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _user(request: HttpRequest) -> str:
    return str(request.user.get_username())


@role_required(READ)
def preferences(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    user = _user(request)
    error = ""
    if request.method == "POST":
        post = request.POST
        try:
            channels.save_preferences(
                user, email=post.get("email", ""), by_email=post.get("by_email") == "on",
                digest=post.get("mode", "each") == "digest", language=post.get("language", "ja"),
            )  # fmt: skip
        except GovernanceError as exc:
            error = exc.message(lang)
        else:
            return _see_other(reverse("web:governance_preferences") + "?saved=1")
    pref = channels.preferences(user)
    if error:
        pref.email = request.POST.get("email", "")[:254]
    return render(request, "governance/preferences.html", {
        "lang": lang, "pref": pref, "error": error, "saved": request.GET.get("saved") == "1",
        "languages": channels.LANGUAGES, "can_admin": has_capability(request.user, ADMIN),
    }, status=400 if error else 200)  # fmt: skip


def _render_hooks(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    hooks = list(Webhook.objects.order_by("pk"))
    recent = Notification.objects.filter(channel="webhook").select_related("webhook")[:30]
    response = render(request, "governance/webhooks.html", {
        "lang": request_language(request), "hooks": hooks, "recent": recent,
        "kinds": channels.WEBHOOK_KINDS, **context,
    }, status=status)  # fmt: skip
    if "secret" in context:
        response["Cache-Control"] = "no-store"
    return response


@role_required(ADMIN)
def webhooks(request: HttpRequest) -> HttpResponse:
    return _render_hooks(request)


@require_POST
@role_required(ADMIN)
def webhook_add(request: HttpRequest) -> HttpResponse:
    try:
        hook, secret = channels.add_webhook(
            request.POST.get("url", ""), request.POST.getlist("kinds"), actor=_user(request)
        )
    except GovernanceError as exc:
        return _render_hooks(request, 400, error=exc.message(request_language(request)),
                             form_url=request.POST.get("url", "")[:500])  # fmt: skip
    return _render_hooks(request, 201, added=hook, secret=secret)


@require_POST
@role_required(ADMIN)
def webhook_remove(request: HttpRequest, hook_id: int) -> HttpResponse:
    channels.remove_webhook(get_object_or_404(Webhook, pk=hook_id), actor=_user(request))
    return _see_other(reverse("web:governance_webhooks"))


@require_POST
@role_required(ADMIN)
def webhook_test(request: HttpRequest, hook_id: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=hook_id)
    return _render_hooks(request, tested=channels.send_test(hook, actor=_user(request)))
