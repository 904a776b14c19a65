"""Evidence files: hashed, size and type limits, re-verified on read."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest

from econsec.guideline import evidence
from econsec.guideline.campaigns import create_campaign, store_framework
from econsec.guideline.errors import GuidelineError
from econsec.guideline.frameworks import Framework
from econsec.guideline.models import Evidence

PDF = b"%PDF-1.4\n" + b"x" * 5000 + b"\n%%EOF\n"


@pytest.fixture
def campaign(db: None, mini: Framework, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    store_framework(mini, "imported")
    return create_campaign("mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato"])


def test_file_stored_by_hash_and_verified(campaign, tmp_path) -> None:
    row = evidence.add_file(
        campaign, "X-1", "policy.pdf", io.BytesIO(PDF), actor="Sato", question_id="q1"
    )
    sha = hashlib.sha256(PDF).hexdigest()
    assert (row.sha256, row.size, row.content_type) == (sha, len(PDF), "application/pdf")
    assert (tmp_path / "evidence" / sha[:2] / sha).read_bytes() == PDF
    assert evidence.read_file(row) == PDF
    # Same content again: one stored copy, two evidence rows.
    evidence.add_file(campaign, "Y-1", "copy.pdf", io.BytesIO(PDF))
    assert len(list((tmp_path / "evidence" / sha[:2]).iterdir())) == 1


def test_tampered_file_is_not_served(campaign, tmp_path) -> None:
    row = evidence.add_file(campaign, "X-1", "policy.pdf", io.BytesIO(PDF))
    path = tmp_path / "evidence" / row.sha256[:2] / row.sha256
    path.write_bytes(PDF.replace(b"x", b"y", 1))
    with pytest.raises(GuidelineError) as caught:
        evidence.read_file(row)
    assert caught.value.key == "guideline.evidence.tampered"
    path.unlink()
    with pytest.raises(GuidelineError) as caught:
        evidence.read_file(row)
    assert caught.value.key == "guideline.evidence.missing"


def test_oversize_refused_and_nothing_left(campaign, settings, tmp_path) -> None:
    settings.ECONSEC_EVIDENCE_MAX_BYTES = 4096
    with pytest.raises(GuidelineError) as caught:
        evidence.add_file(campaign, "X-1", "big.pdf", io.BytesIO(PDF))
    assert caught.value.key == "guideline.evidence.too_large"
    assert "big.pdf" in caught.value.message("ja")
    assert not Evidence.objects.exists()
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("tool.exe", b"MZ\x90\x00", "guideline.evidence.type_not_allowed"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "guideline.evidence.content_mismatch"),
        ("notes.txt", b"\x00\x01\x02binary", "guideline.evidence.content_mismatch"),
        ("empty.txt", b"", "guideline.evidence.empty"),
    ],
)
def test_disallowed_types_refused(campaign, name: str, data: bytes, key: str) -> None:
    with pytest.raises(GuidelineError) as caught:
        evidence.add_file(campaign, "X-1", name, io.BytesIO(data))
    assert caught.value.key == key
    assert not Evidence.objects.exists()


def test_japanese_text_file_accepted(campaign) -> None:
    data = "サプライヤー一覧,国\n".encode("cp932") * 10
    row = evidence.add_file(campaign, "X-1", "一覧.csv", io.BytesIO(data))
    assert row.content_type == "text/csv"


def test_link_and_analysis_reference(campaign) -> None:
    link = evidence.add_link(campaign, "X-1", "https://intranet.example/policy")
    assert link.kind == "link"
    with pytest.raises(GuidelineError):
        evidence.add_link(campaign, "X-1", "javascript:alert(1)")
    ref = evidence.add_analysis_reference(
        campaign, "X-1", "exposure.concentration", "run-42", "vc-2025-11-30"
    )
    assert (ref.ref_kind, ref.ref_id, ref.data_version) == (
        "exposure.concentration",
        "run-42",
        "vc-2025-11-30",
    )
    with pytest.raises(GuidelineError) as caught:
        evidence.add_analysis_reference(campaign, "X-1", "astrology", "1", "v")
    assert caught.value.key == "guideline.evidence.unknown_capability"
    with pytest.raises(GuidelineError) as caught:
        evidence.add_link(campaign, "X-1", "https://x.example", question_id="q4")
    assert caught.value.key == "guideline.evidence.question_not_in_item"
