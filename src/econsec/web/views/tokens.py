"""Personal API tokens: create (shown once) and revoke."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ..models import ApiToken
from ..roles import READ, role_required


# The page shows a new token in clear once: no browser or proxy may keep a copy (no-store).
@never_cache
@role_required(READ)
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            name = request.POST.get("name", "").strip()[:100] or "token"
            _, new_token = ApiToken.issue(request.user, name)
        elif action == "revoke":
            token_id = request.POST.get("token", "")
            if token_id.isdigit():
                ApiToken.objects.filter(pk=int(token_id), user_id=int(request.user.pk or 0)).update(
                    revoked=True
                )
    return render(
        request,
        "web/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user_id=int(request.user.pk or 0)).order_by(
                "-created_at"
            ),
            "new_token": new_token,
        },
    )
