"""Hostile bodies for the monitoring API (POST /api/monitoring/events, …/acknowledge,
/sources): refused with 400 and a located message, nothing written, within the budget —
never a server error (deep JSON, lone surrogates, NUL, over-long values, too many events)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from econsec.monitoring.models import AlertNote, Event, Source
from econsec.monitoring.service import MAX_IMPORT_EVENTS
from tests.hostile.budget import measured


def _event(**fields: Any) -> dict[str, Any]:
    return {"title_en": "x", "footprint": {"kind": "tariff", "countries": ["US"]}, **fields}


CASES: dict[str, tuple[str, str, list[str]]] = {
    "deep nesting": ("/api/monitoring/events", "[" * 50_000 + "]" * 50_000, []),
    "lone surrogate in the key": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(key="a\ud800")]}),
        ["key"],
    ),
    "lone surrogate in a title": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(title_en="a\ud800")]}),
        ["title_en"],
    ),
    "NUL in a footprint value": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(footprint={"kind": "tariff", "items": ["A\x00B"]})]}),
        ["NUL"],
    ),  # refused by the shell before the view
    "zero-width space in a footprint value": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(footprint={"kind": "tariff", "items": ["A\u200bB"]})]}),
        ["items", "A\\u200bB"],
    ),
    "title too long": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(title_en="t" * 501)]}),
        ["title_en", "500"],
    ),
    "key not text": (
        "/api/monitoring/events",
        json.dumps({"events": [_event(key={"a": 1})]}),
        ["key"],
    ),
    "too many events": (
        "/api/monitoring/events",
        json.dumps({"events": [_event()] * (MAX_IMPORT_EVENTS + 1)}),
        [str(MAX_IMPORT_EVENTS)],
    ),
    "polygon bomb": (
        "/api/monitoring/events",
        json.dumps(
            {
                "events": [
                    _event(footprint={"kind": "natural_hazard", "polygons": [[[1, 1]] * 6000]})
                ]
            }
        ),
        ["polygons[0]"],
    ),
    "right-to-left override in a source name": (
        "/api/monitoring/sources",
        json.dumps({"name": "feed\u202egpj", "url": "https://x.example/"}),
        ["feed"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_api_bodies(name: str, db: Any, client_for: Any) -> None:
    url, body, words = CASES[name]
    client = client_for("administrator")
    with measured() as spent:
        answer = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    spent.check()
    assert answer.status_code == 400, answer.content[:300]
    detail = answer.json()["detail"]
    assert all(w in detail for w in words), detail
    assert Event.objects.count() == 0 and Source.objects.count() == 0


def test_hostile_acknowledgement(db: Any, client_for: Any) -> None:
    from econsec.monitoring.models import Alert

    event = Event.objects.create(kind="tariff", title_en="t", footprint={"kind": "tariff"})
    alert = Alert.objects.create(event=event)
    url = f"/api/monitoring/events/{event.pk}/acknowledge"
    client = client_for("analyst")
    for body in ({"note": "a\x00b"}, {"owner": "x\u202ey"}, {"status": "gone"}):
        answer = client.post(url, json.dumps(body), content_type="application/json")
        assert answer.status_code == 400, (body, answer.content[:200])
    assert AlertNote.objects.filter(alert=alert).count() == 0
    long = client.post(url, json.dumps({"owner": "o" * 5000}), content_type="application/json")
    assert long.status_code == 200 and Alert.objects.get().owner == "o" * 200


def test_hostile_supplier_request_forms(db: Any, client_for: Any) -> None:
    from econsec.monitoring.models import Alert, SupplierRequest

    event = Event.objects.create(
        kind="sanction", title_en="t", footprint={"kind": "sanction", "orgs": ["SUP"]}
    )
    alert = Alert.objects.create(event=event)
    client = client_for("analyst")
    url = f"/monitoring/events/{event.pk}/request/"
    for form in (
        {"org_id": "SUP", "email": "a@b.example\r\nBcc: c@d.example"},
        {"org_id": "SUP" * 1000, "email": "a@b.example"},
        {"org_id": "SUP", "email": "a" * 5000 + "@b.example"},
    ):
        with measured() as spent:
            answer = client.post(url, form)
        spent.check()
        assert answer["Location"].endswith("?error=request")
    assert SupplierRequest.objects.count() == 0
    req = SupplierRequest.objects.create(alert=alert, org_id="SUP", email="a@b.example")
    for note in ("x\u202ey", "a\u200bb"):
        answer = client.post(
            f"/monitoring/requests/{req.pk}/answer/", {"answer": "affected", "note": note}
        )
        assert answer["Location"].endswith("?error=request")
    assert SupplierRequest.objects.get().answer == ""
