"""The monitoring REST API on the demo company: list, detail with impact and reasons,
create/import (all or nothing), acknowledge, sources; roles as on the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from econsec.monitoring import service
from econsec.monitoring.models import Alert, AlertNote, Event, Source

GALLIUM = {
    "title_ja": "中国、ガリウム・ゲルマニウムの輸出規制",
    "title_en": "China restricts gallium and germanium exports",
    "key": "ga-ge",
    "footprint": {"kind": "export_restriction", "countries": ["CN"],
                  "mineral_tags": ["gallium", "germanium"]},
}  # fmt: skip


@pytest.fixture
def demo(db: Any) -> None:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    service._cache.clear()


def _post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_list_detail_acknowledge(demo: None, client_for: Any) -> None:
    analyst, viewer = client_for("analyst"), client_for("viewer")
    made = _post(analyst, "/api/monitoring/events", {"events": [GALLIUM]})
    assert made.status_code == 201, made.content
    (event_id,) = made.json()["created"]
    again = _post(analyst, "/api/monitoring/events", {"events": [GALLIUM]})
    assert again.json() == {"created": [], "duplicates": 1}  # same key: one event
    assert _post(viewer, "/api/monitoring/events", {"events": [GALLIUM]}).status_code == 403

    rows = viewer.get("/api/monitoring/events").json()
    assert [r["id"] for r in rows] == [event_id]
    assert rows[0]["severity"] == "high" and (rows[0]["stopped"], rows[0]["touched"]) == (4, 7)

    detail = viewer.get(f"/api/monitoring/events/{event_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    stored = Alert.objects.get(event_id=event_id).impact
    # Independent of the API's shaping: the same products, flags and revenue as stored.
    want = {(p["item"], p["site"]): (p["stopped"], p["revenue_per_week"])
            for p in stored["products"]}  # fmt: skip
    got = {(p["item"], p["site"]): (p["stopped"], p["revenue_per_week"])
           for p in detail["products"]}  # fmt: skip
    assert got == want
    assert {"P-OBC11", "P-OBC22", "P-DCDC3", "P-SRV04", "P-SRV20"} == {i for i, _ in got}
    assert sum(r for s, r in got.values() if s) == pytest.approx(detail["revenue_stopped_per_week"])
    reasons = " ".join(r for p in detail["products"] for r in p["reasons"])
    assert "contains gallium" in reasons and "leaves the country" in reasons
    share = 100 * detail["revenue_stopped_per_week"] / stored["revenue_total"]
    assert detail["severity_reasons"] == [
        f"4 products stop, {share:.1f}% of weekly revenue (10% or more is high)"
    ]
    ja = viewer.get(f"/api/monitoring/events/{event_id}", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert ja["title"] == GALLIUM["title_ja"] and "含む" in " ".join(ja["products"][0]["reasons"])

    url = f"/api/monitoring/events/{event_id}/acknowledge"
    assert _post(viewer, url, {}).status_code == 403
    ack = _post(analyst, url, {"status": "confirmed", "note": "確認中", "owner": "資材部"})
    assert ack.status_code == 200, ack.content
    assert ack.json()["status"] == "confirmed" and ack.json()["owner"] == "資材部"
    kinds = list(AlertNote.objects.filter(alert__event_id=event_id).values_list("kind", flat=True))
    assert kinds == ["created", "acknowledged", "status", "owner", "note"]
    bad = _post(analyst, url, {"status": "done"})
    assert bad.status_code == 400 and "potential" in bad.json()["detail"]
    assert Alert.objects.get(event_id=event_id).status == "confirmed"
    assert viewer.get("/api/monitoring/events/999999").status_code == 404
    assert viewer.get("/api/monitoring/events?status=confirmed").json()[0]["id"] == event_id
    assert viewer.get("/api/monitoring/events?status=recovered").json() == []


def test_import_is_all_or_nothing_with_a_located_message(demo: None, client_for: Any) -> None:
    bad = dict(GALLIUM, key="x", footprint={"kind": "export_restriction", "countries": ["China"]})
    answer = _post(client_for("analyst"), "/api/monitoring/events",
                   {"events": [dict(GALLIUM, key="y"), bad]})  # fmt: skip
    assert answer.status_code == 400
    assert "events[1].footprint: countries" in answer.json()["detail"]
    assert "CHINA" in answer.json()["detail"]
    assert Event.objects.count() == 0
    nul = dict(GALLIUM, key="z", footprint={"kind": "tariff", "items": ["A\x00B"]})
    assert _post(client_for("analyst"), "/api/monitoring/events",
                 {"events": [nul]}).status_code == 400  # fmt: skip
    assert Event.objects.count() == 0


def test_sources_admin_only_and_validated(db: Any, client_for: Any) -> None:
    body = {"name": "JMA", "url": "https://www.data.jma.go.jp/developer/xml/feed/extra.xml",
            "kind": "cap", "interval_minutes": 15}  # fmt: skip
    assert _post(client_for("analyst"), "/api/monitoring/sources", body).status_code == 403
    admin = client_for("administrator")
    made = _post(admin, "/api/monitoring/sources", body)
    assert made.status_code == 201 and made.json()["kind"] == "cap"
    assert _post(admin, "/api/monitoring/sources", body).status_code == 400  # same name
    for wrong in ({"url": "file:///etc/passwd"}, {"kind": "mail"}, {"interval_minutes": 0}):
        answer = _post(admin, "/api/monitoring/sources", {**body, "name": "x", **wrong})
        assert answer.status_code == 400, wrong
    assert Source.objects.count() == 1
    listed = client_for("viewer").get("/api/monitoring/sources").json()
    assert [(s["name"], s["interval_minutes"], s["last_error"]) for s in listed] == [
        ("JMA", 15, "")
    ]
    one = client_for("viewer").get(f"/api/monitoring/sources/{listed[0]['id']}")
    assert one.json()["url"] == body["url"]
