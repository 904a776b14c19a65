"""The supplier upload page: a secret link, no account, only that supplier's own workbook.

The token is the key (kept hashed); an unknown token gets the same plain 404 whatever was
tried, an expired one a 410 saying so. The page shows the supplier's own company, its own
workbook to download and its own upload's located errors, in its language (ja, en, zh), and
nothing else of the chain. Uploads are limited in size (registered body limit) and in number
per hour per link.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from econsec.survey.answers import LIMITS, Problem
from econsec.survey.campaigns import find_by_token
from econsec.survey.models import Request
from econsec.survey.text import SUPPLIER_LANGUAGES, tr
from econsec.web.guards import form_limit
from econsec.web.roles import PUBLIC, role_required

_TEXTS = ("title", "lead", "download", "upload", "choose", "expires", "accepted", "errors",
          "expired", "too_many", "no_file", "too_large")  # fmt: skip


def body_limit() -> int:
    """One questionnaire (registered in apps.py)."""
    return form_limit(LIMITS.max_bytes)


def _request(token: str) -> Request:
    found = find_by_token(token)
    if found is None:
        raise Http404("no such link")
    return found


def _lang(request: HttpRequest, req: Request) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    return asked if asked in SUPPLIER_LANGUAGES else req.language


def _page(
    request: HttpRequest, req: Request, lang: str, status: int = 200, **extra: Any
) -> HttpResponse:
    texts = {k: tr(f"survey.supplier.{k}", lang) for k in _TEXTS}
    context = {"req": req, "lang": lang, "texts": texts, "languages": SUPPLIER_LANGUAGES,
               "status_label": tr(f"survey.status.{req.status}", lang), **extra}  # fmt: skip
    return render(request, "survey/supplier.html", context, status=status)


@role_required(PUBLIC)
def upload_page(request: HttpRequest, token: str) -> HttpResponse:
    req = _request(token)
    lang = _lang(request, req)
    if req.expires_at < timezone.now():
        return _page(request, req, lang, 410, expired=True)
    if request.method != "POST":
        return _page(request, req, lang)
    from econsec.survey.returns import count_upload, receive_upload

    if not count_upload(req):
        return _page(request, req, lang, 429, message=tr("survey.supplier.too_many", lang))
    upload = request.FILES.get("workbook")
    if upload is None:
        return _page(request, req, lang, 400, message=tr("survey.supplier.no_file", lang))
    if upload.size is None or upload.size > LIMITS.max_bytes:
        return _page(request, req, lang, 413, message=tr("survey.supplier.too_large", lang))
    answer = receive_upload(req, upload.chunks(), name=upload.name or "", via="upload")
    errors = [Problem.from_dict(p).message(lang) for p in answer.errors]
    req.refresh_from_db()
    return _page(request, req, lang, 200 if answer.ok else 400, errors=errors, accepted=answer.ok)


@role_required(PUBLIC)
def own_workbook(request: HttpRequest, token: str) -> HttpResponse:
    """The supplier's own pre-filled workbook, again."""
    from econsec.survey.campaigns import brief, load_chain
    from econsec.survey.questionnaire import fill

    req = _request(token)
    if req.expires_at < timezone.now():
        raise Http404("expired")
    made = brief(req, load_chain())
    response = HttpResponse(fill(made), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{made.file_name()}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
