"""Facts through the API: a technology's holdings, access groups, partners and own controls, and
the items' market shares and customers — listed, added, changed and removed one at a time, checked
as the page's forms check them (every problem by field and value, in ja/en, nothing saved), with
need-to-know and the edit role checked first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import compute, grant
from tests.technology.chain import demo_chain_rows

TECH = "T-SERVO-ENC"


@pytest.fixture
def demo(db: Any, users: Any) -> m.Technology:
    demo_chain_rows()
    create_demo_register()
    return m.Technology.objects.get(tech_id=TECH)


def _send(client: Any, method: str, name: str, body: Any = None, lang: str = "en",
          **kwargs: Any) -> Any:  # fmt: skip
    url = reverse(f"api:{name}", kwargs=kwargs or None)
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json",
                                   HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def test_list_add_change_remove_a_holding(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    listed = client.get(reverse("api:technology_facts", args=[TECH])).json()
    assert sorted(listed) == ["access", "control", "holding", "partner"]
    assert [f["fields"]["site_id"] for f in listed["holding"]] == ["TOHO-AZM"]
    body = {"kind": "site", "site_id": "HOKUNB-PLT", "label": "寧波合弁工場"}
    made = _send(client, "post", "technology_fact_add", body, tech_id=TECH, kind="holding")
    assert made.status_code == 201, made.content
    fact = made.json()
    assert fact["kind"] == "holding" and fact["fields"] == {
        "kind": "site", "site_id": "HOKUNB-PLT", "label": "寧波合弁工場", "country": ""}  # fmt: skip
    # The exposure follows: the overseas-operation route names the new holding.
    assert "Held overseas: 寧波合弁工場 (CN)" in compute().reasons(TECH, "overseas.operation", "en")
    changed = _send(client, "post", "technology_fact_change", {**body, "label": "寧波工場"},
                    tech_id=TECH, kind="holding", fact_id=fact["id"])  # fmt: skip
    assert changed.status_code == 200 and changed.json()["fields"]["label"] == "寧波工場"
    gone = _send(client, "delete", "technology_fact_remove", tech_id=TECH, kind="holding",
                 fact_id=fact["id"])  # fmt: skip
    assert gone.status_code == 204
    assert not m.Holding.objects.filter(pk=fact["id"]).exists()


def test_typed_json_values_are_read_like_cells(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    made = _send(client, "post", "technology_fact_add",
                 {"name": "品質保証課", "headcount": 5, "key_people": True, "need_to_know": "検査"},
                 tech_id=TECH, kind="access")  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["fields"] == {"name": "品質保証課", "headcount": 5, "key_people": True,
                                     "need_to_know": "検査", "people": ""}  # fmt: skip
    partner = _send(client, "post", "technology_fact_add",
                    {"org_id": "XICI", "role": "licensee", "nda": False, "exit_clause": True},
                    tech_id=TECH, kind="partner")  # fmt: skip
    assert partner.status_code == 201
    assert (partner.json()["fields"]["nda"], partner.json()["fields"]["exit_clause"]) == (
        False,
        True,
    )


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["Field 'headcount' (value 'many'): not a number.",
                "Field 'key_people' (value 'maybe'): expected yes or no."]),
        ("ja", ["項目「headcount」(値「many」):数値ではありません。",
                "項目「key_people」(値「maybe」):はい/いいえ(yes/no)で入力してください。"]),
    ],
)  # fmt: skip
def test_refusals_list_every_problem(demo: m.Technology, client_for: Any, lang: str,
                                     lines: list[str]) -> None:  # fmt: skip
    grant("analyst", allow=True)
    before = m.AccessGroup.objects.count()
    answer = _send(client_for("analyst"), "post", "technology_fact_add",
                   {"name": "x", "headcount": "many", "key_people": "maybe"}, lang=lang,
                   tech_id=TECH, kind="access")  # fmt: skip
    assert answer.status_code == 400
    body = answer.json()
    assert [p["message"] for p in body["problems"]] == lines
    assert [p["field"] for p in body["problems"]] == ["headcount", "key_people"]
    assert body["detail"].startswith(lines[0])
    assert m.AccessGroup.objects.count() == before


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"name": "x", "headcount": 1, "colour": "red"}, "There is no field colour"),
        ({"name": "x", "headcount": [1, 2]}, "Field headcount"),
        ({"name": {"ja": "x"}, "headcount": 1}, "Field name"),
        ([1, 2], "must be a JSON object"),
        ("text", "must be a JSON object"),
    ],
)
def test_bodies_that_are_not_a_facts_fields(demo: m.Technology, client_for: Any, body: Any,
                                            text: str) -> None:  # fmt: skip
    grant("analyst", allow=True)
    before = m.AccessGroup.objects.count()
    answer = _send(client_for("analyst"), "post", "technology_fact_add", body, tech_id=TECH,
                   kind="access")  # fmt: skip
    assert answer.status_code == 400 and text in answer.json()["detail"], answer.content
    assert m.AccessGroup.objects.count() == before


def test_not_found_and_other_technologys_facts(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    theirs = m.Technology.objects.get(tech_id="T-MAG-GBD").access.first()
    assert theirs is not None
    assert client.get(reverse("api:technology_facts", args=["T-NOPE"])).status_code == 404
    assert _send(client, "post", "technology_fact_add", {}, tech_id=TECH,
                 kind="secrets").status_code == 404  # fmt: skip
    for method, name in (("post", "technology_fact_change"), ("delete", "technology_fact_remove")):
        answer = _send(client, method, name, {"name": "x", "headcount": 1}, tech_id=TECH,
                       kind="access", fact_id=theirs.pk)  # fmt: skip
        assert answer.status_code == 404
    assert m.AccessGroup.objects.filter(pk=theirs.pk, name=theirs.name).exists()


def test_need_to_know_and_role_come_first(demo: m.Technology, client_for: Any) -> None:
    fact = demo.access.get()
    for who in ("viewer", "analyst", "administrator"):
        client = client_for(who)
        assert client.get(reverse("api:technology_facts", args=[TECH])).status_code == 403
        assert client.get(reverse("api:technology_item_facts")).status_code == 403
        for tech in (TECH, "T-NOPE"):
            answer = _send(client, "delete", "technology_fact_remove", tech_id=tech,
                           kind="access", fact_id=fact.pk)  # fmt: skip
            assert answer.status_code == 403 and answer.json() == {"detail": "forbidden"}
    grant("viewer", allow=True)
    viewer = client_for("viewer")
    assert viewer.get(reverse("api:technology_facts", args=[TECH])).status_code == 200
    assert _send(viewer, "post", "technology_fact_add", {"name": "x", "headcount": 1},
                 tech_id=TECH, kind="access").status_code == 403  # fmt: skip
    assert demo.access.filter(pk=fact.pk).exists()


def test_item_facts_through_the_api(demo: m.Technology, client_for: Any) -> None:
    from econsec.technology.indispensable import scores

    grant("analyst", allow=True)
    client = client_for("analyst")
    listed = client.get(reverse("api:technology_item_facts")).json()
    assert [f["fields"]["year"] for f in listed["market_share"]] == [2024, 2025]
    assert sorted(f["fields"]["customer"] for f in listed["customer"]) == ["HUAAN", "YAMATO"]
    share = _send(client, "post", "technology_item_fact_add",
                  {"item_id": "P-INV800", "year": 2025, "share": 0.3, "source": "業界誌"},
                  kind="market_share")  # fmt: skip
    assert share.status_code == 201, share.content
    customer = _send(client, "post", "technology_item_fact_add",
                     {"item_id": "P-INV800", "customer": "YAMATO", "switch_months": 18,
                      "share_of_supply": 0.5}, kind="customer")  # fmt: skip
    assert customer.status_code == 201
    # By hand: 40 × 0.3 + 40 × 18/24 + 20 × 0.5.
    assert dict(scores())["P-INV800"].score == 52.0
    taken = _send(client, "post", "technology_item_fact_add",
                  {"item_id": "P-INV800", "year": 2025, "share": 0.2, "source": "x"},
                  kind="market_share")  # fmt: skip
    assert taken.status_code == 400 and "already recorded" in taken.json()["detail"]
    changed = _send(client, "post", "technology_item_fact_change",
                    {"item_id": "P-INV800", "year": 2025, "share": 0.2, "source": "x"},
                    kind="market_share", fact_id=share.json()["id"])  # fmt: skip
    assert changed.status_code == 200 and changed.json()["fields"]["share"] == 0.2
    assert _send(client, "delete", "technology_item_fact_remove", kind="customer",
                 fact_id=customer.json()["id"]).status_code == 204  # fmt: skip
    assert not m.CustomerTie.objects.filter(item_id="P-INV800").exists()


def test_the_fact_operations_are_in_the_openapi_schema(client_for: Any) -> None:
    doc = client_for("viewer").get(reverse("api:openapi-json")).json()
    paths = doc["paths"]
    one = paths["/api/technology/technologies/{tech_id}/facts/{kind}/{fact_id}"]
    assert set(one) >= {"post", "delete"} and one["post"]["requestBody"]["required"] is True
    assert "post" in paths["/api/technology/items/facts/{kind}"]
    assert "get" in paths["/api/technology/technologies/{tech_id}/facts"]
