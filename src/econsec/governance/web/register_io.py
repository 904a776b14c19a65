"""The risk register as a workbook on the web: download it, and upload it back.

The upload is read by the same all-or-nothing reader as ``econsec risk import``
(:func:`econsec.governance.risk_xlsx.read`): the workbook guard first, then every row checked;
one problem and nothing is written. The body limit is registered with the shell, so a larger
request is refused on its Content-Length before it is read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from econsec.characters import unwanted
from econsec.governance import risk_xlsx
from econsec.i18n import t
from econsec.sheet_problems import ImportProblems
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, role_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_limit() -> int:
    return form_limit(risk_xlsx.LIMITS.max_bytes)


def _refused(request: HttpRequest, lines: list[str], status: int) -> HttpResponse:
    return render(request, "governance/risk_import.html",
                  {"lang": request_language(request), "problems": lines}, status=status)  # fmt: skip


def _safe_name(name: str) -> str:
    # The user's file name appears in located messages; one that could lie there is replaced.
    base = Path(name).name
    ok = base.lower().endswith(".xlsx") and len(base) <= 120 and unwanted(base) is None
    return base if ok else "upload.xlsx"


@require_POST
@role_required(EDIT)
def risk_import(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    upload = request.FILES.get("workbook")
    if upload is None or not (upload.name or "").lower().endswith(".xlsx"):
        return _refused(request, [t("governance.web.import.need_xlsx", lang)], 400)
    limit = risk_xlsx.LIMITS.max_bytes
    if (upload.size or 0) > limit:
        size = f"{limit // (1024 * 1024)} MB"
        return _refused(request, [t("governance.web.import.too_large", lang, limit=size)], 413)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / _safe_name(upload.name or "")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            created, changed = risk_xlsx.import_workbook(
                path, actor=str(request.user.get_username())
            )
        except ImportProblems as exc:
            lines = [p.message(lang) for p in exc.problems[:200]]
            lines.append(t("governance.xlsx.nothing_written", lang, count=len(exc.problems)))
            return _refused(request, lines, 400)
    messages.success(request, t("governance.xlsx.imported", lang, created=created,
                                changed=changed))  # fmt: skip
    response = HttpResponseRedirect(reverse("web:governance_risks"))
    response.status_code = 303
    return response


@role_required(READ)
def risk_export(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "risks.xlsx"
        risk_xlsx.export(path, lang)
        data = path.read_bytes()
    response = HttpResponse(data, content_type=XLSX_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="risk-register-{stamp}.xlsx"'
    return response
