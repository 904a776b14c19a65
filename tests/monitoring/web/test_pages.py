"""The inbox and an event's page on the demo company, and triage from the page."""

from __future__ import annotations

from typing import Any

from econsec.monitoring import service
from econsec.monitoring.models import Alert, AlertNote


def _gallium(db: Any) -> int:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    service._cache.clear()
    created, _ = service.import_events(
        [
            {
                "title_ja": "中国、ガリウム・ゲルマニウムの輸出規制",
                "title_en": "China restricts gallium and germanium exports",
                "footprint": {"kind": "export_restriction", "countries": ["CN"],
                              "mineral_tags": ["gallium", "germanium"]},
            }
        ],
        "t",
    )  # fmt: skip
    return created[0].pk


def test_inbox_event_and_triage(db: Any, client_for: Any) -> None:
    event_id = _gallium(db)
    viewer = client_for("viewer")
    inbox = viewer.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "中国、ガリウム・ゲルマニウムの輸出規制" in inbox and 'data-severity="high"' in inbox
    page = viewer.get(f"/monitoring/events/{event_id}/").content.decode()
    for product in ("P-OBC11", "P-OBC22", "P-DCDC3", "P-SRV04", "P-SRV20"):
        assert product in page
    assert "YNGA-PLT/M-GALLIUM" in page and 'name="note"' not in page  # a viewer cannot triage
    analyst = client_for("analyst")
    done = analyst.post(
        f"/monitoring/events/{event_id}/triage/",
        {
            "status": "confirmed",
            "owner": "資材部",
            "note": "仕入先に確認中",
            "due_on": "2026-03-01",
        },
    )
    assert done.status_code == 303
    alert = Alert.objects.get()
    assert (alert.status, alert.owner, str(alert.due_on)) == ("confirmed", "資材部", "2026-03-01")
    assert AlertNote.objects.filter(alert=alert, kind="note", text="仕入先に確認中").exists()
    bad = analyst.post(f"/monitoring/events/{event_id}/triage/", {"status": "done"})
    assert bad["Location"].endswith("?error=1")
    assert Alert.objects.get().status == "confirmed"
