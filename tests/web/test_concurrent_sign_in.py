"""Sign-ins against a real server on a SQLite file while other work writes (tests.web.realstore).

SQLite has one writer at a time. A sign-in writes (the failure count, the session, the last
sign-in time); it must wait its turn or, when the database stays busy past the timeout, get a
503 that says to retry — never a 500.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .realstore import (
    ROOT,
    Browserless,
    free_port,
    new_installation,
    start_server,
    stop,
    store_env,
    storectl,
)

PASSWORD = "a long and correct password"
TIMEOUT = 2  # seconds a write waits for the lock (ECONSEC_SQLITE_TIMEOUT)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = new_installation(tmp_path_factory.mktemp("signin"))
    env = store_env(data, ECONSEC_SQLITE_TIMEOUT=str(TIMEOUT))
    for name in ("alice", "bob", "carol", "dave"):
        storectl(env, "user", name, "viewer", PASSWORD)
    port = free_port()
    proc = start_server(env, port, "--no-worker")
    try:
        yield {"data": data, "env": env, "port": port}
    finally:
        stop(proc)


def _parallel(count: int, call: Any) -> list[Any]:
    results: list[Any] = [None] * count
    start = threading.Barrier(count)

    def run(i: int) -> None:
        start.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_sixteen_parallel_failed_sign_ins_are_counted_one_by_one(server: dict[str, Any]) -> None:
    port = server["port"]
    results = _parallel(16, lambda i: Browserless(port).sign_in("alice", "wrong")[0])
    # Every failure is counted, in turn: the first four are told the password is wrong, the
    # fifth locks the account (for this address), and every later one is refused as locked.
    assert sorted(results) == [200] * 4 + [429] * 12
    stored = sqlite3.connect(server["data"] / "econsec.sqlite3").execute(
        "SELECT failures FROM web_loginfailure WHERE username = 'alice'"
    )
    assert 5 <= stored.fetchone()[0] <= 16


@pytest.mark.parametrize(("lang", "message"), [("en", "The database is busy"), ("ja", "使用中")])
def test_a_sign_in_while_the_database_stays_locked_gets_a_retryable_503(
    server: dict[str, Any], lang: str, message: str
) -> None:
    client = Browserless(server["port"], lang=lang)
    # Another process holds the write lock longer than the timeout, as a long import does.
    holder = sqlite3.connect(server["data"] / "econsec.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        status, headers, body = client.sign_in("bob", PASSWORD)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == 503, body[:500]
    assert headers["retry-after"] == "5"
    assert message in body and headers["content-type"].startswith("text/html")
    # Once the lock is gone the same sign-in goes through.
    assert client.sign_in("bob", PASSWORD)[0] == 302


def test_the_api_answers_a_locked_database_with_json(server: dict[str, Any]) -> None:
    token = storectl(server["env"], "token", "carol")["token"]
    client = Browserless(server["port"])
    holder = sqlite3.connect(server["data"] / "econsec.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # A token's first use records when it was used: a write, which waits and then gives up.
        status, headers, body = client.request(
            "GET", "/api/valuechain/organisations", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == 503, body[:500]
    assert headers["retry-after"] == "5" and headers["content-type"] == "application/json"
    assert "The database is busy" in json.loads(body)["detail"]
    status, _, body = client.request(
        "GET", "/api/valuechain/organisations", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 200, body[:500]


def test_sign_ins_during_an_import_never_get_a_500(server: dict[str, Any], tmp_path: Path) -> None:
    env = server["env"]
    workbook = tmp_path / "chain.xlsx"
    generate = [sys.executable, "-m", "econsec.cli", "generate", "--sites", "200"]
    subprocess.run(
        [*generate, "--parts", "2000", "--tiers", "4", "--out", str(workbook)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    importing = subprocess.Popen(
        [sys.executable, "-m", "econsec.cli", "import", str(workbook), "--lang", "en"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    seen: list[tuple[float, int, dict[str, str], str]] = []
    lock = threading.Lock()

    def keep_signing_in(i: int) -> None:
        while importing.poll() is None:
            began = time.monotonic()
            status, headers, body = Browserless(server["port"]).sign_in("dave", PASSWORD)
            with lock:
                seen.append((began, status, headers, body))

    _parallel(3, keep_signing_in)
    output = importing.communicate(timeout=300)[0].decode()
    assert importing.returncode == 0, output
    assert "Imported:" in output
    assert seen, "no sign-in ran during the import"
    statuses = [s for _, s, _, _ in seen]
    assert 500 not in statuses
    assert set(statuses) <= {302, 503}, statuses
    for _, status, headers, body in seen:
        if status == 503:
            assert headers["retry-after"] == "5" and "The database is busy" in body
    # And afterwards signing in simply works.
    assert Browserless(server["port"]).sign_in("dave", PASSWORD)[0] == 302
