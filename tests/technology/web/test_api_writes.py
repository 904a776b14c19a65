"""API writes: create and change a technology, grant and revoke need-to-know, record and move on
incidents — each with its role check and need-to-know, refusals located in ja/en."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.importance import importance
from econsec.technology.service import grant
from tests.technology.chain import demo_chain_rows

NEW = {"tech_id": "T-NEW", "name_ja": "新しい焼結条件", "name_en": "New sintering recipe",
       "kind": "know_how", "market": 5, "strategic": 4, "catch_up_years": 8, "damage": 5}  # fmt: skip


def _post(client: Any, name: str, body: Any, lang: str = "en", **kwargs: Any) -> Any:
    return client.post(reverse(f"api:{name}", kwargs=kwargs or None), json.dumps(body),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


@pytest.fixture
def demo(db: Any, users: Any) -> None:
    demo_chain_rows()
    create_demo_register()


def test_create_and_change_a_technology(demo: None, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    made = _post(client, "technology_create", NEW)
    assert made.status_code == 201, made.content
    # Tier worked out from the same four ratings by the rating function, independently of the API.
    expected = importance(5, 4, 8, 5, []).tier
    assert made.json()["tier"] == expected == 1
    tech = m.Technology.objects.get(tech_id="T-NEW")
    assert (tech.name_ja, tech.market, tech.catch_up_years) == ("新しい焼結条件", 5, 8)
    again = _post(client, "technology_create", NEW)
    assert again.status_code == 400 and "T-NEW already exists" in again.json()["detail"]
    changed = _post(client, "technology_change", {"reason": "再評価", "fields": {"market": 2,
                    "strategic": 2, "damage": 2, "catch_up_years": 1}}, tech_id="T-NEW")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["tier"] == importance(2, 2, 1, 2, []).tier
    assert _post(client, "technology_change", {"fields": {"market": 1}},
                 tech_id="T-NOPE").status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "en", "ja"),
    [
        ({"kind": "magic"}, "Field kind: 'magic'", "項目 kind の値「magic」"),
        ({"market": 9}, "Field market: '9'", "項目 market の値「9」"),
        ({"exhibited": "yes"}, "Field exhibited", "項目 exhibited"),
        ({"name_en": "evil\u202etxt.exe"}, "U+202E", "U+202E"),
        ({"colour": "red"}, "There is no field colour", "項目 colour はありません"),
        ({}, "Nothing to change", "変更する項目がありません"),
    ],
)
def test_refused_changes_name_the_field_and_change_nothing(
    demo: None, client_for: Any, fields: dict[str, Any], en: str, ja: str
) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    before = list(m.Technology.objects.values())
    for lang, expected in (("en", en), ("ja", ja)):
        answer = _post(client, "technology_change", {"fields": fields}, lang, tech_id="T-MAG-GBD")
        assert answer.status_code == 400 and expected in answer.json()["detail"], answer.content
    assert list(m.Technology.objects.values()) == before


@pytest.mark.parametrize("who", ["viewer", "auditor", "analyst", "administrator"])
def test_without_need_to_know_every_write_is_refused_and_names_nothing(
    demo: None, client_for: Any, who: str
) -> None:
    client = client_for(who)
    secrets = ["T-MAG-GBD", "ネオジム", "NdFeB", "INC-1"]
    answers = [
        _post(client, "technology_create", NEW),
        _post(client, "technology_change", {"fields": {"market": 1}}, tech_id="T-MAG-GBD"),
        _post(
            client,
            "technology_incident_create",
            {"code": "INC-1", "title": "x", "technologies": ["T-MAG-GBD"]},
        ),
        _post(client, "technology_incident_change", {"status": "contained"}, code="INC-1"),
        client.get(reverse("api:technology_incidents")),
    ]
    for answer in answers:
        assert answer.status_code == 403
        assert not [s for s in secrets if s in answer.content.decode()]
    assert not m.Technology.objects.filter(tech_id="T-NEW").exists()
    assert m.Technology.objects.get(tech_id="T-MAG-GBD").market == 4
    assert not m.Incident.objects.exists()


def test_need_to_know_without_the_edit_role_reads_but_cannot_write(demo: None,
                                                                  client_for: Any) -> None:  # fmt: skip
    grant("viewer", allow=True)
    client = client_for("viewer")
    assert client.get(reverse("api:technology_list")).status_code == 200
    assert _post(client, "technology_create", NEW).status_code == 403


def test_only_an_administrator_grants_and_revokes(demo: None, client_for: Any) -> None:
    admin, analyst = client_for("administrator"), client_for("analyst")
    assert (
        _post(analyst, "technology_grant", {"allow": True}, username="analyst").status_code == 403
    )
    assert client_for("viewer").get(reverse("api:technology_list")).status_code == 403
    done = _post(admin, "technology_grant", {"allow": True}, username="viewer")
    assert done.status_code == 200 and done.json() == {"user": "viewer", "need_to_know": True}
    assert client_for("viewer").get(reverse("api:technology_list")).status_code == 200
    assert _post(admin, "technology_grant", {"allow": False}, username="viewer").status_code == 200
    assert client_for("viewer").get(reverse("api:technology_list")).status_code == 403
    nobody = _post(admin, "technology_grant", {"allow": True}, username="nobody")
    assert nobody.status_code == 404
    assert _post(admin, "technology_grant", {"allow": "yes"}, username="viewer").status_code == 400


def test_incidents_through_the_api_raise_the_route(demo: None, client_for: Any) -> None:
    from econsec.technology.exposure import INCIDENT_BUMP
    from econsec.technology.service import compute

    grant("analyst", allow=True)
    client = client_for("analyst")
    before = dict((r, s) for r, s, _l in compute().row("T-SERVO-ENC"))["people.trade_show"]
    made = _post(client, "technology_incident_create", {
        "code": "INC-1", "title": "展示会で撮影", "detected_on": "2026-03-01",
        "technologies": ["T-SERVO-ENC"], "routes": ["people.trade_show"]})  # fmt: skip
    assert made.status_code == 201 and made.json()["timeline"][0]["status"] == "detected"
    after = dict((r, s) for r, s, _l in compute().row("T-SERVO-ENC"))["people.trade_show"]
    assert after == pytest.approx(min(1.0, before + INCIDENT_BUMP))
    moved = _post(client, "technology_incident_change", {"status": "contained", "note": "削除依頼"},
                  code="INC-1")  # fmt: skip
    assert moved.status_code == 200
    assert [(e["status"], e["actor"], e["note"]) for e in moved.json()["timeline"]][1] == (
        "contained",
        "analyst",
        "削除依頼",
    )
    back = _post(client, "technology_incident_change", {"status": "detected"}, code="INC-1")
    assert back.status_code == 400 and "cannot go back" in back.json()["detail"]
    bad = _post(client, "technology_incident_create", {"code": "INC-2", "title": "x",
                                                       "routes": ["moon"]})  # fmt: skip
    assert bad.status_code == 400 and not m.Incident.objects.filter(code="INC-2").exists()
    long = _post(client, "technology_incident_create", {"code": "C" * 41, "title": "x"})
    assert long.status_code == 400
    listed = client.get(reverse("api:technology_incidents")).json()
    assert [i["code"] for i in listed] == ["INC-1"]


def test_the_writes_are_in_the_openapi_schema(client_for: Any) -> None:
    doc = client_for("viewer").get(reverse("api:openapi-json")).json()
    paths = doc["paths"]
    for path, method in (("/api/technology/technologies", "post"),
                         ("/api/technology/technologies/{tech_id}", "post"),
                         ("/api/technology/need-to-know/{username}", "post"),
                         ("/api/technology/incidents", "get"),
                         ("/api/technology/incidents", "post"),
                         ("/api/technology/incidents/{code}", "post")):  # fmt: skip
        operation = paths[path][method]
        assert operation["tags"] == ["technology"]
        if method == "post":
            assert operation["requestBody"]["required"] is True
