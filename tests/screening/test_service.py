"""Stored workflow: list versions, delta screening, decisions that persist, the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders import load_list

FIXTURES = Path(__file__).parent / "fixtures"


def _org(
    org_id: str, name: str, country: str = "JP", parent: object = None, pct: float | None = None
):  # type: ignore[no-untyped-def]
    from econsec.valuechain.models import Organisation

    return Organisation.objects.create(
        org_id=org_id, name=name, kind="supplier", country=country, parent=parent, ownership_pct=pct
    )


def _store(path: Path, name: str = "ofac_sdn") -> object:
    from econsec.screening import service

    return service.store_list(
        load_list(path, list_name=name), actor="tester", source_name=path.name
    )


def _screen(**kwargs: object) -> dict[str, int]:
    from econsec.screening import service

    subjects, owners = service.value_chain_subjects()
    return service.screen_subjects(subjects, actor="tester", owners=owners, **kwargs)  # type: ignore[arg-type]


def test_newer_version_records_changes_and_failed_load_keeps_current(
    db: None, tmp_path: Path
) -> None:
    from econsec.screening.models import ListEntry, ListVersion, ScreeningEvent
    from econsec.screening.service import current_version

    first, diff1 = _store(FIXTURES / "ofac_v1")  # type: ignore[misc]
    assert len(diff1.added) == 3
    second, diff2 = _store(FIXTURES / "ofac_v2")  # type: ignore[misc]
    assert (diff2.added, diff2.changed, diff2.removed) == (("104",), ("102",), ("103",))
    assert current_version("ofac_sdn") == second
    assert ListVersion.objects.get(pk=first.pk).is_current is False
    assert ListEntry.objects.get(version=second, entity_id="102").change == "changed"
    # A malformed newer file fails before anything is stored: version 2 stays in force.
    broken = tmp_path / "sdn"
    broken.mkdir()
    (broken / "sdn.csv").write_text('105,"CUT OFF', encoding="utf-8")
    with pytest.raises(ListLoadError):
        _store(broken)
    assert current_version("ofac_sdn") == second
    assert ListVersion.objects.count() == 2
    loads = ScreeningEvent.objects.filter(action="list_loaded")
    assert [e.detail["added"] for e in loads] == [3, 1]


def test_decision_persists_across_rescreens_until_something_changes(db: None) -> None:
    from econsec.screening import service
    from econsec.screening.models import Hit, ScreeningEvent

    _store(FIXTURES / "ofac_v1")
    org = _org("S1", "三菱重工業株式会社")
    _org("S2", "Honda Motor")
    counts = _screen()
    assert counts["screened"] == 2
    hit = Hit.objects.get(subject_ref="org:S1", entity_id="101")
    assert hit.status == Hit.OPEN
    assert "ja" in hit.explanation["transliteration"]
    service.decide(hit.pk, "dismissed", reviewer="佐藤", reason="別法人（住所・登記番号が異なる）")

    # Same data, full re-screen: the decision stands, no new open hit.
    counts = _screen(delta=False)
    hit.refresh_from_db()
    assert hit.status == Hit.DISMISSED
    assert counts["open"] == 0

    # Delta re-screen with nothing changed screens nobody.
    assert _screen()["skipped"] == 2

    # The organisation changes: the decision no longer covers it and the hit reopens.
    org.name_en = "Mitsubishi Heavy Industries"
    org.save()
    counts = _screen()
    assert counts["screened"] == 1 and counts["skipped"] == 1
    hit.refresh_from_db()
    assert hit.status == Hit.OPEN

    # Audit trail: who decided, when, why.
    event = ScreeningEvent.objects.get(action="hit_dismissed")
    assert event.actor == "佐藤" and "登記番号" in event.reason and event.at is not None
    assert ScreeningEvent.objects.filter(action="hit_reopened", object_ref=f"hit:{hit.pk}").exists()


def test_changed_list_entry_reopens_and_delta_uses_only_new_entries(db: None) -> None:
    from econsec.screening import service
    from econsec.screening.models import Hit

    _store(FIXTURES / "ofac_v1")
    _org("R1", "Ivan Ivanov", country="RU")
    _org("C1", "华为技术有限公司", country="CN")
    _screen()
    ivanov = Hit.objects.get(subject_ref="org:R1", entity_id="102")
    service.decide(ivanov.pk, "confirmed", reviewer="Tanaka", reason="same person, passport")
    assert not Hit.objects.filter(subject_ref="org:C1").exists()

    _store(FIXTURES / "ofac_v2")  # 102 changed, 104 (Huawei) added, 103 removed
    counts = _screen()
    assert counts["screened"] == 2  # both subjects see the new version, only its delta
    ivanov.refresh_from_db()
    assert ivanov.status == Hit.OPEN  # the entry changed after the decision
    assert Hit.objects.get(subject_ref="org:C1", entity_id="104").status == Hit.OPEN


def test_removed_entry_withdraws_hit(db: None) -> None:
    from econsec.screening.models import Hit

    _store(FIXTURES / "ofac_v1")
    _org("G1", "Acme Precision Tools GmbH", country="DE")
    _screen()
    assert Hit.objects.get(subject_ref="org:G1", entity_id="103").status == Hit.OPEN
    _store(FIXTURES / "ofac_v2")
    assert Hit.objects.get(subject_ref="org:G1", entity_id="103").status == Hit.WITHDRAWN


def test_fifty_percent_rule_flags_owned_company_with_chain(db: None) -> None:
    from econsec.screening import service
    from econsec.screening.models import Hit

    loaded = LoadedList("block", "user", (ListEntity("B1", "Shadow Holdings Ltd", "organisation"),))
    service.store_list(loaded, actor="tester", source_name="block.csv")
    parent = _org("P", "Shadow Holdings Limited", country="HK")
    middle = _org("M", "Bright Components Ltd", country="HK", parent=parent, pct=60.0)
    _org("L", "Bright Components Japan KK", parent=middle, pct=100.0)
    _org("N", "Neutral Parts KK", parent=parent, pct=40.0)
    counts = _screen()
    assert counts["ownership"] == 2
    flagged = {h.subject_ref: h for h in Hit.objects.filter(via="ownership")}
    assert set(flagged) == {"org:M", "org:L"}
    assert flagged["org:L"].explanation["chains"] == [["org:P", "org:M", "org:L"]]


def test_decide_needs_reviewer_and_reason(db: None) -> None:
    from econsec.screening import service

    _store(FIXTURES / "ofac_v1")
    _org("S1", "Mitsubishi Heavy Industries")
    _screen()
    from econsec.screening.models import Hit

    hit = Hit.objects.first()
    assert hit is not None
    with pytest.raises(service.ReviewError):
        service.decide(hit.pk, "dismissed", reviewer="", reason="x")
    with pytest.raises(service.ReviewError):
        service.decide(hit.pk, "maybe", reviewer="a", reason="x")
