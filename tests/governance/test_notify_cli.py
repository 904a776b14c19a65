"""`econsec notify …` on a real SQLite file: webhook receivers (the secret printed once, a
signed test to a real HTTP receiver), preferences, requests decided (refusing restores the
earlier treatment), the inbox and the delivery queue, in ja and en."""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.governance.conftest import _Hook
from tests.governance.test_cli import _env

_SEED = """
from econsec.store import open_store
open_store()
from django.contrib.auth.models import Group, User
from econsec.governance import risks
for name in ("boss", "ana"):
    user = User.objects.create_user(name)
    role = "administrator" if name == "boss" else "analyst"
    user.groups.add(Group.objects.get_or_create(name=role)[0])
risk = risks.create("R-1", actor="ana", title_ja="受容", title_en="to accept", treatment="avoid")
risks.request_acceptance(risk, actor="ana", reason="cheap to carry")
"""


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "econsec.cli", "notify", *args], env={**env, "COLUMNS": "250"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_notify_commands_end_to_end(tmp_path: Path, receiver: tuple[str, type[_Hook]]) -> None:
    url, hook_class = receiver
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-c", _SEED], env=env, check=True, timeout=300)

    added = _run(env, "webhook", "add", url, "--kind", "webhook_test", "--user", "boss",
                 "--lang", "en")  # fmt: skip
    assert added.returncode == 0, added.stderr
    secret = re.search(r"shown this once only\): (\S+)", added.stdout)
    assert secret, added.stdout
    listed = _run(env, "webhook", "list", "--lang", "en")
    assert url in listed.stdout and secret.group(1) not in listed.stdout
    tested = _run(env, "webhook", "test", "1", "--user", "boss", "--lang", "en")
    assert tested.returncode == 0 and ": sent" in tested.stdout, tested.stdout + tested.stderr
    (headers, body), = hook_class.received  # fmt: skip
    mac = hmac.new(secret.group(1).encode(),
                   headers["X-Econsec-Timestamp"].encode() + b"." + body, hashlib.sha256)  # fmt: skip
    assert headers["X-Econsec-Signature"] == "sha256=" + mac.hexdigest()
    assert _run(env, "webhook", "change", "1", "--inactive", "--user", "boss").returncode == 0
    bad = _run(env, "webhook", "add", "ftp://example.jp/x", "--lang", "ja")
    assert bad.returncode == 1 and "URL「ftp://example.jp/x」は使えません" in bad.stderr

    prefs = _run(env, "prefs", "ana", "--email", "ana@example.jp", "--digest", "--lang", "en")
    assert prefs.returncode == 0 and "e-mail ana@example.jp" in prefs.stdout
    assert "daily digest yes" in prefs.stdout
    refused = _run(env, "prefs", "ana", "--language", "de", "--lang", "en")
    assert refused.returncode == 1 and "'de'" in refused.stderr
    assert "language ja" in _run(env, "prefs", "ana", "--lang", "en").stdout  # unchanged

    waiting = _run(env, "requests", "--lang", "en")
    assert "risk:R-1" in waiting.stdout and "cheap to carry" in waiting.stdout
    not_allowed = _run(env, "decide", "risk:R-1", "refuse", "--user", "ana", "--reason", "x",
                       "--lang", "en")  # fmt: skip
    assert not_allowed.returncode == 1 and "ana cannot decide" in not_allowed.stderr
    no_reason = _run(env, "decide", "risk:R-1", "refuse", "--user", "boss", "--lang", "ja")
    assert no_reason.returncode == 1 and "理由が必要" in no_reason.stderr
    done = _run(env, "decide", "risk:R-1", "refuse", "--user", "boss", "--reason", "mitigate it",
                "--lang", "en")  # fmt: skip
    assert done.returncode == 0 and "risk:R-1: refused by boss" in done.stdout, done.stderr
    db = next(tmp_path.glob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT treatment, acceptance_requested_by FROM governance_risk "
                           "WHERE code = 'R-1'").fetchone()  # fmt: skip
    assert row == ("avoid", "")
    assert "No requests are waiting" in _run(env, "requests", "--lang", "en").stdout

    inbox = _run(env, "list", "ana", "--lang", "en")
    assert "Decision on your request" in inbox.stdout, inbox.stdout
    assert _run(env, "list", "ana", "--read", "999999", "--lang", "en").returncode == 1
    with sqlite3.connect(db) as conn:
        (mine,) = conn.execute("SELECT id FROM governance_notification WHERE recipient = 'ana' "
                               "AND kind = 'request_decided'").fetchone()  # fmt: skip
    assert _run(env, "list", "ana", "--read", str(mine)).returncode == 0
    assert "No notifications" in _run(env, "list", "ana", "--unread", "--lang", "en").stdout
    delivered = _run(env, "deliver", "--lang", "en")
    assert delivered.returncode == 0 and "0 sent, 0 to retry, 0 failed." in delivered.stdout
    verify = subprocess.run([sys.executable, "-m", "econsec.cli", "audit", "verify"], env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    with sqlite3.connect(db) as conn:
        logged = {r[0] for r in conn.execute("SELECT action FROM governance_auditevent")}
    assert {"webhook.added", "webhook.changed", "risk.acceptance_refused"} <= logged
