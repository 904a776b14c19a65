"""The per-request floor and the dashboard cache: fewer queries, same pages, fresh figures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from econsec.screening.models import Hit
from econsec.web import warmer
from econsec.web.language import PROFILE_SESSION_KEY, SESSION_KEY
from econsec.web.models import UserPreference
from econsec.web.views import dashboard as dash


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    dash.clear_cache()
    yield
    dash.clear_cache()


def _card_value(html: str, label: str) -> str:
    """The value shown on the card whose label is ``label``."""
    start = html.index(f'<span class="card-label">{label}</span>')
    value = html.index('<span class="card-value">', start) + len('<span class="card-value">')
    return html[value : html.index("</span>", value)]


def _hit(n: int) -> Hit:
    now = timezone.now()
    return Hit(
        subject_ref=f"org:S{n}",
        subject_name=f"S{n}",
        subject_fingerprint="f",
        list_name="eul",
        entity_id=f"E{n}",
        entity_name=f"E{n}",
        entry_fingerprint="e",
        score=0.9,
        first_seen_at=now,
        last_screened_at=now,
    )


def _queries(client: Any, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_dashboard_reuses_figures_until_their_tables_change(client_for: Any, chain: Any) -> None:
    from econsec.i18n import t
    from econsec.valuechain.models import Organisation

    client = client_for("viewer")
    hits_label = t("screening.web.card.open_hits", "ja")
    first_count, first = _queries(client, "/")
    second_count, second = _queries(client, "/")
    # Session, user, roles, fingerprint, recent jobs: nothing else once the figures are cached.
    assert second_count <= 5 < first_count
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # masked anew per response
    assert csrf.sub("", first) == csrf.sub("", second)
    assert _card_value(second, "組織数") == str(Organisation.objects.count())
    assert _card_value(second, hits_label) == "0"

    # Another process writes hits (bulk insert: no signal reaches this process's cache).
    Hit.objects.bulk_create([_hit(1), _hit(2)])
    _, after = _queries(client, "/")
    assert _card_value(after, hits_label) == "2"
    assert _card_value(after, "組織数") == str(Organisation.objects.count())


def test_open_hits_card_follows_bulk_status_changes(client_for: Any, chain: Any) -> None:
    from econsec.screening.web.job import open_hits as _open_hits

    client = client_for("viewer")
    Hit.objects.bulk_create([_hit(1), _hit(2), _hit(3)])
    assert _open_hits(None)["value"] == 3
    client.get("/")
    figures = dash.cached_figures(_request_for(client))
    assert figures["cards"]["screening.web.card.open_hits"]["value"] == 3
    # A bulk delete changes the row count, which the fingerprint sees.
    Hit.objects.filter(entity_id="E3").delete()
    figures = dash.cached_figures(_request_for(client))
    assert (
        figures["cards"]["screening.web.card.open_hits"]["value"] == 2 == _open_hits(None)["value"]
    )


def _request_for(client: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    request.LANGUAGE_CODE = "ja"
    return request


def test_fingerprint_sees_insert_delete_and_update_time(db: Any) -> None:
    from econsec.guideline.models import Campaign

    before = dash.fingerprint(["screening.Hit", "guideline.Campaign", "no.SuchModel"])
    Hit.objects.bulk_create([_hit(1)])
    inserted = dash.fingerprint(["screening.Hit", "guideline.Campaign"])
    assert inserted != before
    Hit.objects.all().delete()
    assert dash.fingerprint(["screening.Hit", "guideline.Campaign"]) != inserted
    assert Campaign.objects.count() == 0
    assert dash.fingerprint([]) == ()


def test_figures_are_cached_per_language(client_for: Any, chain: Any, users: Any) -> None:
    client = client_for("viewer")
    ja = client.get("/").content.decode()
    client.post("/language/", {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert "ダッシュボード" in ja and "Dashboard" in en
    assert "ダッシュボード" not in en


def test_profile_language_read_once_per_session(client_for: Any, users: Any) -> None:
    UserPreference.objects.create(user=users["viewer"], language="en")
    client = client_for("viewer")
    client.get("/")
    assert client.session[SESSION_KEY] == "en"
    assert client.session[PROFILE_SESSION_KEY][1] == "en"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/valuechain/organisations/")
    assert response["Content-Language"] == "en"
    assert not any("web_userpreference" in q["sql"] for q in ctx.captured_queries)


def test_switching_language_takes_effect_even_back_to_the_session_choice(
    client_for: Any, users: Any
) -> None:
    # Session chose ja before sign-in, the profile (set elsewhere) says en: en wins.
    UserPreference.objects.create(user=users["viewer"], language="en")
    client = client_for("viewer")
    session = client.session
    session[SESSION_KEY] = "ja"
    session.save()
    assert client.get("/")["Content-Language"] == "en"
    client.post("/language/", {"language": "ja", "next": "/"})
    assert client.get("/")["Content-Language"] == "ja"
    assert UserPreference.objects.get(user=users["viewer"]).language == "ja"
    client.post("/language/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"


def test_profile_changed_from_another_session_shows_after_a_switch(
    client_for: Any, users: Any
) -> None:
    client = client_for("viewer")
    assert client.get("/")["Content-Language"] == "ja"
    other = client_for("viewer")
    other.post("/language/", {"language": "en", "next": "/"})
    assert other.get("/")["Content-Language"] == "en"
    # A fresh sign-in reads the profile again.
    assert client_for("viewer").get("/")["Content-Language"] == "en"


def test_navigation_labels_and_links_per_role(client_for: Any, chain: Any) -> None:
    viewer = client_for("viewer").get("/valuechain/sites/").content.decode()
    analyst = client_for("analyst").get("/valuechain/sites/").content.decode()
    assert 'href="/valuechain/upload/"' not in viewer
    assert 'href="/valuechain/upload/"' in analyst
    assert 'class="current" aria-current="page"' in viewer
    assert 'href="/jobs/"' in viewer and 'action="/logout/"' in viewer


def test_no_warming_thread_under_tests() -> None:
    assert warmer.interval() == 0.0
    warmer.ensure_started()
    import threading

    assert all(t.name != "econsec-warmer" for t in threading.enumerate())
