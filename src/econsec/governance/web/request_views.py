"""Deciding a request on the page it concerns: a risk's acceptance on the risk's page, a
disclosure draft's approval on the disclosure page (the same rules as the API and the CLI:
:func:`econsec.governance.requests.decide`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from econsec.governance import requests
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Risk
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, EDIT, has_capability, role_required

from . import views


@require_POST
@role_required(EDIT)
def decide(request: HttpRequest) -> HttpResponse:
    """Approve or refuse (``decision``) the request ``ref``, with a ``reason``; back to its page,
    which shows the error in the reader's language when the decision is refused."""
    ref = request.POST.get("ref", "")
    if not ref.startswith(("risk:", "disclosure:")):
        raise Http404
    try:
        requests.decide(ref, request.POST.get("decision", ""), actor=views._user(request),
                        is_administrator=has_capability(request.user, ADMIN),
                        reason=request.POST.get("reason", ""))  # fmt: skip
    except GovernanceError as exc:
        message, status = exc.message(request_language(request)), requests.STATUS.get(exc.key, 400)
        if ref.startswith("risk:"):
            risk = Risk.objects.filter(code=ref.removeprefix("risk:")).first()
            if risk is None:
                raise Http404 from exc
            return views._render_risk(request, risk, message, status=status)
        return views._render_disclosure(request, message, status)
    return views._see_other(views.request_page(ref))
