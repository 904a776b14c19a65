"""Screening pages and API: lists and versions, the hits queue and review, history, search, jobs.

Role rules for every URL are in ``test_url_matrix.py`` (it uses :func:`screening_data`); these
tests check what the pages say and do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from econsec.screening.entity import ListEntity, LoadedList
from econsec.screening.models import Decision, Hit, ScreeningEvent
from econsec.web.models import Job

SCRIPT = "<script>alert(1)</script>"


def _list(version: int, entities: list[ListEntity]) -> LoadedList:
    return LoadedList(
        list_name="test_list",
        source_format="user",
        entities=tuple(entities),
        version_date=date(2026, 1, version),
        source_sha256=f"{version:064d}",
    )


def screening_data() -> dict[str, Any]:
    """Two versions of one list (one entry kept, one changed, one removed, one added), the value
    chain's organisations screened against the current one.

    Returns the list name, both version ids and the id of the Huawei hit.
    """
    from econsec.screening import service
    from econsec.valuechain.models import Organisation

    huawei = ListEntity(
        "E1",
        "Huawei Technologies Co., Ltd.",
        "organisation",
        aliases=("华为技术有限公司",),
        countries=("cn",),
        programmes=("ENTITY LIST",),
    )
    evil_v1 = ListEntity("E2", f"Evil {SCRIPT} Trading", "organisation", countries=("ir",))
    evil_v2 = ListEntity("E2", f"Evil {SCRIPT} Trading", "organisation", countries=("ir", "sy"))
    gone = ListEntity("E3", "Rosoboronexport", "organisation", countries=("ru",))
    new = ListEntity("E4", "Tokyo Precision Export", "organisation", countries=("kp",))
    v1, _ = service.store_list(
        _list(1, [huawei, evil_v1, gone]), actor="loader", source_name="v1.csv"
    )
    v2, _ = service.store_list(
        _list(2, [huawei, evil_v2, new]), actor="loader", source_name="v2.csv"
    )
    Organisation.objects.create(org_id="HW", name="华为技术有限公司", kind="supplier", country="CN")
    Organisation.objects.create(
        org_id="EV", name=f"Evil {SCRIPT} Trading", kind="customer", country="IR"
    )
    Organisation.objects.create(org_id="OK", name="山田製作所", kind="supplier", country="JP")
    subjects, owners = service.value_chain_subjects()
    service.screen_subjects(subjects, actor="screener", owners=owners)
    hit = Hit.objects.get(subject_ref="org:HW", entity_id="E1")
    return {"list": "test_list", "v1": v1.pk, "v2": v2.pk, "hit": hit.pk}


@pytest.fixture
def data(db: Any) -> dict[str, Any]:
    return screening_data()


def test_lists_and_version_changes(client_for: Any, data: dict[str, Any]) -> None:
    client = client_for("viewer")
    page = client.get(reverse("web:screening_lists")).content.decode()
    assert "test_list" in page
    versions = client.get(reverse("web:screening_list", args=["test_list"])).content.decode()
    assert "v1.csv" in versions and "v2.csv" in versions
    url = reverse("web:screening_version", args=["test_list", data["v2"]])
    detail = client.get(url)
    assert detail.status_code == 200
    html = detail.content.decode()
    added = html.split('data-testid="version-added"')[1].split("</section>")[0]
    changed = html.split('data-testid="version-changed"')[1].split("</section>")[0]
    removed = html.split('data-testid="version-removed"')[1].split("</section>")[0]
    assert "E4" in added and "E1" not in added
    assert "E2" in changed and "E1" not in changed
    assert "E3" in removed and "Rosoboronexport" in removed
    # Listed names are user data: escaped, never markup.
    assert SCRIPT not in html and "&lt;script&gt;" in html
    other = reverse("web:screening_version", args=["other", data["v2"]])
    assert client.get(other).status_code == 404


def test_hits_queue_shows_open_hits_best_first(client_for: Any, data: dict[str, Any]) -> None:
    html = client_for("viewer").get(reverse("web:screening_hits")).content.decode()
    assert "华为技术有限公司" in html and "Huawei Technologies" in html
    assert SCRIPT not in html
    assert "山田製作所" not in html
    # A viewer may read but not start a screen.
    assert 'data-testid="screen-all"' not in html
    analyst = client_for("analyst").get(reverse("web:screening_hits")).content.decode()
    assert 'data-testid="screen-all"' in analyst
    scores = list(Hit.objects.filter(status=Hit.OPEN).order_by("-score", "-id"))
    positions = [html.find(reverse("web:screening_hit", args=[h.pk])) for h in scores]
    assert positions == sorted(positions) and all(p > 0 for p in positions)


def test_confirm_and_dismiss_with_reason_write_history(
    client_for: Any, data: dict[str, Any]
) -> None:
    analyst = client_for("analyst")
    url = reverse("web:screening_decide", args=[data["hit"]])
    # A decision without a reason is refused on the form, in the user's language.
    response = analyst.post(url, {"status": "dismissed", "reason": "  "})
    assert response.status_code == 400
    assert Hit.objects.get(pk=data["hit"]).status == Hit.OPEN
    assert 'data-testid="decide-error"' in response.content.decode()
    response = analyst.post(url, {"status": "confirmed", "reason": f"same company {SCRIPT}"})
    assert response.status_code == 303
    hit = Hit.objects.get(pk=data["hit"])
    assert hit.status == Hit.CONFIRMED
    decision = Decision.objects.get(hit=hit)
    assert decision.reviewer == "analyst"
    assert ScreeningEvent.objects.filter(action="hit_confirmed", actor="analyst").exists()
    page = client_for("viewer").get(reverse("web:screening_hit", args=[hit.pk])).content.decode()
    assert "same company" in page and SCRIPT not in page
    assert 'data-testid="decide-form"' not in page  # viewers read only
    history = client_for("viewer").get(reverse("web:screening_decisions")).content.decode()
    assert "same company" in history and "analyst" in history
    # A second decision is kept beside the first.
    analyst.post(url, {"status": "dismissed", "reason": "different legal entity"})
    assert Decision.objects.filter(hit=hit).count() == 2
    assert Hit.objects.get(pk=hit.pk).status == Hit.DISMISSED


def test_auditor_sees_every_event(client_for: Any, data: dict[str, Any]) -> None:
    auditor = client_for("auditor")
    auditor.post(reverse("web:set_language"), {"language": "en"})
    html = auditor.get(reverse("web:screening_events")).content.decode()
    for label in ("list loaded", "hit raised", "screening run"):
        assert label in html
    assert client_for("viewer").get(reverse("web:screening_events")).status_code == 403
    only = auditor.get(reverse("web:screening_events"), {"action": "list_loaded"})
    assert only.content.decode().count("list:test_list") == 2


def test_search_box_explains_matches(client_for: Any, data: dict[str, Any]) -> None:
    client = client_for("viewer")
    response = client.get(reverse("web:screening_search"), {"q": "華為技術"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-result"' in html and "Huawei Technologies" in html
    assert html.count('data-testid="search-result"') == 1
    # Unknown names find nothing; bad countries are refused with a message.
    none = client.get(reverse("web:screening_search"), {"q": "Completely Unrelated Bakery"})
    assert 'data-testid="search-none"' in none.content.decode()
    bad = client.get(reverse("web:screening_search"), {"q": "Huawei", "country": "Atlantis"})
    assert bad.status_code == 400 and "Atlantis" in bad.content.decode()
    # A country that agrees raises the score: the explanation says so.
    with_country = client.get(reverse("web:screening_search"), {"q": "Huawei", "country": "CN"})
    assert (
        "country match" in with_country.content.decode()
        or "国が一致" in with_country.content.decode()
    )
    # The query is echoed escaped.
    echoed = client.get(reverse("web:screening_search"), {"q": SCRIPT})
    assert SCRIPT not in echoed.content.decode()


def test_search_follows_the_current_version(client_for: Any, data: dict[str, Any]) -> None:
    from econsec.screening import service

    client = client_for("viewer")
    html = client.get(reverse("web:screening_search"), {"q": "Tokyo Precision Export"})
    assert "E4" in html.content.decode()
    service.store_list(_list(3, []), actor="loader", source_name="v3.csv")
    after = client.get(reverse("web:screening_search"), {"q": "Tokyo Precision Export"})
    assert 'data-testid="search-none"' in after.content.decode()


def test_pages_in_both_languages(client_for: Any, data: dict[str, Any]) -> None:
    client = client_for("auditor")
    pages = [
        reverse("web:screening_lists"),
        reverse("web:screening_hits"),
        reverse("web:screening_hit", args=[data["hit"]]),
        reverse("web:screening_decisions"),
        reverse("web:screening_events"),
        reverse("web:screening_search") + "?q=Huawei",
        reverse("web:screening_version", args=["test_list", data["v2"]]),
    ]
    for lang, word in (("ja", "該当候補の確認"), ("en", "Screening hits")):
        client.post(reverse("web:set_language"), {"language": lang})
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert word in response.content.decode(), (lang, url)


def _run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_screen_everything_runs_as_a_job(
    client_for: Any,
    data: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from econsec.valuechain.models import Organisation

    Organisation.objects.create(org_id="NEW", name="Tokyo Precision Export", kind="supplier")
    client = client_for("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:screening_run"))
    job = Job.objects.get(kind="screening.screen_all")
    assert response["Location"] == reverse("web:job", args=[job.pk])
    _run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    # Delta: only the new organisation was screened; the others were unchanged.
    assert job.result["counts"]["screened"] == 1
    assert job.result["counts"]["skipped"] == 3
    assert Hit.objects.filter(subject_ref="org:NEW", entity_id="E4").exists()
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert reverse("web:screening_hits") in page  # the result link


def test_screen_everything_without_lists_fails_with_a_reason(
    client_for: Any, db: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    client = client_for("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:screening_run"))
    _run_worker(monkeypatch)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "load a list first" in job.error["en"] and "リスト" in job.error["ja"]


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_hits_decide_and_search(client_for: Any, data: dict[str, Any]) -> None:
    viewer, analyst = client_for("viewer"), client_for("analyst")
    lists = viewer.get("/api/screening/lists").json()
    assert lists[0]["name"] == "test_list" and lists[0]["current_version"]["id"] == data["v2"]
    versions = viewer.get("/api/screening/lists/test_list/versions").json()["items"]
    assert [v["id"] for v in versions] == [data["v2"], data["v1"]]
    assert (versions[0]["added"], versions[0]["changed"], versions[0]["removed"]) == (1, 1, 1)
    changes = viewer.get(f"/api/screening/versions/{data['v2']}/changes").json()
    assert [e["entity_id"] for e in changes["removed"]] == ["E3"]
    hits = viewer.get("/api/screening/hits").json()["items"]
    assert data["hit"] in [h["id"] for h in hits]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert viewer.get("/api/screening/hits", {"status": "nonsense"}).status_code == 400
    url = f"/api/screening/hits/{data['hit']}/decision"
    body = {"status": "dismissed", "reason": "different company"}
    assert viewer.post(url, body, content_type="application/json").status_code == 403
    response = analyst.post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["reviewer"] == "analyst"
    bad = analyst.post(url, {"status": "maybe", "reason": "x"}, content_type="application/json")
    assert bad.status_code == 400
    missing = analyst.post(
        "/api/screening/hits/999999/decision", body, content_type="application/json"
    )
    assert missing.status_code == 404
    detail = viewer.get(f"/api/screening/hits/{data['hit']}").json()
    assert detail["status"] == "dismissed" and detail["decisions"][0]["reason"] == body["reason"]
    decisions = viewer.get("/api/screening/decisions").json()["items"]
    assert decisions[0]["hit_id"] == data["hit"]
    found = viewer.get("/api/screening/search", {"q": "华为技术"}).json()["matches"]
    assert found[0]["entity_id"] == "E1" and found[0]["tokens"]
    assert client_for("viewer").get("/api/screening/events").status_code == 403
    events = client_for("auditor").get("/api/screening/events").json()["items"]
    assert events[0]["action"] == "hit_dismissed"


def test_api_run_queues_a_job(
    client_for: Any, data: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for("analyst").post(
            "/api/screening/run", {"full": True}, content_type="application/json"
        )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "screening.screen_all" and job.params == {"delta": False}


def test_hit_pages_walk_every_hit_once_in_score_order(client_for: Any, db: Any) -> None:
    from django.utils import timezone

    now = timezone.now()
    # 120 hits with many tied scores: keyset pages must neither skip nor repeat any.
    Hit.objects.bulk_create(
        Hit(
            subject_ref=f"org:S{i}",
            subject_name=f"S{i}",
            subject_fingerprint="x",
            list_name="l",
            entity_id=f"E{i}",
            entity_name=f"E{i}",
            entry_fingerprint="y",
            score=round(0.6 + (i % 7) / 20, 2),
            first_seen_at=now,
            last_screened_at=now,
        )
        for i in range(120)
    )
    expected = [h.pk for h in sorted(Hit.objects.all(), key=lambda h: (-h.score, -h.pk))]
    client = client_for("viewer")
    seen: list[int] = []
    after = None
    while True:
        params = {"limit": 25, **({"after": after} if after else {})}
        page = client.get("/api/screening/hits", params).json()
        seen += [h["id"] for h in page["items"]]
        after = page["next"]
        if not after:
            break
    assert seen == expected
    # The page walks the same way through its "next" links.
    url = reverse("web:screening_hits")
    pages = 0
    while url:
        html = client.get(url).content.decode()
        pages += 1
        marker = 'rel="next"'
        if marker not in html:
            break
        href = html.split(marker)[0].rsplit('href="', 1)[1].split('"')[0]
        url = reverse("web:screening_hits") + href.replace("&amp;", "&")
    assert pages == 3  # 50 per page
