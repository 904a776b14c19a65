"""What the technology capability adds to other capabilities' pages (econsec.registry panels).

A governance risk's page shows the technologies linked to the risk — only to readers with
need-to-know; anyone else gets nothing at all (not even that links exist). Analysts and
administrators with need-to-know link and unlink technologies from there.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse

from econsec.technology import service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import RiskLink, Technology
from econsec.web.language import request_language
from econsec.web.roles import EDIT, has_capability, role_required


def risk_technologies(request: HttpRequest | None, code: str = "", **_: Any) -> str:
    if request is None or not service.may_see(request.user):
        return ""
    lang = request_language(request)
    linked = list(Technology.objects.filter(risks__risk_code=code).order_by("tech_id"))
    can_edit = has_capability(request.user, EDIT)
    if not linked and not can_edit:
        return ""
    rows = [{"tech": x, "name": service.tech_name(x, lang), "tier": service.rate(x).tier}
            for x in linked]  # fmt: skip
    others = Technology.objects.exclude(pk__in=[x.pk for x in linked]) if can_edit else []
    return render_to_string("technology/_risk_panel.html", {
        "rows": rows, "code": code, "can_edit": can_edit, "others": others,
    }, request=request)  # fmt: skip


@role_required(EDIT)
def risk_link(request: HttpRequest, code: str) -> HttpResponse:
    """Link (or with ``remove``, unlink) a technology to governance risk ``code``."""
    from econsec.technology.ties import link_risk

    if not service.may_see(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("technology.need_to_know")
    back = reverse("web:governance_risk", args=[code])
    if request.method != "POST":
        return HttpResponseRedirect(back)
    tech_id = request.POST.get("tech", "")
    try:
        if request.POST.get("remove"):
            RiskLink.objects.filter(technology__tech_id=tech_id, risk_code=code).delete()
        else:
            link_risk(tech_id, code)
    except TechnologyError as exc:
        return HttpResponse(exc.message(request_language(request)), status=400,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    return HttpResponseRedirect(back, status=303)
