"""A real econsec installation in a temporary folder: a SQLite file, real processes.

The tests that kill workers or race sign-ins against an import need what production has — a
file database shared by separate processes — not the test run's in-memory database. Everything
here talks to that installation through subprocesses (``python -m tests.web.storectl``) or reads
its SQLite file directly; the test process's own Django never touches it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def store_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a process of the installation in ``data_dir`` (always SQLite)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECONSEC_", "DATABASE_URL"))}
    src = str(ROOT / "src")
    env.update(
        {
            "ECONSEC_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "econsec.web.settings",
            "PYTHONPATH": os.pathsep.join([src, str(ROOT)]),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def new_installation(folder: Path, template: Path | None = None) -> Path:
    """An installation's data folder, with its database copied from ``template`` (a migrated
    one: migrating takes seconds) or created here."""
    folder.mkdir(parents=True, exist_ok=True)
    if template is not None:
        for name in ("econsec.sqlite3", "econsec.sqlite3-wal", "secret_key"):
            if (template / name).exists():
                shutil.copy2(template / name, folder / name)
    else:
        storectl(store_env(folder), "migrate")
    return folder


def storectl(env: dict[str, str], *args: str) -> Any:
    """Run one ``tests.web.storectl`` command in the installation; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.storectl", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_command(worker_id: str, parent: int) -> list[str]:
    """``econsec worker`` with the test job kinds registered (tests.web.testkinds)."""
    return [
        sys.executable,
        "-m",
        "tests.web.storectl",
        "worker",
        "--worker-id",
        worker_id,
        "--parent",
        str(parent),
    ]


def job_row(data_dir: Path, job_id: int) -> dict[str, Any]:
    """The job's row as committed (read straight from the SQLite file)."""
    with sqlite3.connect(data_dir / "econsec.sqlite3", timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM web_job WHERE id = ?", (job_id,)).fetchone()
    found = dict(row)
    for key in ("error", "result", "params", "progress_note"):
        found[key] = json.loads(found[key] or "{}")
    return found


def rows(data_dir: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / "econsec.sqlite3", timeout=30) as db:
        return list(db.execute(sql, params).fetchall())


def wait_for(what: Callable[[], Any], timeout: float = 60.0, every: float = 0.2) -> Any:
    """Poll until ``what()`` is truthy; its value. Fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = what()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:.0f} s")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browserless:
    """Just enough HTTP for the sign-in form: cookies, the CSRF token, no redirects."""

    def __init__(self, port: int, *, lang: str = "en") -> None:
        self.port = port
        self.lang = lang
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Accept-Language": self.lang, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def sign_in(self, username: str, password: str) -> tuple[int, dict[str, str], str]:
        status, _, page = self.request("GET", "/login/")
        assert status == 200, (status, page[:300])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:300]
        from urllib.parse import urlencode

        body = urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        ).encode()
        return self.request(
            "POST",
            "/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login/",
            },
        )


def start_server(env: dict[str, str], port: int, *extra: str) -> subprocess.Popen[bytes]:
    """``econsec serve`` on ``port``; returns once it answers."""
    log = Path(env["ECONSEC_DATA_DIR"]) / "serve.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "econsec.cli", "serve", "--port", str(port), *extra],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def up() -> bool:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    wait_for(up, timeout=120)
    return proc


def stop(proc: subprocess.Popen[bytes], timeout: float = 60) -> int:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return int(proc.returncode)
