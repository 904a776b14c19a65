"""Sign-in throttling, safe redirects, and the language order (profile > session > browser)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from econsec.web import throttle
from econsec.web.models import LoginFailure, UserPreference

from .fixtures import PASSWORD


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("web:login"), {"username": username, "password": password}, **extra)


def test_lock_after_repeated_failures_even_with_the_right_password(
    users: Any, settings: Any
) -> None:
    settings.ECONSEC_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(2):
        assert _login(client, "viewer", "nope").status_code == 200
    assert _login(client, "viewer", "nope").status_code == 429
    # Locked: the correct password is refused too, and the session stays anonymous.
    response = _login(client, "viewer", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("web:dashboard")).status_code == 302
    # Another address is not locked out by this one.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _login(other, "viewer", PASSWORD).status_code == 302


def test_lock_expires_and_success_clears_the_count(users: Any, settings: Any) -> None:
    settings.ECONSEC_LOGIN_MAX_FAILURES = 2
    now = timezone.now()
    throttle.record_failure("viewer", "127.0.0.1", now)
    lock = throttle.record_failure("Viewer ", "127.0.0.1", now)  # names are compared folded
    assert lock is not None and lock > now
    later = now + timedelta(seconds=settings.ECONSEC_LOGIN_LOCK_SECONDS + 1)
    assert throttle.locked_until("viewer", "127.0.0.1", later) is None
    LoginFailure.objects.update(locked_until=None)
    assert _login(Client(), "viewer", PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()


def test_login_redirects_only_to_this_site(users: Any) -> None:
    client = Client()
    response = client.post(
        reverse("web:login"),
        {"username": "viewer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:dashboard")
    client.logout()
    response = client.post(
        reverse("web:login"),
        {"username": "viewer", "password": PASSWORD, "next": "/valuechain/items/"},
    )
    assert response["Location"] == "/valuechain/items/"


def test_passwords_are_hashed(users: Any) -> None:
    assert PASSWORD not in users["viewer"].password


def test_language_defaults_from_the_browser_then_follows_the_user(users: Any) -> None:
    client = Client()
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    assert "<h1>Sign in</h1>" in page.content.decode() and page["Content-Language"] == "en"
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
    assert "<h1>サインイン</h1>" in page.content.decode()
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "<h1>サインイン</h1>" in page.content.decode()  # unsupported: the default, Japanese
    # Chosen before signing in: kept in the session, then saved to the profile at sign-in.
    client.post(reverse("web:set_language"), {"language": "en", "next": "/login/"})
    _login(client, "viewer", PASSWORD, HTTP_ACCEPT_LANGUAGE="ja")
    assert UserPreference.objects.get(user=users["viewer"]).language == "en"
    # A new browser with a Japanese Accept-Language still gets the user's English.
    fresh = Client()
    fresh.force_login(users["viewer"])
    page = fresh.get(reverse("web:dashboard"), HTTP_ACCEPT_LANGUAGE="ja")
    assert "<h1>Dashboard</h1>" in page.content.decode()


def test_unknown_language_is_ignored(client_for: Any, users: Any) -> None:
    client = client_for("viewer")
    client.post(reverse("web:set_language"), {"language": "xx"})
    assert not UserPreference.objects.filter(user=users["viewer"]).exists()


def test_csrf_is_enforced_on_sign_in(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "viewer", PASSWORD).status_code == 403
