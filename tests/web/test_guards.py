"""What every request passes first (econsec.web.guards): body limits, busy database, CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import reverse

from econsec.registry import registry
from econsec.web.guards import FORM_ALLOWANCE, database_busy
from econsec.web.models import Job

from .test_url_matrix import MATRIX, served_url_names

MiB = 1024 * 1024


def _post_claiming(client: Client, url: str, size: int, **extra: Any) -> Any:
    # The body is a few bytes; the Content-Length claims more. A guard that read the body
    # would wait for bytes that never come; this one answers from the header alone.
    return client.post(
        url, data=b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(size), **extra
    )


def test_a_body_over_the_global_limit_is_refused_from_its_content_length(
    client_for: Any, settings: Any
) -> None:
    settings.ECONSEC_MAX_REQUEST_BYTES = 2 * MiB
    client = client_for("analyst")
    page = _post_claiming(client, reverse("web:set_language"), 3 * MiB, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 413 and page["Connection"] == "close"
    assert "The request (3.0 MB) exceeds the limit (2.0 MB)." in page.content.decode()
    page = _post_claiming(client, reverse("web:set_language"), 3 * MiB, HTTP_ACCEPT_LANGUAGE="ja")
    assert "上限（2.0 MB）を超えています" in page.content.decode()
    api = _post_claiming(client, reverse("api:import"), 3 * MiB)
    assert api.status_code == 413 and api["Content-Type"] == "application/json"
    assert "limit (2.0 MB)" in api.json()["detail"] or "上限" in api.json()["detail"]
    # At the limit it passes on to the page (which then finds no language in it).
    assert _post_claiming(client, reverse("web:set_language"), 2 * MiB).status_code != 413


@pytest.mark.parametrize(
    ("name", "kwargs", "file_limit"),
    [
        ("web:upload", {}, 50 * MiB),
        ("api:import", {}, 50 * MiB),
        ("web:stress_new", {}, 512 * 1024),
        ("web:assessment_import", {"campaign_id": 1}, 10 * MiB),
        ("web:assessment_evidence_add", {"campaign_id": 1}, 25 * MiB),
    ],
)
def test_upload_pages_refuse_a_body_over_their_own_limit(
    client_for: Any, name: str, kwargs: dict[str, Any], file_limit: int
) -> None:
    client = client_for("analyst")
    url = reverse(name, kwargs=kwargs)
    limit = file_limit + FORM_ALLOWANCE
    assert _post_claiming(client, url, limit + 1).status_code == 413
    assert _post_claiming(client, url, limit).status_code != 413


def test_every_registered_body_limit_names_a_served_view() -> None:
    names = served_url_names()
    assert registry.body_limits, "no capability registered a body limit"
    assert set(registry.body_limits) <= names, set(registry.body_limits) - names


def test_the_assessment_import_checks_the_size_of_the_file(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from econsec.guideline.web import views
    from tests.web.test_url_matrix import _campaign

    monkeypatch.setattr(views, "ASSESSMENT_MAX_BYTES", 100)
    campaign = _campaign({})["campaign_id"]
    response = client_for("analyst").post(
        reverse("web:assessment_import", args=[campaign]),
        {"workbook": SimpleUploadedFile("big.xlsx", b"x" * 101)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "is larger than the limit" in response.content.decode()


def _locked() -> OperationalError:
    try:
        raise OperationalError("database is locked")
    except OperationalError as exc:
        return exc


def test_a_locked_database_in_a_view_is_a_retryable_503(
    users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from econsec.web import throttle

    def locked(*args: Any, **kwargs: Any) -> None:
        raise _locked()

    monkeypatch.setattr(throttle, "record_failure", locked)
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("web:login"), {"username": "viewer", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "The database is busy" in response.content.decode()
    assert response["Content-Security-Policy"]


def test_a_locked_database_below_the_views_is_a_503_too(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Saving the session happens in a middleware, after the view: Django has already turned
    # the exception into a 500 by the time it reaches the guard.
    from django.contrib.sessions.backends.db import SessionStore

    def locked(self: Any, must_create: bool = False) -> None:
        raise _locked()

    client = client_for("viewer")
    client.raise_request_exception = False
    monkeypatch.setattr(SessionStore, "save", locked)
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_only_busy_databases_count_as_busy() -> None:
    assert database_busy(_locked())
    assert not database_busy(OperationalError("no such table: web_job"))
    assert not database_busy(ValueError("database is locked"))

    class LockTimeout(Exception):
        sqlstate = "55P03"

    try:
        try:
            raise LockTimeout("canceling statement due to lock timeout")
        except LockTimeout as cause:
            raise OperationalError("lock timeout") from cause
    except OperationalError as wrapped:
        assert database_busy(wrapped)


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
_INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_every_page_has_the_policy_and_nothing_it_would_block(
    client_for: Any, chain: Any, users: Any, settings: Any
) -> None:
    client = client_for("administrator")
    job = Job.objects.create(kind="valuechain.import", created_by=users["administrator"])
    checked = 0
    for name, entry in sorted(MATRIX.items()):
        if entry.method != "get" or entry.api or entry.allowed != 200:
            continue
        with transaction.atomic():  # each page's own fixtures, undone after it
            url = reverse(name, kwargs=entry.kwargs({"job_id": job.pk}))
            response = client.get(url, entry.data() if entry.data else {})
            transaction.set_rollback(True)
        assert response.status_code == 200, (name, response.status_code)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert " style=" not in html, (name, html[html.index(" style=") - 200 :][:300])
        assert not _INLINE_SCRIPT.search(html), name
        assert not _INLINE_HANDLER.search(html), name
        checked += 1
    assert checked > 30


def test_the_token_page_is_never_stored(client_for: Any) -> None:
    client = client_for("viewer")
    response = client.post(reverse("web:tokens"), {"action": "create", "name": "ci"})
    assert response.status_code == 200 and 'data-testid="new-token"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(reverse("web:tokens"))["Cache-Control"]


def test_nul_characters_are_refused_in_text_but_not_in_files(client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("analyst")
    # PostgreSQL cannot store NUL: the API fuzz pass found it as a 500 in a list filter.
    found = client.get("/api/screening/hits?list_name=a%00b", HTTP_ACCEPT_LANGUAGE="en")
    assert found.status_code == 400 and "NUL" in found.json()["detail"]
    body = b'{"framework": "x\\u0000", "name": "n"}'
    posted = client.post("/api/assessment/campaigns", body, content_type="application/json")
    assert posted.status_code == 400 and "NUL" in posted.json()["detail"]
    # An escaped backslash before "u0000" is text, not a NUL.
    body = b'{"framework": "x\\\\u0000", "name": "n"}'
    posted = client.post("/api/assessment/campaigns", body, content_type="application/json")
    assert posted.status_code != 400 or "NUL" not in posted.content.decode()
    form = client.post(
        reverse("web:set_language"),
        "language=en%00",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 400
    # A workbook is binary: NUL bytes in an uploaded file are its own business.
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x00\x00\x00")
    assert client.post(reverse("web:upload"), {"workbook": upload}).status_code == 302


def test_a_nul_the_database_refuses_is_a_400(users: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A multipart form's text fields are not read ahead of the view; PostgreSQL's refusal of a
    # NUL is answered as the guard would have answered it.
    from django.db import DataError

    from econsec.web import throttle

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(throttle, "locked_until", refuse)
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("web:login"), {"username": "a\x00b", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "NUL" in response.content.decode()
