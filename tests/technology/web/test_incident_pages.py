"""An incident on the web: its timeline records each status change and update with when and
who; evidence files are kept by hash, served back as downloads, and re-hashed on reading."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant, open_incident
from tests.technology.chain import demo_chain_rows


@pytest.fixture
def incident(db: Any, users: Any, settings: Any, tmp_path: Any) -> m.Incident:
    settings.DATA_DIR = tmp_path / "data"
    demo_chain_rows()
    create_demo_register()
    return open_incident("INC-7", "USBメモリの持出し", "2026-02-02", ["T-INV-CTL"],
                         ["people.employees"], actor="suzuki")  # fmt: skip


def _url(name: str, *args: Any) -> str:
    return reverse(f"web:technology_incident{name}", args=["INC-7", *args])


def test_timeline_records_status_changes_with_when_and_who(incident: m.Incident,
                                                           client_for: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    assert (
        client.post(_url("_update"), {"status": "contained", "note": "端末を隔離"}).status_code
        == 303
    )
    assert client.post(_url("_update"), {"note": "本人に聴取"}).status_code == 303
    # Backwards and a silent skip are refused with the reason, and change nothing.
    back = client.post(_url("_update"), {"status": "detected"})
    assert back.status_code == 400 and "戻せません" in back.content.decode()
    skip = client.post(_url("_update"), {"status": "reported"})
    assert skip.status_code == 400
    empty = client.post(_url("_update"), {"note": "  "})
    assert empty.status_code == 400
    incident.refresh_from_db()
    assert incident.status == "contained"
    events = list(incident.events.values_list("status", "actor", "note"))
    assert events == [("detected", "suzuki", ""), ("contained", "analyst", "端末を隔離"),
                      ("contained", "analyst", "本人に聴取")]  # fmt: skip
    times = [e.at for e in incident.events.all()]
    assert times == sorted(times) and all(t is not None for t in times)
    page = client.get(_url("")).content.decode()
    assert "端末を隔離" in page and "本人に聴取" in page and 'data-testid="update-form"' in page
    # Remediating the incident takes it off the route's rating.
    client.post(_url("_update"), {"status": "remediated", "note": "規程改定・教育実施"})
    from econsec.technology.service import compute

    assert int(compute().result.incidents.sum()) == 0


def test_evidence_is_kept_by_hash_and_served_as_a_download(incident: m.Incident,
                                                           client_for: Any, settings: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    body = "ログ抜粋\n".encode() * 100
    sent = client.post(_url("_evidence"),
                       {"file": SimpleUploadedFile("アクセスログ 2026-02.txt", body)})  # fmt: skip
    assert sent.status_code == 303
    row = incident.evidence.get()
    assert row.name == "アクセスログ 2026-02.txt" and row.size == len(body)
    assert row.sha256 == hashlib.sha256(body).hexdigest() and row.actor == "analyst"
    kept = settings.DATA_DIR / "technology-evidence" / row.sha256[:2] / row.sha256
    assert kept.read_bytes() == body
    got = client.get(_url("_file", row.pk))
    assert got.status_code == 200 and got.content == body
    assert got["Content-Type"] == "application/octet-stream"
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    # A file altered on disk is reported, not served.
    kept.write_bytes(b"altered")
    tampered = client.get(_url("_file", row.pk))
    assert tampered.status_code == 409 and b"altered" not in tampered.content


@pytest.mark.parametrize("who", ["viewer", "auditor", "analyst", "administrator"])
def test_without_need_to_know_nothing_about_the_incident(incident: m.Incident, who: str,
                                                         client_for: Any) -> None:  # fmt: skip
    client = client_for(who)
    secrets = ["USBメモリの持出し", "T-INV-CTL", "SiCインバータ"]
    for url in (_url(""), _url("_file", 1)):
        page = client.get(url)
        assert page.status_code == 404
        assert not [s for s in secrets if s in page.content.decode()]
        # The same answer as for an unknown code of the same length (only the typed code echoes).
        missing = client.get(url.replace("INC-7", "INC-8"))
        assert missing.status_code == 404
        assert len(page.content) == len(missing.content)
    for url, data in ((_url("_update"), {"status": "contained"}),
                      (_url("_evidence"), {"file": SimpleUploadedFile("a.txt", b"x")})):  # fmt: skip
        refused = client.post(url, data)
        assert refused.status_code == 403
        assert not [s for s in secrets if s in refused.content.decode()]
    incident.refresh_from_db()
    assert incident.status == "detected" and not incident.evidence.exists()


def test_a_viewer_with_need_to_know_reads_but_cannot_change(incident: m.Incident,
                                                            client_for: Any) -> None:  # fmt: skip
    grant("viewer", allow=True)
    client = client_for("viewer")
    page = client.get(_url(""))
    assert page.status_code == 200 and 'data-testid="update-form"' not in page.content.decode()
    assert client.post(_url("_update"), {"status": "contained"}).status_code == 403


def test_notes_stay_out_of_the_audit_trail(incident: m.Incident, client_for: Any) -> None:
    # Auditors read the trail without need-to-know; a note may name the technology.
    grant("analyst", allow=True)
    client_for("analyst").post(_url("_update"), {"status": "contained",
                                                 "note": "SiCインバータ制御の持出し"})  # fmt: skip
    from econsec.governance.models import AuditEvent

    assert AuditEvent.objects.filter(action="technology.incident.contained").exists()
    page = client_for("auditor").get(reverse("web:governance_audit"))
    assert page.status_code == 200 and "SiCインバータ" not in page.content.decode()
    for row in AuditEvent.objects.all():
        assert "SiCインバータ" not in f"{row.reason} {row.detail}"


def test_the_page_form_keeps_a_description_with_the_file(incident: m.Incident,
                                                          client_for: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    sent = client.post(_url("_evidence"), {"file": SimpleUploadedFile("log.txt", b"usb log"),
                                           "description": "  端末ログ(情報システム部)  "})  # fmt: skip
    assert sent.status_code == 303
    row = incident.evidence.get()
    assert row.description == "端末ログ(情報システム部)"  # trimmed
    assert row.sha256 == hashlib.sha256(b"usb log").hexdigest()
    page = client.get(_url("")).content.decode()
    assert "端末ログ(情報システム部)" in page and 'name="description"' in page
    refused = client.post(_url("_evidence"), {"file": SimpleUploadedFile("b.txt", b"x"),
                                              "description": "d" * 2001},
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert refused.status_code == 400 and "at most 2000" in refused.content.decode()
    assert incident.evidence.count() == 1
