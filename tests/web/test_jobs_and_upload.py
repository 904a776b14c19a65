"""Upload → background import job → report, with the real task queue and worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from econsec.registry import register_job_kind
from econsec.valuechain.models import Organisation, SupplyLink
from econsec.web import jobs
from econsec.web.models import Job

from .workbooks import write_bad, write_good


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The worker closes stale connections between tasks; inside a test that would close the
    # test's own transaction (PostgreSQL notices). Everything else runs as in production.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def upload(client: Any, path: Path, captured: Any) -> Job:
    with captured(execute=True), path.open("rb") as fh:
        response = client.post(reverse("web:upload"), {"workbook": fh})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    return job


def test_good_workbook_imports_in_the_worker(
    client_for: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("analyst")
    job = upload(client, write_good(tmp_path / "good.xlsx"), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.QUEUED and Organisation.objects.count() == 0
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.progress == 1.0
    assert job.result["summary"]["created"] == 2 + 2 + 2 + 1 + 1
    assert SupplyLink.objects.get().item.item_id == "MAGNET"
    status = client.get(reverse("web:job_status", args=[job.pk])).json()
    assert status["finished"] and status["status"] == "succeeded"
    assert not list((tmp_path / "media" / "uploads").iterdir()), "upload kept after import"


def test_bad_workbook_fails_with_located_errors_and_writes_nothing(
    client_for: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("analyst")
    job = upload(client, write_bad(tmp_path / "bad.xlsx"), django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert Organisation.objects.count() == 0
    problems = job.result["errors"]
    places = {(p["sheet"], p["row"], p["column"]) for p in problems if p["severity"] == "error"}
    assert ("organisations", 3, "country") in places
    assert ("supply_links", 2, "receiving_site_id") in places
    assert "ja" in job.error and "en" in job.error and str(len(places)) in job.error["en"]
    page = client.get(reverse("web:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'data-testid="problems-table"' in html and "NOWHERE" in html and "ZZ" in html


def test_wrong_file_type_is_refused_on_the_form(client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("analyst").post(
        reverse("web:upload"), {"workbook": SimpleUploadedFile("x.csv", b"a,b")}
    )
    assert response.status_code == 400
    assert Job.objects.count() == 0


def test_a_crashing_handler_fails_the_job_with_its_reason(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def boom(job: Job, progress: Any) -> dict[str, Any]:
        progress(0.5, "web.import.writing")
        raise RuntimeError("disk on fire")

    register_job_kind("test.boom", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.boom", user=users["analyst"])
    assert job.task_id == "" and Job.objects.get(pk=job.pk).task_id  # queued after commit
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "disk on fire" in job.error["en"] and "disk on fire" in job.error["ja"]
    assert job.progress == 0.5


def test_jobs_of_others_are_hidden_except_from_administrators(client_for: Any, users: Any) -> None:
    job = Job.objects.create(kind="valuechain.import", created_by=users["analyst"])
    url = reverse("web:job_status", args=[job.pk])
    assert client_for("viewer").get(url).status_code == 404
    assert client_for("analyst").get(url).status_code == 200
    assert client_for("administrator").get(url).status_code == 200


def test_every_job_kind_has_a_label(db: None) -> None:
    # The jobs table and the job page name each job by its kind; an unlabelled kind is a 500.
    from econsec.i18n import catalog
    from econsec.registry import registry

    labels = catalog()
    missing = [
        k
        for k in registry.job_kinds
        if not k.startswith("test") and f"web.job.kind.{k}" not in labels
    ]
    assert not missing, missing
