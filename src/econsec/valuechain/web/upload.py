"""Workbook upload: store the file, queue an import job, show its progress and report."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from econsec.i18n import t
from econsec.web import jobs
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.models import Job
from econsec.web.roles import EDIT, role_required

ACCEPTED = (".xlsx", ".xlsm")
MAX_BYTES = 50 * 1024 * 1024


def body_limit() -> int:
    """The largest upload request (registered for the page and the API, apps.py)."""
    return form_limit(MAX_BYTES)


def start_import(upload: UploadedFile, user: Any) -> Job:  # type: ignore[type-arg]
    """Store the workbook and queue its import (the page and the API)."""
    target = jobs.save_upload(upload)
    return jobs.enqueue(
        "valuechain.import",
        user=user,
        params={"path": str(target), "name": upload.name},
        upload=target,
    )


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
            job = start_import(upload, request.user)
            return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
    return render(request, "valuechain/upload.html", {"error": error}, status=400 if error else 200)
