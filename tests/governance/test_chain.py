"""The audit trail's hash chain: tampering directly in the database is found at the right record.

Each test edits, deletes, reorders or inserts rows with SQL (not through the models), on
whichever engine the run uses (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from econsec.governance.chain import GENESIS, anchor, append, digest, read_anchor, verify
from econsec.governance.models import AuditEvent, AuditHead

TABLE = AuditEvent._meta.db_table


def _sql(statement: str, params: tuple[object, ...] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _ten() -> list[AuditEvent]:
    return [
        append("test.action", f"obj:{i}", actor="alice", reason="why", detail={"n": i, "名": "値"})
        for i in range(1, 11)
    ]


def _id(seq: int) -> int:
    return int(AuditEvent.objects.get(seq=seq).pk)


def test_an_untouched_chain_verifies_and_hashes_are_independently_reproducible(db: None) -> None:
    events = _ten()
    result = verify()
    assert result.ok and result.count == 10 and result.head_seq == 10
    # Recompute the chain from the stored rows with hashlib alone.
    prev = GENESIS
    for e in AuditEvent.objects.order_by("seq"):
        stamp = e.at.astimezone(__import__("datetime").UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        text = "\x1f".join(
            (prev, str(e.seq), stamp, e.actor, e.action, e.object_ref, e.reason, e.detail)
        )
        assert e.prev_hash == prev
        prev = hashlib.sha256(text.encode()).hexdigest()
        assert e.hash == prev
    assert result.head_hash == prev == events[-1].hash
    assert json.loads(events[0].detail) == {"n": 1, "名": "値"}


def test_empty_chain_verifies(db: None) -> None:
    result = verify()
    assert result.ok and result.count == 0 and result.head_hash == GENESIS


@pytest.mark.parametrize("column", ["reason", "actor", "detail", "object_ref"])
def test_editing_a_field_breaks_at_that_record(db: None, column: str) -> None:
    _ten()
    _sql(f"UPDATE {TABLE} SET {column} = %s WHERE seq = 4", ('{"n":999}',))
    result = verify()
    assert not result.ok and result.broken is not None
    assert (result.broken.seq, result.broken.record_id) == (4, _id(4))
    assert result.broken.reason == "governance.audit.content"
    assert result.count == 3


def test_editing_the_timestamp_breaks_at_that_record(db: None) -> None:
    _ten()
    row = AuditEvent.objects.get(seq=7)
    AuditEvent.objects.filter(pk=row.pk).update(at=row.at.replace(year=row.at.year - 1))
    result = verify()
    assert result.broken is not None and result.broken.seq == 7


def test_editing_and_rehashing_one_record_breaks_the_next_link(db: None) -> None:
    _ten()
    e = AuditEvent.objects.get(seq=5)
    forged = digest(e.prev_hash, 5, e.at, e.actor, e.action, e.object_ref, "forged", e.detail)
    _sql(f"UPDATE {TABLE} SET reason = %s, hash = %s WHERE seq = 5", ("forged", forged))
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (6, "governance.audit.link")


def test_deleting_a_record_is_named(db: None) -> None:
    _ten()
    next_id = _id(4)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 3")
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.record_id) == (3, next_id)
    assert result.broken.reason == "governance.audit.gap"


def test_deleting_the_last_records_is_found_by_the_head(db: None) -> None:
    _ten()
    _sql(f"DELETE FROM {TABLE} WHERE seq >= 9")
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (9, "governance.audit.head")


def test_reordering_two_records_breaks_at_the_first(db: None) -> None:
    _ten()
    # Swap the sequence numbers of records 3 and 6 (through a free number, seq is unique).
    _sql(f"UPDATE {TABLE} SET seq = -1 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 6")
    _sql(f"UPDATE {TABLE} SET seq = 6 WHERE seq = -1")
    result = verify()
    assert result.broken is not None
    assert result.broken.seq == 3 and result.broken.reason == "governance.audit.link"


def _insert(seq: int, at: object, prev_hash: str, h: str) -> None:
    _sql(
        f"INSERT INTO {TABLE} (seq, at, actor, action, object_ref, reason, detail, prev_hash, hash)"
        " VALUES (%s, %s, 'mallory', 'test.action', 'obj:x', '', '{}', %s, %s)",
        (seq, at, prev_hash, h),
    )


def test_inserting_a_record_in_the_middle_is_named(db: None) -> None:
    _ten()
    # Make room after 5 the way a forger would, then insert a record claiming seq 6.
    for seq in range(10, 5, -1):
        _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", (seq + 1, seq))
    e5 = AuditEvent.objects.get(seq=5)
    fake = digest(e5.hash, 6, e5.at, "mallory", "test.action", "obj:x", "", "{}")
    _insert(6, e5.at, e5.hash, fake)
    result = verify()
    assert result.broken is not None
    # The inserted record is itself well formed; the chain breaks where the old one resumes.
    assert result.broken.seq == 7 and result.broken.reason == "governance.audit.link"


def test_inserting_a_record_after_the_head_is_named(db: None) -> None:
    events = _ten()
    e = events[-1]
    _insert(11, e.at, e.hash, digest(e.hash, 11, e.at, "mallory", "test.action", "obj:x", "", "{}"))
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.record_id) == (11, _id(11))
    assert result.broken.reason == "governance.audit.head"


def test_a_rebuilt_chain_is_caught_by_the_anchor(db: None, tmp_path: Path) -> None:
    _ten()
    path = tmp_path / "head.json"
    written = anchor(path)
    assert read_anchor(path)["hash"] == written["hash"] == AuditHead.objects.get().hash
    assert verify(anchor=written).ok
    # Rewrite the whole table with a consistent chain, head included: only the anchor notices.
    rows = list(AuditEvent.objects.order_by("seq"))
    prev = GENESIS
    for e in rows:
        reason = "rewritten" if e.seq == 2 else e.reason
        h = digest(prev, e.seq, e.at, e.actor, e.action, e.object_ref, reason, e.detail)
        _sql(
            f"UPDATE {TABLE} SET reason=%s, prev_hash=%s, hash=%s WHERE id=%s",
            (reason, prev, h, e.pk),
        )
        prev = h
    AuditHead.objects.update(hash=prev)
    assert verify().ok
    result = verify(anchor=written)
    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (10, "governance.audit.anchor")


def test_appends_in_a_rolled_back_transaction_leave_nothing(db: None) -> None:
    from django.db import transaction

    append("a", "x")
    with pytest.raises(RuntimeError), transaction.atomic():
        append("b", "y")
        raise RuntimeError
    append("c", "z")
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(1, "a"), (2, "c")]
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database has table locks; see the process test below")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                append("test.concurrent", f"w{n}:{i}", actor=f"w{n}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 101))
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 100
    assert verify().ok


_APPENDER = """
import sys
from econsec.store import open_store
open_store()
from econsec.governance.chain import append
for i in range(int(sys.argv[2])):
    append("test.concurrent", f"{sys.argv[1]}:{i}", actor=sys.argv[1])
"""


def test_concurrent_processes_on_one_sqlite_file_never_fork_the_chain(tmp_path: Path) -> None:
    """Four processes append to the same SQLite file at once (as several workers would)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ECONSEC_DATA_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    run = [sys.executable, "-c", _APPENDER]
    subprocess.run([*run, "setup", "0"], env=env, check=True, timeout=300)
    procs = [subprocess.Popen([*run, f"p{n}", "40"], env=env) for n in range(4)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    check = subprocess.run(
        [sys.executable, "-m", "econsec.cli", "audit", "verify", "--lang", "en"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert "160 records checked" in check.stdout
