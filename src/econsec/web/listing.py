"""Keyset pagination: pages stay as fast on page 500 as on page 1, and no count(*) is needed.

A page is addressed by a cursor holding the sort value and primary key of the row next to it,
so the database walks an index from that point (``WHERE (v, id) > (v0, id0) ORDER BY v, id``)
instead of skipping OFFSET rows. Sort fields must be non-null and indexed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
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
    if field in ("pk", "id"):
        return Q(**{f"pk__{op}": pk})
    # The leading bound (v >= v0) lets the database start the index range at the cursor; the
    # plain OR form made SQLite walk the index from the start.
    return Q(**{f"{field}__{op}e": value}) & (
        Q(**{f"{field}__{op}": value}) | Q(**{f"pk__{op}": pk})
    )


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


class TextIndex:
    """Case-insensitive substring search over a few text columns of one table, in memory.

    A search for rare text makes ``icontains`` scan the whole table (LIKE '%q%' cannot use an
    index on any engine), and so did a scan of one long string here: ~2 ms per search over
    55,000 names once the text holds Japanese (four bytes a character). Instead the index keeps,
    for every one- and two-character sequence, the sorted rows holding it (posting lists built
    with numpy once per data version). A query's rows are the intersection of its bigrams' rows,
    checked with ``in`` when the query is longer than two characters, so the cost follows the
    rarest bigram, not the table. It answers with primary keys for the database to fetch.
    """

    _FIELD = "\x1f"  # between columns of a row; cannot occur in a stored value or a query
    _ROW = "\n"
    _SHIFT = 21  # code points fit in 21 bits

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        """``rows``: (pk, text, text, …) tuples; None texts count as empty."""
        pks: list[int] = []
        lines: list[str] = []
        for pk, *texts in rows:
            lines.append(
                self._FIELD.join(
                    str(x or "").lower().replace(self._ROW, " ").replace(self._FIELD, " ")
                    for x in texts
                )
            )
            pks.append(int(pk))
        self._pks = pks
        self._lines = lines
        haystack = "".join(line + self._ROW for line in lines)  # each row ends with _ROW
        chars = np.frombuffer(
            haystack.encode("utf-32-le", "surrogatepass"), dtype=np.uint32
        ).astype(np.int64)
        row_of = np.repeat(
            np.arange(len(lines), dtype=np.int64),
            np.fromiter((len(line) + 1 for line in lines), dtype=np.int64, count=len(lines)),
        )
        text = (chars != ord(self._ROW)) & (chars != ord(self._FIELD))
        self._grams = [
            self._postings(chars[text], row_of[text]),
            self._postings(
                (chars[:-1] << self._SHIFT) | chars[1:],
                row_of[:-1],
                text[:-1] & text[1:],
            ),
        ]

    @staticmethod
    def _postings(
        codes: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
        keep: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(code, row) pairs, unique and sorted by code then row."""
        if keep is not None:
            codes, rows = codes[keep], rows[keep]
        if not codes.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        order = np.lexsort((rows, codes))
        codes, rows = codes[order], rows[order]
        first = np.ones(codes.shape[0], dtype=bool)
        first[1:] = (codes[1:] != codes[:-1]) | (rows[1:] != rows[:-1])
        return codes[first], rows[first]

    def __len__(self) -> int:
        return len(self._pks)

    def _rows_with(self, gram: str) -> npt.NDArray[np.int64]:
        """Sorted rows holding the one- or two-character ``gram``."""
        codes, rows = self._grams[len(gram) - 1]
        code = ord(gram[0]) if len(gram) == 1 else (ord(gram[0]) << self._SHIFT) | ord(gram[1])
        lo, hi = np.searchsorted(codes, [code, code + 1])
        found: npt.NDArray[np.int64] = rows[lo:hi]
        return found

    def find(self, text: str, limit: int | None = None) -> list[int] | None:
        """Primary keys of the rows containing ``text`` (ignoring case), in table order; None
        when more than ``limit`` rows match (the caller then lets the database search)."""
        needle = text.lower()
        if not needle or self._ROW in needle or self._FIELD in needle:
            return None
        if len(needle) <= 2:
            candidates = self._rows_with(needle)
            exact = True
        else:
            postings = sorted(
                (self._rows_with(needle[i : i + 2]) for i in range(len(needle) - 1)),
                key=len,
            )
            candidates = postings[0]
            for other in postings[1:]:
                if not candidates.size:
                    break
                candidates = candidates[np.isin(candidates, other, assume_unique=True)]
            exact = False
        if exact and limit is not None and candidates.shape[0] > limit:
            return None
        hits: list[int] = []
        for row in candidates.tolist():
            if exact or needle in self._lines[row]:
                hits.append(self._pks[row])
                if limit is not None and len(hits) > limit:
                    return None
        return hits
