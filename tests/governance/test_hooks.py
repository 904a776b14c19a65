"""Evidence-worthy actions of the other capabilities land in the audit trail, in order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from econsec import trail
from econsec.governance.chain import verify
from econsec.governance.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
SCREENING = ROOT / "tests" / "screening" / "fixtures"


def test_screening_list_load_screen_and_decision_are_chained(db: None) -> None:
    from econsec.screening import service
    from econsec.screening.loaders import load_list
    from econsec.screening.models import Hit
    from econsec.valuechain.models import Organisation

    service.store_list(
        load_list(SCREENING / "ofac_v1", list_name="sdn"), actor="tanaka", source_name="v1"
    )
    Organisation.objects.create(
        org_id="S1", name="三菱重工業株式会社", kind="supplier", country="JP"
    )
    subjects, owners = service.value_chain_subjects()
    service.screen_subjects(subjects, actor="tanaka", owners=owners)
    hit = Hit.objects.get(subject_ref="org:S1", entity_id="101")
    service.decide(hit.pk, "dismissed", reviewer="佐藤", reason="別法人")
    decision = AuditEvent.objects.get(action="screening.hit_dismissed")
    assert (decision.actor, decision.reason, decision.object_ref) == (
        "佐藤",
        "別法人",
        f"hit:{hit.pk}",
    )
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[0] == "screening.list_loaded"
    assert actions[-1] == "screening.hit_dismissed"
    assert verify().ok


def test_assessment_sign_off_is_chained(db: None) -> None:
    from econsec.guideline import campaigns

    campaigns.sync_builtin_frameworks()
    framework = campaigns.StoredFramework.objects.order_by("pk").first()
    assert framework is not None
    c = campaigns.create_campaign(
        framework.framework_id, "FY2026", dt.date(2026, 4, 1), ["suzuki"], actor="suzuki"
    )
    campaigns.submit_for_review(c, actor="suzuki")
    campaigns.review(c, "yamada", approve=True, comment="承認")
    signed = AuditEvent.objects.get(action="assessment.campaign.approved")
    assert signed.actor == "yamada" and signed.object_ref == f"campaign:{c.pk}"
    assert json.loads(signed.detail)["comment"] == "承認"
    assert verify().ok


def test_finished_import_is_chained_once_and_a_failed_one_not_at_all(db: None) -> None:
    from econsec.valuechain.intake.apply import import_path
    from econsec.valuechain.models import ImportRun

    outcome = import_path(ROOT / "examples" / "demo-company.xlsx")
    assert outcome.run is not None
    events = AuditEvent.objects.filter(action="valuechain.import")
    assert events.count() == 1
    detail = json.loads(events[0].detail)
    assert detail["data_version"] == outcome.run.data_version
    assert detail["source_sha256"] == outcome.run.source_sha256
    assert events[0].object_ref == f"import:{outcome.run.pk}"
    before = ImportRun.objects.count()
    assert import_path(ROOT / "tests" / "governance" / "test_hooks.py").run is None
    assert ImportRun.objects.count() == before and events.count() == 1


def test_report_generation_and_other_evidence_arrives_through_the_signal(db: None) -> None:
    trail.record("report.generated", "report:7", actor="ito", data_version="abc", files={"a": "1"})
    e = AuditEvent.objects.get()
    assert (e.action, e.object_ref, e.actor) == ("report.generated", "report:7", "ito")
    assert json.loads(e.detail) == {"data_version": "abc", "files": {"a": "1"}}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_messages_name_the_record(lang: str) -> None:
    from econsec.i18n import t

    text = t("governance.audit.broken", lang, seq=4, id=17, checked=3)
    assert "4" in text and "17" in text
