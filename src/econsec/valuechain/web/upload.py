"""Workbook upload: store the file, queue an import job, show its progress and report."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from econsec.i18n import t
from econsec.web import jobs
from econsec.web.language import request_language
from econsec.web.roles import EDIT, role_required

ACCEPTED = (".xlsx", ".xlsm")
MAX_BYTES = 50 * 1024 * 1024


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


@role_required(EDIT)
def upload_workbook(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        if upload is None:
            error = t("web.upload.missing", lang)
        elif not (upload.name or "").lower().endswith(ACCEPTED):
            error = t("web.upload.bad_type", lang, name=upload.name)
        elif (upload.size or 0) > MAX_BYTES:
            error = t("web.upload.too_big", lang, name=upload.name, limit="50 MB")
        else:
            # A random name on disk: the user's file name is kept only as data.
            target = upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job = jobs.enqueue(
                "valuechain.import",
                user=request.user,
                params={"path": str(target), "name": upload.name},
            )
            return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
    return render(request, "valuechain/upload.html", {"error": error}, status=400 if error else 200)
