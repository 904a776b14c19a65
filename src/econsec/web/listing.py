"""Keyset pagination: pages stay as fast on page 500 as on page 1, and no count(*) is needed.

A page is addressed by a cursor holding the sort value and primary key of the row next to it,
so the database walks an index from that point (``WHERE (v, id) > (v0, id0) ORDER BY v, id``)
instead of skipping OFFSET rows. Sort fields must be non-null and indexed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    prev_cursor: str | None


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value, pk], ensure_ascii=False, default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """The (value, pk) in ``cursor``, or None when it is malformed (treated as the first page)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        return value, int(pk)
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        return None


def _beyond(field: str, value: Any, pk: int, descending: bool) -> Q:
    op = "lt" if descending else "gt"
    return Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})


def paginate(
    queryset: QuerySet[Any],
    field: str,
    *,
    descending: bool = False,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
) -> Page:
    """One page of ``queryset`` ordered by (``field``, pk), after or before a cursor.

    Rows are model instances, or dicts when ``queryset`` is a ``.values()`` query that selects
    ``field`` and ``"pk"`` (cheaper: no model instances are built).
    """
    backwards = bool(before) and not after
    raw_cursor = before if backwards else after
    cursor = decode_cursor(raw_cursor) if raw_cursor else None
    walk_desc = descending != backwards
    order = [f"-{field}", "-pk"] if walk_desc else [field, "pk"]
    qs = queryset.order_by(*order)
    if cursor is not None:
        qs = qs.filter(_beyond(field, cursor[0], cursor[1], walk_desc))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    def cursor_of(row: Model | dict[str, Any]) -> str:
        if isinstance(row, dict):  # a .values() queryset: it must select ``field`` and "pk"
            return encode_cursor(row[field], int(row["pk"]))
        value: Any = row
        for part in field.split("__"):
            value = getattr(value, part)
        return encode_cursor(value, int(row.pk))

    if not rows:
        return Page(rows, None, None)
    next_cursor: str | None
    prev_cursor: str | None
    if backwards:
        next_cursor = cursor_of(rows[-1])
        prev_cursor = cursor_of(rows[0]) if more else None
    else:
        next_cursor = cursor_of(rows[-1]) if more else None
        prev_cursor = cursor_of(rows[0]) if cursor is not None else None
    return Page(rows, next_cursor, prev_cursor)
