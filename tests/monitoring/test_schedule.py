"""Polling in the job worker: due sources are queued once, the job fetches them, failures back
off and show on the sources page, a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from econsec.monitoring import schedule
from econsec.monitoring.models import Event, Source
from tests.monitoring.test_store_and_cli import _feed, _Handler, demo, server

__all__ = ["demo", "server"]


def _ours(queued: list[int]) -> list[Any]:
    # Other capabilities schedule their own jobs on the same poll: count only the fetch.
    from econsec.web.models import Job

    return list(Job.objects.filter(pk__in=queued, kind=schedule.JOB_KIND))


def test_due_sources_are_queued_once(db: Any) -> None:
    from econsec.web.scheduler import run_due

    now = timezone.now()
    due = Source.objects.create(name="due", url="http://127.0.0.1:9/a", interval_minutes=30)
    later = Source.objects.create(
        name="later", url="http://127.0.0.1:9/b", next_run_at=now + dt.timedelta(hours=1)
    )
    Source.objects.create(name="off", url="http://127.0.0.1:9/c", enabled=False)
    jobs = _ours(run_due())
    assert len(jobs) == 1 and jobs[0].params["sources"] == [due.pk]
    assert _ours(run_due()) == []  # claimed: the next poll does not queue it again
    claimed = Source.objects.get(pk=due.pk).next_run_at
    assert claimed is not None and claimed - now >= dt.timedelta(minutes=29)
    assert schedule.due(now + dt.timedelta(minutes=31)) == [
        (schedule.JOB_KIND, {"sources": [due.pk], "actor": "scheduler"})
    ]
    assert schedule.due(now + dt.timedelta(minutes=32)) == []  # "later" waits its hour
    assert schedule.due(now + dt.timedelta(minutes=61))[0][1]["sources"] == [due.pk, later.pk]


def test_the_job_fetches_backs_off_and_is_idempotent(
    demo: None, server: str, client_for: Any
) -> None:
    _Handler.routes = {"/malformed": _feed("malformed_item.rss"), "/evil": _feed("entities.rss")}
    good = Source.objects.create(name="malformed", url=f"{server}/malformed", interval_minutes=10)
    evil = Source.objects.create(name="evil", url=f"{server}/evil", interval_minutes=10)
    ((_, params),) = schedule.due()
    job = type("J", (), {"params": params})()
    seen: list[float] = []
    counts = schedule.fetch_job(job, lambda f, *a, **k: seen.append(f))
    assert counts == {
        "sources": 2,
        "new": 2,
        "duplicates": 0,
        "not_modified": 0,
        "failed": 1,
        "item_problems": 1,
    }
    assert seen[-1] == 1.0 and Event.objects.filter(source=good).count() == 2
    evil.refresh_from_db()
    good.refresh_from_db()
    assert evil.failures == 1 and good.failures == 0 and good.etag == '"v1"'
    # Back-off: a failing source waits two intervals, a good one one.
    assert evil.last_error_at is not None and good.last_success_at is not None
    assert evil.next_run_at is not None and good.next_run_at is not None
    assert evil.next_run_at - evil.last_error_at == dt.timedelta(minutes=20)
    assert good.next_run_at - good.last_success_at == dt.timedelta(minutes=10)
    page = client_for("viewer").get("/monitoring/sources/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "document type" in text and "item 2 has no title" in text
    ja = client_for("viewer").get("/monitoring/sources/", HTTP_ACCEPT_LANGUAGE="ja")
    assert (
        "2 件目" in ja.content.decode()
        and "item 2 has no title" not in ja.content.decode()
        and "&quot;v1&quot;" in text
    )
    # Idempotent: run again (forced), nothing new.
    again = schedule.fetch_job(
        type("J", (), {"params": {"sources": [good.pk]}})(), lambda *a, **k: None
    )
    assert again["new"] == 0 and Event.objects.count() == 2


def test_sources_page_admin_form(db: Any, client_for: Any) -> None:
    admin = client_for("administrator")
    bad = admin.post(
        "/monitoring/sources/add/",
        {"name": "x", "url": "ftp://x/", "kind": "feed"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "ftp://x/" in bad.content.decode()
    ok = admin.post(
        "/monitoring/sources/add/",
        {
            "name": "GDACS",
            "url": "https://www.gdacs.org/xml/rss.xml",
            "kind": "cap",
            "interval_minutes": "20",
        },
    )
    assert ok.status_code == 303
    source = Source.objects.get()
    assert (source.kind, source.interval_minutes, source.enabled) == ("cap", 20, True)
    assert admin.post(f"/monitoring/sources/{source.pk}/toggle/").status_code == 303
    assert Source.objects.get().enabled is False
    fetch = client_for("analyst").post(f"/monitoring/sources/{source.pk}/fetch/")
    assert fetch.status_code == 303
    assert _ours([int(fetch["Location"].rstrip("/").rsplit("/", 1)[1])])[0].params == {
        "sources": [source.pk]
    }
