"""Hostile incident evidence uploads: an oversized body (declared and streamed), odd and
Unicode names, path-traversal names. Each is refused or reduced to a plain label within the
budget, and a refusal keeps nothing — no row, no file, no temporary file."""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from econsec.characters import unwanted
from econsec.i18n import LANGUAGES
from econsec.technology import evidence
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.errors import TechnologyError
from econsec.technology.service import grant, open_incident
from tests.hostile.budget import measured
from tests.technology.chain import demo_chain_rows


@pytest.fixture
def incident(db: Any, users: Any, settings: Any, tmp_path: Path) -> m.Incident:
    settings.DATA_DIR = tmp_path / "data"
    demo_chain_rows()
    create_demo_register()
    grant("analyst", allow=True)
    return open_incident("INC-1", "x", "2026-01-01", [], [], actor="a")


def _stored(settings: Any) -> list[Path]:
    root = Path(settings.DATA_DIR) / "technology-evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_oversized_body_is_refused_before_it_is_read(incident: m.Incident, client_for: Any,
                                                     monkeypatch: Any, settings: Any) -> None:  # fmt: skip
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 64 * 1024)
    url = reverse("web:technology_incident_evidence", args=["INC-1"])
    with measured() as spent:
        answer = client_for("analyst").post(
            url, {"file": SimpleUploadedFile("big.bin", b"\0" * (2 * 1024 * 1024))}
        )
    spent.check()
    assert answer.status_code == 413
    assert not incident.evidence.exists() and _stored(settings) == []


def test_oversized_stream_stops_at_the_limit(incident: m.Incident, monkeypatch: Any,
                                             settings: Any) -> None:  # fmt: skip
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 1024 * 1024)

    class Endless(io.RawIOBase):
        read_calls = 0

        def read(self, size: int = -1) -> bytes:
            Endless.read_calls += 1
            return b"A" * (size if size > 0 else 65536)

    with measured() as spent, pytest.raises(TechnologyError) as refused:
        evidence.add(incident, "endless.log", Endless(), actor="a")  # type: ignore[arg-type]
    spent.check()
    assert Endless.read_calls <= 3  # reading stopped once past the limit
    for lang in LANGUAGES:
        assert "endless.log" in refused.value.message(lang) and "1 MB" in refused.value.message(
            lang
        )
    assert not incident.evidence.exists() and _stored(settings) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\drivers\\etc\\hosts", "hosts"),
        ("/abs/path/証拠.pdf", "証拠.pdf"),
        ("ｶﾞｸﾁｮｳ 💾 ﾛｸﾞ.txt", "ｶﾞｸﾁｮｳ 💾 ﾛｸﾞ.txt"),
        ("e\u0301crit.txt", "\u00e9crit.txt"),  # stored composed (NFC)
    ],
)
def test_path_names_become_labels_only(incident: m.Incident, client_for: Any, settings: Any,
                                       tmp_path: Path, name: str, kept: str) -> None:  # fmt: skip
    url = reverse("web:technology_incident_evidence", args=["INC-1"])
    upload = SimpleUploadedFile("placeholder", b"content of " + name.encode())
    upload.name = name  # the name as the browser sent it, before any cleaning by Django
    row = evidence.add(incident, name, io.BytesIO(b"content of " + name.encode()), actor="a")
    assert row.name == kept
    stored = _stored(settings)
    assert [p.name for p in stored] == [row.sha256]
    assert all(p.resolve().is_relative_to(Path(settings.DATA_DIR).resolve()) for p in stored)
    assert not (tmp_path / "etc").exists()
    # Through the page the same name is accepted the same way.
    assert client_for("analyst").post(url, {"file": upload}).status_code == 303


@pytest.mark.parametrize(
    ("name", "must_name"),
    [
        ("invoice\u202efdp.exe", "U+202E"),
        ("log\x00.txt", "U+0000"),
        ("a\u200bb.txt", "U+200B"),
        ("../..", ""),
        ("/", ""),
    ],
)
def test_lying_or_empty_names_are_refused(incident: m.Incident, settings: Any, name: str,
                                          must_name: str) -> None:  # fmt: skip
    with measured() as spent, pytest.raises(TechnologyError) as refused:
        evidence.add(incident, name, io.BytesIO(b"data"), actor="a")
    spent.check()
    for lang in LANGUAGES:
        assert must_name in refused.value.message(lang)
    assert not incident.evidence.exists() and _stored(settings) == []


def test_empty_file_is_refused(incident: m.Incident, client_for: Any, settings: Any) -> None:
    url = reverse("web:technology_incident_evidence", args=["INC-1"])
    answer = client_for("analyst").post(url, {"file": SimpleUploadedFile("empty.txt", b"")})
    assert answer.status_code == 400 and "empty.txt" in answer.content.decode()
    assert not incident.evidence.exists() and _stored(settings) == []


# ------------------------------------------------------------------ the same through the API


def _api(name: str, *args: Any) -> str:
    return reverse(f"api:technology_incident_evidence_{name}", args=["INC-1", *args])


