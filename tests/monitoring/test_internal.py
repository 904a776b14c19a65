"""Internal events: a list version with new entries, a new hit on a counterparty and a KRI
turning red each become one alert in the inbox (through the hooks, no import of either
capability); the hit's event is assessed like a sanction on that supplier."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from econsec.monitoring.models import Event
from econsec.screening import service as screening
from econsec.screening.entity import ListEntity, LoadedList
from tests.monitoring.independent import stopped_by_fixpoint, supply_graph, touched_by_walk
from tests.monitoring.test_store_and_cli import demo

__all__ = ["demo"]


def _loaded(*names: tuple[str, str]) -> LoadedList:
    return LoadedList("test_eul", "user", tuple(ListEntity(i, n, "organisation") for i, n in names))


def test_a_new_list_version_and_a_hit_on_a_supplier_become_alerts(demo: None) -> None:
    screening.store_list(_loaded(("E1", "Some Other Trading Co.")), actor="t", source_name="v1")
    first = Event.objects.get()
    assert first.title_en == "New version of list test_eul: 1 added, 0 changed, 0 removed"
    assert (
        first.title_ja.startswith("リスト test_eul の新しい版") and first.alert.severity == "none"
    )
    # The second version adds the Chinese gallium refiner's name; screening finds our supplier.
    screening.store_list(
        _loaded(
            ("E1", "Some Other Trading Co."), ("E2", "Yunnan Jiayuan Gallium Metals Co., Ltd.")
        ),
        actor="t",
        source_name="v2",
    )
    subjects, owners = screening.value_chain_subjects()
    screening.screen_subjects(subjects, actor="t", owners=owners)
    titles = list(Event.objects.order_by("id").values_list("title_en", flat=True))
    assert titles[1] == "New version of list test_eul: 1 added, 0 changed, 0 removed"
    hits = Event.objects.filter(kind="sanction", footprint__orgs=["YNGA"])
    assert hits.count() == 1
    event = hits.get()
    assert "Yunnan Jiayuan Gallium" in event.title_en and "test_eul" in event.title_en
    # Its impact is that of a sanction on YNGA, checked against the independent walk.
    from econsec.monitoring import service
    from econsec.monitoring.match import match

    index, _ = service.chain_index()
    chain = index.chain
    got = match(index, service.footprint_of(event))
    walked = touched_by_walk(chain, supply_graph(chain), got.nodes.tolist(), got.links.tolist())
    stopped = stopped_by_fixpoint(chain, got.nodes.tolist(), got.links.tolist())
    label = {
        n: (chain.item_ids[chain.node_item[n]], chain.site_ids[chain.node_site[n]]) for n in walked
    }
    rows = {(p["item"], p["site"]): p["stopped"] for p in event.alert.impact["products"]}
    assert rows == {label[n]: n in stopped for n in walked} and rows
    # Screening the same subjects again raises no new hit, so no new event.
    screening.screen_subjects(subjects, actor="t", owners=owners, delta=False)
    assert Event.objects.filter(kind="sanction", footprint__orgs=["YNGA"]).count() == 1


@pytest.mark.django_db
def test_a_kri_turning_red_is_one_alert(demo: None) -> None:
    from django.apps import apps

    kri_value = apps.get_model("governance", "KriValue")
    now = timezone.now()
    for minutes, status in ((0, "green"), (60, "red"), (120, "red"), (180, "amber"), (240, "red")):
        kri_value.objects.create(
            key="single_source_share",
            value=0.4 + minutes / 1000,
            status=status,
            computed_at=now + dt.timedelta(minutes=minutes),
        )
    events = list(Event.objects.filter(kind="indicator").order_by("id"))
    assert [e.title_en for e in events] == [
        "Key risk indicator single_source_share turned red (value 0.46)",
        "Key risk indicator single_source_share turned red (value 0.64)",
    ]
    assert all(e.alert.status == "potential" and e.alert.severity == "none" for e in events)
