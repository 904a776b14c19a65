"""Safe defaults: a secret key per installation, and the client address behind a proxy."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from econsec.web import throttle
from econsec.web.secret_key import FILE_NAME, installation_key

from .fixtures import PASSWORD
from .realstore import ROOT, store_env


def test_each_installation_generates_its_own_private_key(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    key = installation_key(first)
    assert len(key) >= 50
    assert installation_key(first) == key, "the key changed between starts"
    assert installation_key(second) != key
    path = first / FILE_NAME
    assert path.read_text().strip() == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # No stray temporary files are left beside it.
    assert sorted(p.name for p in first.iterdir()) == [FILE_NAME]


def test_a_truncated_key_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("short\n")
    key = installation_key(tmp_path)
    assert len(key) >= 50 and (tmp_path / FILE_NAME).read_text().strip() == key


def _settings_of(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        env=store_env(data_dir, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_server_uses_the_installation_key_and_production_demands_its_own(
    tmp_path: Path,
) -> None:
    done = _settings_of(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (tmp_path / FILE_NAME).read_text().strip()
    assert "econsec-development-key" not in done.stdout
    given = _settings_of(tmp_path, ECONSEC_SECRET_KEY="k" * 60)
    assert given.stdout.strip() == "k" * 60
    production = _settings_of(tmp_path / "prod", ECONSEC_PRODUCTION="1")
    assert production.returncode != 0 and "ECONSEC_SECRET_KEY" in production.stderr


def _ip(settings: Any, remote: str, forwarded: str | None = None, proxies: str = "") -> str:
    settings.ECONSEC_TRUSTED_PROXIES = [p for p in proxies.split(",") if p]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return throttle.client_ip(RequestFactory().get("/", **extra))


def test_the_client_address_is_read_from_a_trusted_proxy_only(settings: Any) -> None:
    # No proxy configured: the header is anyone's to write, and ignored.
    assert _ip(settings, "203.0.113.7", "198.51.100.1") == "203.0.113.7"
    # From a trusted proxy: the address it appended.
    assert _ip(settings, "10.0.0.2", "198.51.100.1", "10.0.0.2") == "198.51.100.1"
    # A client's own (forged) entries come first; the proxy appends the real one last.
    assert _ip(settings, "10.0.0.2", "1.2.3.4, 198.51.100.1", "10.0.0.2") == "198.51.100.1"
    # Two proxies in a row (networks allowed): the rightmost address that is not a proxy.
    chain = "1.2.3.4, 198.51.100.1, 10.0.0.3"
    assert _ip(settings, "10.0.0.2", chain, "10.0.0.0/24") == "198.51.100.1"
    # A request that reached the server directly is keyed on its own address.
    assert _ip(settings, "203.0.113.7", "198.51.100.1", "10.0.0.2") == "203.0.113.7"
    # From the proxy without the header, or with garbage in it: the proxy's address.
    assert _ip(settings, "10.0.0.2", None, "10.0.0.2") == "10.0.0.2"
    assert _ip(settings, "10.0.0.2", "not-an-address", "10.0.0.2") == "10.0.0.2"
    assert _ip(settings, "::1", "2001:db8::5", "::1") == "2001:db8::5"


def test_behind_a_trusted_proxy_one_client_cannot_lock_out_another(
    users: Any, settings: Any
) -> None:
    settings.ECONSEC_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.ECONSEC_LOGIN_MAX_FAILURES = 3

    def sign_in(client_address: str, password: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
        response = client.post(reverse("web:login"), {"username": "viewer", "password": password})
        return int(response.status_code)

    assert [sign_in("198.51.100.66", "guess") for _ in range(3)] == [200, 200, 429]
    assert sign_in("198.51.100.66", PASSWORD) == 429  # the attacker's address stays locked
    assert sign_in("198.51.100.10", PASSWORD) == 302  # the colleague behind the same proxy


def test_a_bad_trusted_proxy_setting_stops_the_start(tmp_path: Path) -> None:
    done = _settings_of(tmp_path, ECONSEC_TRUSTED_PROXIES="10.0.0.2,proxy.example")
    assert done.returncode != 0 and "proxy.example" in done.stderr


@pytest.fixture(autouse=True)
def _fresh_trust_cache() -> None:
    throttle._trusted.cache_clear()