def test_api_oversized_body_is_refused_before_it_is_read(incident: m.Incident, client_for: Any,
                                                         settings: Any) -> None:  # fmt: skip
    # A real body over the registered limit (25 MB + the form allowance): refused by size alone.
    big = SimpleUploadedFile("big.bin", b"\0" * (evidence.limit() + 2 * 1024 * 1024))
    with measured() as spent:
        answer = client_for("analyst").post(_api("add"), {"file": big}, HTTP_ACCEPT_LANGUAGE="ja")
    spent.check()
    assert answer.status_code == 413 and "MB" in answer.json()["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []


def test_api_file_over_the_limit_within_the_body_allowance(incident: m.Incident,
                                                           client_for: Any, settings: Any) -> None:  # fmt: skip
    # Past the file limit but within the body's allowance for the form around it.
    over = SimpleUploadedFile("over.bin", b"\1" * (evidence.limit() + 1))
    with measured() as spent:
        answer = client_for("analyst").post(_api("add"), {"file": over})
    spent.check()
    assert answer.status_code == 413 and "over.bin" in answer.json()["detail"]
    assert "25 MB" in answer.json()["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"file": "x"}'),
        ("text/html", b"<script>alert(1)</script>"),
        ("application/xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        ("multipart/mixed; boundary=z", b"--z\r\n\r\nx\r\n--z--\r\n"),
        ("", b"raw bytes"),
    ],
)
def test_api_wrong_body_types_are_415(incident: m.Incident, client_for: Any, settings: Any,
                                      content_type: str, body: bytes) -> None:  # fmt: skip
    with measured() as spent:
        answer = client_for("analyst").generic("POST", _api("add"), body,
                                               content_type=content_type)  # fmt: skip
    spent.check()
    assert answer.status_code == 415, answer.content
    assert "multipart/form-data" in answer.json()["detail"]
    assert "<script>" not in answer.content.decode()
    assert not incident.evidence.exists() and _stored(settings) == []


def test_api_broken_multipart_is_refused_not_a_server_error(incident: m.Incident,
                                                            client_for: Any, settings: Any) -> None:  # fmt: skip
    answer = client_for("analyst").generic(
        "POST", _api("add"), b"--nope\r\nContent-Disposition: form-data; name=\"file\"",
        content_type="multipart/form-data; boundary=other",
    )  # fmt: skip
    assert answer.status_code == 400
    assert not incident.evidence.exists() and _stored(settings) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\drivers\\etc\\hosts", "hosts"),
        ("/abs/path/証拠.pdf", "証拠.pdf"),
        ("ｶﾞｸﾁｮｳ 💾 ﾛｸﾞ.txt", "ｶﾞｸﾁｮｳ 💾 ﾛｸﾞ.txt"),
        # The client's header then carries two filenames: the parser keeps the last.
        ('quote"; filename="x.html', "x.html"),
    ],
)
def test_api_path_names_become_labels_and_download_safely(
    incident: m.Incident, client_for: Any, settings: Any, tmp_path: Path, name: str, kept: str
) -> None:
    client = client_for("analyst")
    upload = SimpleUploadedFile("placeholder", b"content of " + name.encode())
    upload.name = name  # as the client sent it
    made = client.post(_api("add"), {"file": upload})
    assert made.status_code == 201, made.content
    stored = _stored(settings)
    assert [p.name for p in stored] == [made.json()["sha256"]]
    assert all(p.resolve().is_relative_to(Path(settings.DATA_DIR).resolve()) for p in stored)
    assert not (tmp_path / "etc").exists()
    row = incident.evidence.get()
    # Django's multipart parser already drops directories; either way only a label is kept.
    assert row.name in (kept, PurePosixPath(kept).name)
    got = client.get(_api("file", row.pk))
    assert got.status_code == 200 and got["X-Content-Type-Options"] == "nosniff"
    disposition = got["Content-Disposition"]
    # The plain filename is fixed; the real one only percent-encoded: no header injection.
    assert disposition.startswith(f"attachment; filename=\"evidence-{row.pk}\"; filename*=UTF-8''")
    assert '"' not in disposition.split("filename*=")[1] and "\n" not in disposition


@pytest.mark.parametrize(
    ("name", "shown"),
    [("invoice\u202efdp.exe", "invoicefdp.exe"), ("a\u200bb.txt", "ab.txt"),
     ("log\x01.txt", "log.txt"), ("log\x00.txt", "log.txt")],
)  # fmt: skip
def test_api_lying_names_never_reach_the_label(incident: m.Incident, client_for: Any,
                                               name: str, shown: str) -> None:  # fmt: skip
    # Django's multipart parser drops characters that do not print before the view sees the
    # name (the store's own check, tested above, refuses them from every other caller).
    upload = SimpleUploadedFile("placeholder", b"data")
    upload.name = name
    answer = client_for("analyst").post(_api("add"), {"file": upload})
    assert answer.status_code == 201, answer.content
    assert incident.evidence.get().name == shown == answer.json()["name"]
    assert unwanted(answer.json()["name"]) is None


@pytest.mark.parametrize(
    ("description", "must_name"),
    [("before\x00after", "U+0000"), ("ok\u202etxt", "U+202E"), ("a\u200bb", "U+200B")],
)
def test_api_lying_descriptions_are_refused(incident: m.Incident, client_for: Any,
                                            settings: Any, description: str, must_name: str) -> None:  # fmt: skip
    client = client_for("analyst")
    for lang in LANGUAGES:
        answer = client.post(_api("add"), {"file": SimpleUploadedFile("a.txt", b"data"),
                                           "description": description}, HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
        assert answer.status_code == 400, answer.content
        assert must_name in answer.json()["detail"]
    assert not incident.evidence.exists() and _stored(settings) == []
