"""Asking the suppliers in an event's footprint to confirm the impact: who is asked (checked
against the links computed straight from the chain), the e-mail sent once by the job worker,
the answer on the timeline, refusals located."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from econsec.monitoring import requests as asking
from econsec.monitoring import service
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.models import AlertNote, Event, SupplierRequest
from tests.monitoring.test_store_and_cli import demo
from tests.monitoring.web.test_pages import _gallium

__all__ = ["demo"]


def _expected_suppliers() -> set[str]:
    # Straight from the compiled chain: links leaving a Chinese site with gallium or germanium
    # in the item, to a site outside China; the organisation of the shipping site.
    index, _ = service.chain_index()
    c = index.chain
    out = set()
    for link in range(c.n_links):
        src = int(c.link_src[link])
        site, dst = int(c.node_site[src]), int(c.slot_site[c.link_slot[link]])
        tags = set(c.item_mineral_tags[int(c.node_item[src])])
        if (
            c.countries[c.site_country[site]] == "CN"
            and c.countries[c.site_country[dst]] != "CN"
            and tags & {"gallium", "germanium"}
        ):
            out.add(c.org_ids[c.site_org[site]])
    return out


@pytest.fixture
def gallium(db: Any, settings: Any) -> Event:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return Event.objects.get(pk=_gallium(db))


def test_ask_send_once_and_answer(gallium: Event) -> None:
    suppliers = dict(asking.footprint_suppliers(gallium))
    assert set(suppliers) == _expected_suppliers() and {"XINLI", "YNGA"} <= set(suppliers)
    alert = gallium.alert
    for bad, key in (("a@b.example\nBcc: x@evil.example", "bad_email"), ("nobody", "bad_email")):
        with pytest.raises(MonitoringError) as refused:
            asking.request(alert, "XINLI", bad, lang="ja", actor="analyst")
        assert refused.value.key == f"monitoring.request.{key}"
    with pytest.raises(MonitoringError) as outside:
        asking.request(alert, "TOHO", "a@toho.example", lang="ja", actor="analyst")
    assert "TOHO" in outside.value.message("en") and "footprint" in outside.value.message("en")
    asking.request(alert, "XINLI", "sales@xinli.example", lang="en", actor="analyst")
    with pytest.raises(MonitoringError):
        asking.request(alert, "XINLI", "other@xinli.example", lang="en", actor="analyst")
    assert asking.due() == [(asking.JOB_KIND, {})]
    assert asking.due() == []  # queued once: the next poll does not queue another job
    counts = asking.send_job(None, lambda *a, **k: None)
    assert counts == {"sent": 1, "failed": 0} and asking.due() == []
    (sent,) = mail.outbox
    assert sent.to == ["sales@xinli.example"]
    assert (
        sent.subject == "Please confirm the impact: China restricts gallium and germanium exports"
    )
    assert suppliers["XINLI"] in sent.body
    assert asking.send_job(None, lambda *a, **k: None) == {"sent": 0, "failed": 0}
    req = SupplierRequest.objects.get()
    asking.answer(req, "affected", "出荷 4 週間停止の見込み", actor="analyst")
    kinds = list(AlertNote.objects.filter(alert=alert).values_list("kind", flat=True))
    assert kinds == ["created", "request", "answer"]
    with pytest.raises(MonitoringError):
        asking.answer(req, "maybe", "", actor="analyst")


def test_the_event_page_asks_and_records(gallium: Event, client_for: Any) -> None:
    analyst = client_for("analyst")
    url = f"/monitoring/events/{gallium.pk}/"
    page = analyst.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-org="XINLI"' in page and 'data-org="TOHO"' not in page
    bad = analyst.post(f"{url}request/", {"org_id": "XINLI", "email": "x\r\ny@z"})
    assert bad["Location"].endswith("?error=request") and SupplierRequest.objects.count() == 0
    ok = analyst.post(f"{url}request/", {"org_id": "XINLI", "email": "s@xinli.example"})
    assert ok.status_code == 303 and not ok["Location"].endswith("error=request")
    req = SupplierRequest.objects.get()
    done = analyst.post(f"/monitoring/requests/{req.pk}/answer/", {"answer": "not_affected"})
    assert done.status_code == 303
    shown = analyst.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "送信待ち · s@xinli.example" in shown and "影響なし" in shown
    viewer = client_for("viewer").get(url).content.decode()
    assert 'name="email"' not in viewer
