"""The tamper-evident audit trail: an append-only, hash-chained event log.

Each record's hash is SHA-256 over the previous record's hash and the record's own fields, so
editing, deleting, reordering or inserting a row directly in the database breaks the chain at
that row, and :func:`verify` names it. Appends are serialised on the head row (``AuditHead``):
``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the append writes the head row first, so the
transaction takes the database's write lock before it reads the head (the effect of ``BEGIN
IMMEDIATE``) and two writers can never build on the same head. Someone who can rewrite the
whole table and recompute every hash is caught by an anchor (:func:`anchor`): the head hash
written to a file, or anywhere outside the database, and checked by ``verify(anchor=…)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from econsec.governance.models import AuditEvent, AuditHead

GENESIS = "0" * 64
_HEAD_PK = 1
_SEP = "\x1f"  # unit separator: cannot be confused with text inside a field


def canonical(detail: Mapping[str, Any] | None) -> str:
    """The detail as the exact text that is stored and hashed (sorted keys, no spaces)."""
    return json.dumps(
        detail or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def _stamp(at: dt.datetime) -> str:
    # Both engines keep microseconds in UTC; the hash sees one fixed spelling of it. (A naive
    # time is SQLite's stored UTC.)
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(
    prev_hash: str,
    seq: int,
    at: dt.datetime | str,
    actor: str,
    action: str,
    object_ref: str,
    reason: str,
    detail: str,
) -> str:
    """The hash of one record given the previous record's hash (``at`` as stored, or a time)."""
    stamp = _stamp_text(at)
    text = _SEP.join((prev_hash, str(seq), stamp, actor, action, object_ref, reason, detail))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_EVENT = AuditEvent._meta.db_table
_HEAD = AuditHead._meta.db_table
_COLUMNS = "seq, at, actor, action, object_ref, reason, detail, prev_hash, hash"


def _lock_head(cursor: Any) -> tuple[int, str]:
    """The head's seq and hash, locked for the rest of the transaction (created on first use).

    Plain SQL: an append is a handful of statements, and the ORM's query building would cost
    more than the database work (see benchmarks/governance).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    if connection.vendor == "sqlite":
        # Write before reading: the transaction holds SQLite's write lock from here on.
        cursor.execute(f"UPDATE {_HEAD} SET seq = seq WHERE id = %s", [_HEAD_PK])
    cursor.execute(f"SELECT seq, hash FROM {_HEAD} WHERE id = %s{lock}", [_HEAD_PK])
    row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=_HEAD_PK, seq=0, hash=GENESIS)
        return 0, GENESIS
    except IntegrityError:  # another writer created it first: wait for its lock
        cursor.execute(f"SELECT seq, hash FROM {_HEAD} WHERE id = %s{lock}", [_HEAD_PK])
        seq, h = cursor.fetchone()
        return int(seq), str(h)


def append(
    action: str,
    object_ref: str = "",
    *,
    actor: str = "",
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction, if any).

    Returns the record as written (an unsaved-looking instance carrying its id).
    """
    body = canonical(detail)
    actor, action, object_ref = actor[:200], action[:60], object_ref[:300]
    with transaction.atomic(), connection.cursor() as cursor:
        head_seq, head_hash = _lock_head(cursor)
        seq = head_seq + 1
        at = timezone.now()
        h = digest(head_hash, seq, at, actor, action, object_ref, reason, body)
        values = [seq, connection.ops.adapt_datetimefield_value(at), actor, action, object_ref]
        cursor.execute(
            f"INSERT INTO {_EVENT} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING id",
            [*values, reason, body, head_hash, h],
        )
        (pk,) = cursor.fetchone()
        cursor.execute(f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE id = %s", [seq, h, _HEAD_PK])
    return AuditEvent(
        id=pk, seq=seq, at=at, actor=actor, action=action, object_ref=object_ref, reason=reason,
        detail=body, prev_hash=head_hash, hash=h,
    )  # fmt: skip


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first record where the chain does not hold, and why (a message id)."""

    seq: int
    record_id: int | None
    reason: str


@dataclass(frozen=True)
class Verification:
    count: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _stamp_text(value: Any) -> str:
    """The hashed spelling of a stored ``at`` as the database driver gives it back.

    SQLite returns Django's text (UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]``): rearranging it is
    several times faster than parsing it, which is most of what verify costs.
    """
    if isinstance(value, str):
        text = value[:26] if len(value) > 19 else value + ".000000"
        return f"{text[:10]}T{text[11:]}Z"
    return _stamp(value)


def _rows(chunk: int) -> Iterator[tuple[Any, ...]]:
    # Keyset pages by seq: constant memory and no server-side cursor needed on either engine.
    # On SQLite read the stored text as it is (no declared type, so no datetime conversion).
    at = "at || ''" if connection.vendor == "sqlite" else "at"
    sql = (
        f"SELECT id, seq, {at}, actor, action, object_ref, reason, detail, prev_hash, hash"
        f" FROM {_EVENT} WHERE seq > %s ORDER BY seq LIMIT %s"
    )
    last = -(2**62)
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [last, chunk])
            page = cursor.fetchall()
            if not page:
                return
            yield from page
            last = page[-1][1]


def verify(*, anchor: Mapping[str, Any] | None = None, chunk: int = 20_000) -> Verification:
    """Check the whole chain; the first broken record is named in ``broken``."""
    prev = GENESIS
    expected = 1
    count = 0
    anchored: tuple[int, str] | None = None
    if anchor is not None:
        anchored = (int(anchor["seq"]), str(anchor["hash"]))
    anchor_seen = anchored is None or anchored[0] == 0
    for pk, seq, at, actor, action, ref, reason, detail, prev_hash, h in _rows(chunk):
        if seq != expected:
            return Verification(count, seq, prev, Break(expected, pk, "governance.audit.gap"))
        if prev_hash != prev:
            return Verification(count, seq, prev, Break(seq, pk, "governance.audit.link"))
        if digest(prev, seq, at, actor, action, ref, reason, detail) != h:
            return Verification(count, seq, prev, Break(seq, pk, "governance.audit.content"))
        if anchored is not None and seq == anchored[0]:
            if h != anchored[1]:
                return Verification(count, seq, prev, Break(seq, pk, "governance.audit.anchor"))
            anchor_seen = True
        prev = h
        expected += 1
        count += 1
    last = expected - 1
    head = AuditHead.objects.filter(pk=_HEAD_PK).values_list("seq", "hash").first()
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    if (head_seq, head_hash) != (last, prev):
        # Records were cut off the end (head ahead of the rows), or added after the head
        # without going through append(): name the first record missing or added.
        first = last + 1 if head_seq > last else head_seq + 1
        pk = AuditEvent.objects.filter(seq=first).values_list("id", flat=True).first()
        return Verification(count, last, prev, Break(first, pk, "governance.audit.head"))
    if anchored is not None and not anchor_seen:
        missing = Break(anchored[0], None, "governance.audit.anchor_missing")
        return Verification(count, last, prev, missing)
    return Verification(count, last, prev, None)


def anchor(path: Path) -> dict[str, Any]:
    """Write the chain's head (seq, hash, when) to ``path`` as JSON and return it."""
    head = AuditHead.objects.filter(pk=_HEAD_PK).values_list("seq", "hash").first()
    seq, h = head if head is not None else (0, GENESIS)
    data = {"seq": seq, "hash": h, "at": timezone.now().isoformat(), "algorithm": "sha256-chain-1"}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def read_anchor(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "seq" not in data or "hash" not in data:
        raise ValueError(str(path))
    return data
