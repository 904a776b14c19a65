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
                "footprint": {
                    "kind": "export_restriction",
                    "countries": ["CN"],
                    "mineral_tags": ["gallium", "germanium"],
                },
            }
        ],
        "t",
    )
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


def test_links_are_chosen_from_lists_and_places_are_named(db: Any, client_for: Any) -> None:
    import datetime as dt

    from econsec.governance import actions, risks

    event_id = _gallium(db)
    risks.create("R-GA", actor="t", title_ja="ガリウム調達リスク", title_en="Gallium supply")
    action = actions.create(
        actor="t",
        risk=None,
        title_ja="代替調達先の認定",
        title_en="Qualify a second gallium source",
        owner="analyst",
        due=dt.date(2026, 6, 30),
    )
    analyst = client_for("analyst")
    page = analyst.get(
        f"/monitoring/events/{event_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f'<option value="action:{action.pk}"' in page and '<option value="R-GA"' in page
    assert "Qualify a second gallium source" in page and 'name="measure_ref" value=' not in page
    assert "<dd>China</dd>" in page  # the country by name, not its code
    ja = analyst.get(f"/monitoring/events/{event_id}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<dd>中国</dd>" in ja
    url = f"/monitoring/events/{event_id}/triage/"
    typed = analyst.post(url, {"status": "potential", "risk_ref": "R-TYPED"})
    assert typed["Location"].endswith("?error=link") and Alert.objects.get().risk_ref == ""
    chosen = analyst.post(
        url, {"status": "potential", "risk_ref": "R-GA", "measure_ref": f"action:{action.pk}"}
    )
    assert chosen.status_code == 303 and not chosen["Location"].endswith("error=link")
    alert = Alert.objects.get()
    assert (alert.risk_ref, alert.measure_ref) == ("R-GA", f"action:{action.pk}")
    shown = analyst.get(
        f"/monitoring/events/{event_id}/", HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()
    assert "R-GA ガリウム調達リスク" in shown and f"#{action.pk} 代替調達先の認定" in shown


def test_region_names_in_both_languages() -> None:
    from econsec.monitoring.names import footprint_rows, region_label

    assert (region_label("熊本県", "en"), region_label("熊本県", "ja")) == ("Kumamoto", "熊本県")
    assert (region_label("云南省", "en"), region_label("云南省", "ja")) == ("Yunnan", "雲南省")
    assert region_label("Nowhere", "ja") == "Nowhere"
    rows = dict(
        footprint_rows(
            {
                "kind": "natural_hazard",
                "regions": ["云南省", "熊本県"],
                "chokepoints": ["taiwan_strait"],
            },
            "en",
        )
    )
    assert rows["Regions"] == "Yunnan, Kumamoto" and rows["Chokepoints"] == "Taiwan Strait"
    assert rows["Kind"] == "Natural hazard"
