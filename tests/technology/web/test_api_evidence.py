"""Incident evidence through the API: list, upload (multipart, with a description) and download
— SHA-256 stored and returned, re-hashed on download (an altered file is 409, never served),
the size limit (413) and the content type (415) refused in the caller's language, nothing kept
on a refusal, the audit trail told, need-to-know and the edit role checked first."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from econsec import trail
from econsec.technology import evidence
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant, open_incident
from econsec.web.models import ApiToken
from tests.technology.chain import demo_chain_rows

BYTES = "ログ抜粋: 2026-02-02 USB 挿入\n".encode() * 40


@pytest.fixture
def incident(db: Any, users: Any, settings: Any, tmp_path: Path) -> m.Incident:
    settings.DATA_DIR = tmp_path / "data"
    demo_chain_rows()
    create_demo_register()
    return open_incident("INC-7", "USBメモリの持出し", "2026-02-02", ["T-INV-CTL"],
                         ["people.employees"], actor="suzuki")  # fmt: skip


@pytest.fixture
def heard() -> Any:
    events: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        events.append(kwargs)

    trail.evidence.connect(listen, dispatch_uid="test_api_evidence")
    yield events
    trail.evidence.disconnect(dispatch_uid="test_api_evidence")


def _list(code: str = "INC-7") -> str:
    return reverse("api:technology_incident_evidence_list", args=[code])


def _add(code: str = "INC-7") -> str:
    return reverse("api:technology_incident_evidence_add", args=[code])


def _file(evidence_id: int, code: str = "INC-7") -> str:
    return reverse("api:technology_incident_evidence_file", args=[code, evidence_id])


def _stored(settings: Any) -> list[Path]:
    root = Path(settings.DATA_DIR) / "technology-evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(client: Any, name: str, data: bytes, description: str = "", lang: str = "en",
            code: str = "INC-7") -> Any:  # fmt: skip
    body = {"file": SimpleUploadedFile(name, data), "description": description}
    return client.post(_add(code), body, HTTP_ACCEPT_LANGUAGE=lang)


def test_upload_list_and_download_with_the_hash(incident: m.Incident, client_for: Any,
                                                heard: list[dict[str, Any]],
                                                settings: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    made = _upload(client, "usb-log.txt", BYTES, "端末のUSBログ(情報システム部提供)")
    assert made.status_code == 201, made.content
    body = made.json()
    want = hashlib.sha256(BYTES).hexdigest()  # computed here, independently of the store
    assert body["sha256"] == want and body["size"] == len(BYTES)
    assert body["name"] == "usb-log.txt" and body["actor"] == "analyst"
    assert body["description"] == "端末のUSBログ(情報システム部提供)"
    assert body["download"] == _file(body["id"])
    row = incident.evidence.get()
    assert (row.sha256, row.description) == (want, body["description"])
    # The store keeps it under its hash; the page shows the description too.
    assert [p.name for p in _stored(settings)] == [want]
    listed = client.get(_list()).json()
    assert listed == [body]
    got = client.get(_file(body["id"]))
    assert got.status_code == 200 and got.content == BYTES
    assert got["Content-Type"] == "application/octet-stream"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("attachment;")
    assert "usb-log.txt" in got["Content-Disposition"]
    assert hashlib.sha256(got.content).hexdigest() == want
    # The audit trail records the upload by hash and size (not the name: auditors may lack
    # need-to-know).
    events = [e for e in heard if e["action"] == "technology.incident.evidence"]
    assert len(events) == 1 and events[0]["actor"] == "analyst"
    assert events[0]["detail"] == {"sha256": want, "size": len(BYTES)}
    assert events[0]["ref"] == f"incident:{incident.pk}"
    page = client.get(reverse("web:technology_incident", args=["INC-7"])).content.decode()
    assert "端末のUSBログ(情報システム部提供)" in page


def test_a_bearer_token_uploads_too(incident: m.Incident, users: Any) -> None:
    from django.test import Client

    grant("analyst", allow=True)
    token = ApiToken.issue(users["analyst"], "evidence")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    made = client.post(_add(), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    assert made.status_code == 201, made.content
    assert made.json()["description"] == ""
    assert client.get(_file(made.json()["id"])).content == b"%PDF-1.4 x"


def test_an_altered_file_is_409_not_served(incident: m.Incident, client_for: Any,
                                           settings: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    made = _upload(client, "memo.txt", b"original memo").json()
    [path] = _stored(settings)
    path.write_bytes(b"altered memo!")  # same length, other content
    for lang, text in (("en", "may have been altered"), ("ja", "改変の可能性")):
        got = client.get(_file(made["id"]), HTTP_ACCEPT_LANGUAGE=lang)
        assert got.status_code == 409
        assert text in got.json()["detail"] and made["sha256"] in got.json()["detail"]
        assert b"altered memo!" not in got.content
    path.unlink()
    gone = client.get(_file(made["id"]))
    assert gone.status_code == 409 and made["sha256"] in gone.json()["detail"]


def test_the_same_content_twice_is_kept_once(incident: m.Incident, client_for: Any,
                                             settings: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    first = _upload(client, "a.txt", b"same bytes").json()
    second = _upload(client, "b.txt", b"same bytes", "copy").json()
    assert first["sha256"] == second["sha256"] and first["id"] != second["id"]
    assert len(_stored(settings)) == 1
    assert [e["name"] for e in client.get(_list()).json()] == ["a.txt", "b.txt"]


def test_too_large_is_413_named_and_keeps_nothing(incident: m.Incident, client_for: Any,
                                                  settings: Any, monkeypatch: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 64 * 1024)
    client = client_for("analyst")
    for lang, text in (("en", "larger than"), ("ja", "上限")):
        answer = _upload(client, "dump.bin", b"x" * (64 * 1024 + 1), lang=lang)
        assert answer.status_code == 413
        detail = answer.json()["detail"]
        assert "dump.bin" in detail and text in detail and "0.0625 MB" in detail
    assert not incident.evidence.exists() and _stored(settings) == []


def test_the_real_limit_is_25_mb_and_the_body_limit_follows(incident: m.Incident) -> None:
    from django.test import RequestFactory

    from econsec.web.guards import body_limit

    assert evidence.limit() == 25 * 1024 * 1024
    request = RequestFactory().post(_add())
    assert body_limit(request) == 25 * 1024 * 1024 + 1024 * 1024


def test_a_declared_body_over_the_limit_is_refused_before_reading(
    incident: m.Incident, client_for: Any, settings: Any
) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    answer = client.generic(
        "POST", _add(), b"", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(30 * 1024 * 1024), HTTP_ACCEPT_LANGUAGE="ja",
    )  # fmt: skip
    assert answer.status_code == 413
    assert "MB" in json.loads(answer.content)["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", json.dumps({"file": "aGVsbG8=", "description": "x"})),
        ("application/x-www-form-urlencoded", "description=x&file=hello"),
        ("text/plain", "hello"),
        ("application/octet-stream", "hello"),
    ],
)
def test_anything_but_multipart_is_415(incident: m.Incident, client_for: Any, settings: Any,
                                       content_type: str, body: str) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    for lang, text in (("en", "multipart/form-data"), ("ja", "multipart/form-data で送って")):
        answer = client.post(_add(), body, content_type=content_type, HTTP_ACCEPT_LANGUAGE=lang)
        assert answer.status_code == 415
        assert text in answer.json()["detail"] and content_type in answer.json()["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []


@pytest.mark.parametrize(
    ("form", "en", "ja"),
    [
        ({}, "Choose an evidence file", "証拠ファイルを選んでください"),
        ({"file": SimpleUploadedFile("empty.txt", b"")}, "'empty.txt' is empty", "空です"),
        ({"file": SimpleUploadedFile("a.txt", b"x"), "description": "d" * 2001},
         "2001 characters long (at most 2000)", "上限 2000 文字"),
        ({"file": SimpleUploadedFile("a.txt", b"x"), "description": "ok\u202etxt"},
         "position 3: U+202E", "3 文字目"),
    ],
)  # fmt: skip
def test_refusals_are_located_in_the_callers_language(
    incident: m.Incident, client_for: Any, settings: Any, form: dict[str, Any], en: str, ja: str
) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    for lang, text in (("en", en), ("ja", ja)):
        for value in form.values():
            if hasattr(value, "seek"):
                value.seek(0)
        answer = client.post(_add(), form, HTTP_ACCEPT_LANGUAGE=lang)
        assert answer.status_code == 400, answer.content
        assert text in answer.json()["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []


def test_unknown_incident_and_file_are_404(incident: m.Incident, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    assert client.get(_list("INC-NOPE")).status_code == 404
    missing = _upload(client, "a.txt", b"x", code="INC-NOPE")
    assert missing.status_code == 404 and "INC-NOPE" in missing.json()["detail"]
    assert client.get(_file(99)).status_code == 404
    assert client.get(_file(2**63)).status_code == 404
    # A file of another incident is not served under this one.
    other = open_incident("INC-8", "別件", "2026-02-03", [], [], actor="a")
    made = _upload(client, "a.txt", b"x", code="INC-8").json()
    assert client.get(_file(made["id"])).status_code == 404
    assert client.get(_file(made["id"], code="INC-8")).status_code == 200
    assert other.evidence.count() == 1


def test_without_need_to_know_nothing_is_named_or_kept(incident: m.Incident, client_for: Any,
                                                       settings: Any) -> None:  # fmt: skip
    grant("administrator", allow=True)
    made = _upload(client_for("administrator"), "secret-name.txt", b"x").json()
    for who in ("viewer", "auditor", "analyst", "administrator"):
        if who == "administrator":
            grant("administrator", allow=False)
        client = client_for(who)
        for url in (_list(), _file(made["id"]), _list("INC-NOPE")):
            answer = client.get(url)
            assert answer.status_code == 403, (who, url)
            assert b"secret-name" not in answer.content and b"INC" not in answer.content
        upload = _upload(client, "b.txt", b"y")
        assert upload.status_code == 403, who
        # Even a wrong content type is a 403 first: the check comes before anything else.
        assert client.post(_add(), "{}", content_type="application/json").status_code == 403
    assert incident.evidence.count() == 1 and len(_stored(settings)) == 1


def test_need_to_know_without_edit_reads_but_cannot_upload(incident: m.Incident,
                                                           client_for: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    grant("viewer", allow=True)
    made = _upload(client_for("analyst"), "a.txt", b"x").json()
    viewer = client_for("viewer")
    assert viewer.get(_list()).json()[0]["sha256"] == made["sha256"]
    assert viewer.get(_file(made["id"])).content == b"x"
    assert _upload(viewer, "b.txt", b"y").status_code == 403
    assert incident.evidence.count() == 1


def test_the_evidence_operations_are_in_the_openapi_schema(client_for: Any) -> None:
    doc = client_for("viewer").get(reverse("api:openapi-json")).json()
    path = doc["paths"]["/api/technology/incidents/{code}/evidence"]
    upload = path["post"]["requestBody"]
    assert upload["required"] is True
    form = upload["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"] and form["properties"]["file"]["format"] == "binary"
    assert path["get"]["tags"] == ["technology"]
    download = doc["paths"]["/api/technology/incidents/{code}/evidence/{evidence_id}"]["get"]
    assert "application/octet-stream" in download["responses"]["200"]["content"]
