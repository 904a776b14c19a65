"""Personal API tokens: create (shown once) and revoke."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import ApiToken
from ..roles import READ, role_required


@role_required(READ)
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            name = request.POST.get("name", "").strip()[:100] or "token"
            _, new_token = ApiToken.issue(request.user, name)
        elif action == "revoke":
            ApiToken.objects.filter(
                pk=request.POST.get("token", "0") or 0, user=request.user
            ).update(revoked=True)
    return render(
        request,
        "web/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "new_token": new_token,
        },
    )
