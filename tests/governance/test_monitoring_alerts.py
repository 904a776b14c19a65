"""Monitoring alerts notify through governance's channels: who is told, in which language, from
which severity (ECONSEC_MONITORING_NOTIFY_SEVERITY), once per severity and again when it rises,
with a link that e-mails and webhooks make absolute from ECONSEC_BASE_URL. Delivered to a real
SMTP server and a real HTTP receiver."""

from __future__ import annotations

import json
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from econsec.governance import channels, notify
from econsec.governance.models import Notification, Preference, Webhook
from econsec.monitoring import service
from econsec.monitoring.models import Alert, Event
from tests.governance.conftest import _Hook, _Inbox

GALLIUM = {
    "kind": "export_restriction",
    "title_ja": "中国がガリウムとゲルマニウムの輸出を規制",
    "title_en": "China restricts gallium and germanium exports",
    "footprint": {
        "kind": "export_restriction",
        "countries": ["CN"],
        "mineral_tags": ["gallium", "germanium"],
    },
}


def _subject(message: Any) -> str:
    # A long subject is folded over lines; unfolded, its words are separated by one space.
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def _body(message: Any) -> str:
    return str(message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8"))


def _alert(
    severity: str = "none", owner: str = "", title: str = "Port of Kaohsiung closed"
) -> Alert:
    """An alert as assessment leaves it: its event first, then the severity saved on it."""
    event = Event.objects.create(kind="closure", title_en=title, title_ja="高雄港の閉鎖",
                                 footprint={"kind": "closure"})  # fmt: skip
    alert = Alert.objects.create(event=event, owner=owner)
    products = [{"item": "P-MCU", "stopped": True}, {"item": "P-LED", "stopped": False}]
    alert.impact = {"products": products}
    alert.severity = severity
    alert.save()
    return alert


def _raise(alert: Alert, severity: str) -> None:
    alert.severity = severity
    alert.save()


def _told(alert: Alert) -> list[tuple[str, str]]:
    """(recipient, severity) of the alert's inbox rows, oldest first."""
    rows = Notification.objects.filter(kind="monitoring_alert", channel="inbox",
                                       params__alert=alert.pk).order_by("id")  # fmt: skip
    return [(n.recipient, n.params["level"]) for n in rows]


@pytest.fixture
def demo(db: None) -> None:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    service._cache.clear()


def test_a_high_event_on_the_demo_tells_analysts_and_administrators_in_their_language(
    demo: None, users: Any, smtp: _Inbox, receiver: tuple[str, type[_Hook]]
) -> None:
    Preference.objects.create(username="analyst", email="a@example.jp", by_email=True,
                              language="en")  # fmt: skip
    Preference.objects.create(username="administrator", email="b@example.jp", by_email=True,
                              language="ja")  # fmt: skip
    url, handler = receiver
    Webhook.objects.create(url=url, secret="k", kinds=["monitoring_alert"])
    event = service.record(dict(GALLIUM), actor="analyst")
    alert = Alert.objects.get(event=event)
    assert alert.severity == "high"
    # No owner yet: those who triage (analysts, administrators); not the viewer or auditor.
    assert sorted(r for r, _ in _told(alert)) == ["administrator", "analyst"]
    note = Notification.objects.filter(kind="monitoring_alert", channel="inbox").first()
    assert note is not None
    stopped = sorted({p["item"] for p in alert.impact["products"] if p["stopped"]})
    touched = {p["item"] for p in alert.impact["products"]}
    assert note.params["stopped"] == len(stopped) and note.params["touched"] == len(touched)
    for code in stopped:  # stopped products come first in the named list
        assert f"({code})" in note.params["products"]["en"]
        assert f"({code})" in note.params["products"]["ja"]

    assert notify.deliver("w").sent == 3  # two e-mails and one webhook call
    mails = {rcpt[0]: m for rcpt, m in smtp.messages}
    en, ja = mails["a@example.jp"], mails["b@example.jp"]
    assert _subject(en) == (
        "[econsec] Monitoring alert (high severity): China restricts gallium and germanium exports"
    )
    assert (
        _subject(ja) == "[econsec] 監視アラート(重大度 高):中国がガリウムとゲルマニウムの輸出を規制"
    )
    assert f"({len(stopped)} of them stop)" in _body(en) and "P-OBC11" in _body(en)
    assert f"うち生産停止 {len(stopped)} 件" in _body(ja)
    (_, raw), = handler.received  # fmt: skip
    doc = json.loads(raw)
    assert doc["kind"] == "monitoring_alert" and doc["params"]["event"] == event.pk
    assert doc["text"]["ja"]["subject"] == _subject(ja)

    # Assessing again (same figures, same severity) and triage tell no one twice.
    service.assess(event)
    service.triage(alert, actor="analyst", status="confirmed", note="checking")
    assert len(_told(alert)) == 2


def test_the_owner_alone_is_told_and_an_unknown_owner_falls_back_to_the_editors(
    db: None, users: Any
) -> None:
    mine = _alert("high", owner="viewer")
    assert _told(mine) == [("viewer", "high")]
    nobody = _alert("high", owner="調達部")  # a team name, not a user
    assert sorted(_told(nobody)) == [("administrator", "high"), ("analyst", "high")]
    User.objects.filter(username="viewer").update(is_active=False)
    gone = _alert("high", owner="viewer")
    assert sorted(r for r, _ in _told(gone)) == ["administrator", "analyst"]


def test_by_default_medium_and_high_notify_and_low_does_not(db: None, users: Any) -> None:
    assert [len(_told(_alert(s))) for s in ("none", "low", "medium", "high")] == [0, 0, 2, 2]


@pytest.mark.parametrize(
    ("setting", "told"),
    [("low", [0, 2, 2, 2]), ("medium", [0, 0, 2, 2]), ("high", [0, 0, 0, 2]),
     ("off", [0, 0, 0, 0]), ("HIGH", [0, 0, 0, 2])],
)  # fmt: skip
def test_the_setting_names_the_lowest_severity_that_notifies(
    db: None, users: Any, settings: Any, setting: str, told: list[int]
) -> None:
    settings.ECONSEC_MONITORING_NOTIFY_SEVERITY = setting
    assert [len(_told(_alert(s))) for s in ("none", "low", "medium", "high")] == told


def test_a_rise_in_severity_notifies_once_and_a_fall_or_repeat_never(
    db: None, users: Any, settings: Any
) -> None:
    settings.ECONSEC_MONITORING_NOTIFY_SEVERITY = "low"
    alert = _alert("low", owner="analyst")
    for severity in ("low", "medium", "medium", "low", "medium", "none", "high", "medium", "high"):
        _raise(alert, severity)
    assert _told(alert) == [("analyst", "low"), ("analyst", "medium"), ("analyst", "high")]
    # Triage (status, due date, a note) is not news either.
    service.triage(alert, actor="analyst", status="confirmed", note="plant asked")
    assert len(_told(alert)) == 3


def test_an_alert_below_the_setting_that_rises_above_it_is_told_once(db: None, users: Any) -> None:
    alert = _alert("low", owner="analyst")
    assert _told(alert) == []
    _raise(alert, "medium")
    _raise(alert, "medium")
    assert _told(alert) == [("analyst", "medium")]


def test_mail_and_webhook_link_through_the_base_url_and_the_inbox_stays_same_site(
    db: None, users: Any, settings: Any, smtp: _Inbox, receiver: tuple[str, type[_Hook]],
    client_for: Any,
) -> None:  # fmt: skip
    settings.ECONSEC_BASE_URL = "https://econsec.example.co.jp/"
    Preference.objects.create(username="analyst", email="a@example.jp", by_email=True,
                              language="en")  # fmt: skip
    url, handler = receiver
    Webhook.objects.create(url=url, secret="k", kinds=[])
    alert = _alert("high", owner="analyst")
    path = reverse("web:monitoring_event", args=[alert.event_id])
    assert notify.deliver("w").sent == 2
    (_, mail), = smtp.messages  # fmt: skip
    assert f"Details: https://econsec.example.co.jp{path}" in _body(mail)
    (_, raw), = handler.received  # fmt: skip
    assert json.loads(raw)["url"] == f"https://econsec.example.co.jp{path}"
    page = client_for("analyst").get(reverse("web:governance_inbox"))
    assert f'<a href="{path}">'.encode() in page.content
    assert b"econsec.example.co.jp" not in page.content


@pytest.mark.parametrize(
    "base", ["", "javascript:alert(1)", "https://user:pw@econsec.example", "ftp://econsec.example",
             "https://econsec.example/?next=x"],
)  # fmt: skip
def test_without_a_usable_base_url_the_mail_carries_the_path(
    db: None, users: Any, settings: Any, smtp: _Inbox, base: str
) -> None:
    settings.ECONSEC_BASE_URL = base
    Preference.objects.create(username="analyst", email="a@example.jp", by_email=True,
                              language="ja")  # fmt: skip
    alert = _alert("high", owner="analyst")
    assert notify.deliver("w").sent == 1
    (_, mail), = smtp.messages  # fmt: skip
    body = _body(mail)
    assert body.rstrip().endswith(f"詳細:/monitoring/events/{alert.event_id}/")


def test_only_a_same_site_path_becomes_a_link(db: None, users: Any, client_for: Any) -> None:
    for n, path in enumerate(("https://evil.example/x", "//evil.example/x", "/\\evil.example")):
        notify.raise_event("monitoring_alert", {"title": "t", "severity": "high", "touched": 1,
                                                "stopped": 0, "products": "-", "path": path},
                           recipients=["analyst"], dedupe=f"forged:{n}")  # fmt: skip
    page = client_for("analyst").get(reverse("web:governance_inbox"))
    assert page.status_code == 200 and b"evil.example" not in page.content
    assert all(notify.link(n, absolute=True) == "" for n in Notification.objects.all())


def test_webhooks_may_subscribe_to_monitoring_alerts(db: None, users: Any) -> None:
    hook, _secret = channels.add_webhook(
        "https://hooks.example.jp/econsec", ["monitoring_alert"], actor="administrator"
    )
    assert hook.kinds == ["monitoring_alert"]
    _alert("high")
    assert Notification.objects.filter(channel="webhook", webhook=hook).count() == 1


def test_a_failing_notification_never_stops_the_assessment(
    db: None, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from econsec.governance import triggers

    def broken(alert: Any) -> None:
        raise RuntimeError("store unavailable")

    monkeypatch.setattr(triggers, "monitoring_alert", broken)
    alert = _alert("high")
    assert Alert.objects.get(pk=alert.pk).severity == "high"
    assert not Notification.objects.exists()


def test_an_unknown_severity_setting_stops_the_server_with_its_name(tmp_path: Any) -> None:
    from tests.web.test_defaults import _settings_of

    done = _settings_of(tmp_path, ECONSEC_MONITORING_NOTIFY_SEVERITY="sometimes")
    assert done.returncode != 0 and "ECONSEC_MONITORING_NOTIFY_SEVERITY" in done.stderr
    assert _settings_of(tmp_path / "ok", ECONSEC_MONITORING_NOTIFY_SEVERITY="off").returncode == 0


def test_ten_products_are_named_and_the_rest_counted(db: None, users: Any) -> None:
    from econsec.valuechain.models import Item

    Item.objects.create(item_id="P-00", name="車載充電器", name_en="On-board charger", kind="product",
                        unit="pcs")  # fmt: skip
    event = Event.objects.create(kind="tariff", title_en="Tariff", footprint={"kind": "tariff"})
    alert = Alert.objects.create(event=event)
    alert.impact = {"products": [{"item": f"P-{n:02d}", "stopped": n < 3} for n in range(12)]}
    _raise(alert, "high")
    (note, *_) = Notification.objects.filter(kind="monitoring_alert", channel="inbox")
    named = note.params["products"]
    assert named["en"].startswith("On-board charger (P-00), P-01, P-02")
    assert named["ja"].startswith("車載充電器 (P-00), P-01")
    assert named["en"].endswith("P-09 and 2 more") and named["ja"].endswith("P-09 ほか 2 件")
    assert (note.params["touched"], note.params["stopped"]) == (12, 3)
    assert notify.text(note, "en")[0] == "[econsec] Monitoring alert (high severity): Tariff"


def test_an_owner_assigned_later_is_told_once_and_webhooks_hear_nothing_again(
    db: None, users: Any
) -> None:
    Webhook.objects.create(url="https://hooks.example.jp/x", secret="k", kinds=[])
    alert = _alert("high")
    assert sorted(r for r, _ in _told(alert)) == ["administrator", "analyst"]
    service.triage(alert, actor="analyst", owner="viewer")
    service.triage(alert, actor="analyst", note="asked the plant", status="confirmed")
    service.triage(alert, actor="analyst", owner="調達部")  # a team name: no one to tell
    service.triage(alert, actor="analyst", owner="viewer")  # back again: told already
    assert sorted(_told(alert)) == [("administrator", "high"), ("analyst", "high"),
                                    ("viewer", "high")]  # fmt: skip
    assert Notification.objects.filter(channel="webhook").count() == 1
