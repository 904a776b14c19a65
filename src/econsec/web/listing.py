"""Keyset pagination: pages stay as fast on page 500 as on page 1, and no count(*) is needed.

A page is addressed by a cursor holding the sort value and primary key of the row next to it,
so the database walks an index from that point (``WHERE (v, id) > (v0, id0) ORDER BY v, id``)
instead of skipping OFFSET rows. Sort fields must be non-null and indexed.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet

from .prepared import Prepared, int_marker, marker_for


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    prev_cursor: str | None


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value, pk], ensure_ascii=False, default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


_INT64 = range(-(2**63), 2**63)
_MAX_CURSOR = 4096


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """The (value, pk) in ``cursor``, or None when it does not decode cleanly to a plain value
    and a 64-bit key (a tampered cursor starts at the first page instead of failing)."""
    if len(cursor) > _MAX_CURSOR:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        return None
    if type(pk) is not int or pk not in _INT64 or not _plain(value):
        return None
    return value, pk


def _plain(value: Any) -> bool:
    """A sort value a database can compare: text, a finite number, a 64-bit integer, null."""
    if value is None or isinstance(value, bool | str):
        return True
    if isinstance(value, int):
        return value in _INT64
    return isinstance(value, float) and math.isfinite(value)


# What a field raises for a value it cannot take (a bad date raises ValidationError).
_REFUSED = (TypeError, ValueError, OverflowError, ValidationError)


def _beyond(field: str, value: Any, pk: int, descending: bool) -> Q:
    op = "lt" if descending else "gt"
    if field in ("pk", "id"):
        return Q(**{f"pk__{op}": pk})
    # The leading bound (v >= v0) lets the database start the index range at the cursor; the
    # plain OR form made SQLite walk the index from the start.
    return Q(**{f"{field}__{op}e": value}) & (
        Q(**{f"{field}__{op}": value}) | Q(**{f"pk__{op}": pk})
    )


def _checked(
    queryset: QuerySet[Any], field: str, cursor: tuple[Any, int] | None
) -> tuple[Any, int] | None:
    """``cursor`` if its value suits the sort field, else None (a tampered cursor starts at
    the first page instead of failing the request)."""
    if cursor is None or field in ("pk", "id"):
        return cursor
    try:
        model = queryset.model
        *path, last = field.split("__")
        for part in path:  # a sort on a related row's field: check against that field
            model = model._meta.get_field(part).related_model
        model._meta.get_field(last).get_prep_value(cursor[0])
    except (*_REFUSED, FieldDoesNotExist, AttributeError):
        return None
    return cursor


def keyset_queryset(
    queryset: QuerySet[Any],
    field: str,
    *,
    walk_desc: bool,
    cursor: tuple[Any, int] | None,
    size: int,
) -> QuerySet[Any]:
    """``queryset`` ordered by (``field``, pk) in the walk's direction, from past ``cursor``,
    ``size`` + 1 rows (the extra row tells whether there is a next page)."""
    order = [f"-{field}", "-pk"] if walk_desc else [field, "pk"]
    qs = queryset.order_by(*order)
    if cursor is not None:
        qs = qs.filter(_beyond(field, cursor[0], cursor[1], walk_desc))
    return qs[: size + 1]


# fetch(walk_desc, cursor) -> the rows keyset_queryset would return, or None to let it run.
Fetch = Callable[[bool, tuple[Any, int] | None], list[Any] | None]


def paginate(
    queryset: QuerySet[Any],
    field: str,
    *,
    descending: bool = False,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
    fetch: Fetch | None = None,
) -> Page:
    """One page of ``queryset`` ordered by (``field``, pk), after or before a cursor.

    Rows are model instances, or dicts when ``queryset`` is a ``.values()`` query that selects
    ``field`` and ``"pk"`` (cheaper: no model instances are built). ``fetch``, when given,
    reads the rows instead of the queryset (a prepared query: :class:`PreparedPages`).
    """
    backwards = bool(before) and not after
    raw_cursor = before if backwards else after
    cursor = _checked(queryset, field, decode_cursor(raw_cursor)) if raw_cursor else None
    if cursor is None:  # no cursor, or one that does not decode cleanly: the first page
        backwards = False
    walk_desc = descending != backwards
    rows = fetch(walk_desc, cursor) if fetch is not None else None
    if rows is None:
        rows = list(keyset_queryset(queryset, field, walk_desc=walk_desc, cursor=cursor, size=size))
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


class PreparedPages:
    """Keyset pages of one unfiltered ``.values()`` list, read with prepared queries.

    One :class:`econsec.web.prepared.Prepared` per (sort field, direction, first page or
    not): building the keyset query with the ORM cost more than SQLite's answer
    (docs/decisions/0058-per-request-cpu.md). Searches and filters change the query's shape,
    so they go through :func:`paginate`'s ORM path.
    """

    def __init__(self, base: Callable[[], QuerySet[Any]], size: int) -> None:
        self._base = base
        self._size = size
        self._queries: dict[tuple[str, bool, bool, int], Prepared] = {}

    def fetch(self, field: str, size: int | None = None) -> Fetch:
        """The ``fetch`` for :func:`paginate` sorting by ``field``, pages of ``size`` rows (the
        default given at construction)."""
        rows = self._size if size is None else size

        def run(walk_desc: bool, cursor: tuple[Any, int] | None) -> list[Any] | None:
            key = (field, walk_desc, cursor is not None, rows)
            query = self._queries.get(key)
            if query is None:
                query = self._queries[key] = self._prepare(
                    field, walk_desc, cursor is not None, rows
                )
            if cursor is None:
                args: tuple[Any, ...] = ()
            elif field in ("pk", "id"):
                args = (cursor[1],)
            else:
                model_field = self._base().model._meta.get_field(field)
                try:  # as the ORM would pass it; a value it refuses goes the ORM's way
                    args = (model_field.get_prep_value(cursor[0]), cursor[1])
                except _REFUSED:
                    return None
            names = query.names()
            return [dict(zip(names, row, strict=True)) for row in query.rows(*args)]

        return run

    def _prepare(self, field: str, walk_desc: bool, with_cursor: bool, size: int) -> Prepared:
        if not with_cursor:
            return Prepared(
                lambda: keyset_queryset(
                    self._base(), field, walk_desc=walk_desc, cursor=None, size=size
                )
            )
        if field in ("pk", "id"):
            return Prepared(
                lambda pk: keyset_queryset(
                    self._base(), field, walk_desc=walk_desc, cursor=(pk, pk), size=size
                ),
                int_marker(1),
            )
        value = marker_for(self._base().model._meta.get_field(field), 0)
        return Prepared(
            lambda v, pk: keyset_queryset(
                self._base(), field, walk_desc=walk_desc, cursor=(v, pk), size=size
            ),
            value,
            int_marker(1),
        )


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

    def _candidates(self, needle: str) -> tuple[npt.NDArray[np.int64], bool]:
        """Rows that may contain ``needle`` (sorted) and whether they all do (``exact``)."""
        if len(needle) <= 2:
            return self._rows_with(needle), True
        postings = sorted(
            (self._rows_with(needle[i : i + 2]) for i in range(len(needle) - 1)), key=len
        )
        candidates = postings[0]
        for other in postings[1:]:
            if not candidates.size:
                break
            candidates = candidates[np.isin(candidates, other, assume_unique=True)]
        return candidates, False

    def _needle(self, text: str) -> str | None:
        needle = text.lower()
        if not needle or self._ROW in needle or self._FIELD in needle:
            return None
        return needle

    def find(self, text: str, limit: int | None = None) -> list[int] | None:
        """Primary keys of the rows containing ``text`` (ignoring case), in table order; None
        when more than ``limit`` rows match (the caller then lets the database search)."""
        needle = self._needle(text)
        if needle is None:
            return None
        candidates, exact = self._candidates(needle)
        if exact and limit is not None and candidates.shape[0] > limit:
            return None
        hits: list[int] = []
        for row in candidates.tolist():
            if exact or needle in self._lines[row]:
                hits.append(self._pks[row])
                if limit is not None and len(hits) > limit:
                    return None
        return hits

    def sort_rank(self, ordered: Iterable[Sequence[Any]]) -> SortRank | None:
        """Each row's place in a sort order, from (pk, value) pairs in that order (the
        database's ORDER BY value, pk); None when they are not this index's rows."""
        pairs = list(ordered)
        if len(pairs) != len(self._pks):
            return None
        index_pks = np.asarray(self._pks, dtype=np.int64)
        sorted_pks = np.fromiter((int(p) for p, _ in pairs), dtype=np.int64, count=len(pairs))
        rows = np.searchsorted(index_pks, sorted_pks)
        if rows.size and (rows.max() >= index_pks.size or (index_pks[rows] != sorted_pks).any()):
            return None
        rank = np.empty(len(pairs), dtype=np.int64)
        rank[rows] = np.arange(len(pairs), dtype=np.int64)
        values: list[Any] = [None] * len(pairs)
        for row, (_, value) in zip(rows.tolist(), pairs, strict=True):
            values[row] = value
        return SortRank(rank, values, {pk: row for row, pk in enumerate(self._pks)})

    def page(
        self,
        text: str,
        order: SortRank,
        *,
        walk_desc: bool,
        cursor: tuple[Any, int] | None,
        count: int,
    ) -> list[int] | None:
        """Primary keys of the first ``count`` rows containing ``text`` in ``order`` (reversed
        when ``walk_desc``) beyond ``cursor`` — a keyset page of a search without asking the
        database to scan; None when the cursor's row is not in this index as it is."""
        needle = self._needle(text)
        if needle is None:
            return None
        rank = order.rank
        bound: int | None = None
        if cursor is not None:
            row = order.row_of.get(int(cursor[1]))
            if row is None or order.values[row] != cursor[0]:
                return None
            bound = int(rank[row])
        candidates, exact = self._candidates(needle)
        ranks = rank[candidates]
        if bound is not None:
            keep = ranks < bound if walk_desc else ranks > bound
            candidates, ranks = candidates[keep], ranks[keep]
        key = -ranks if walk_desc else ranks
        if exact and candidates.shape[0] > count:
            # Only the first ``count`` are needed: partition, then sort those.
            head = np.argpartition(key, count)[:count]
            candidates, key = candidates[head], key[head]
        walk = candidates[np.argsort(key, kind="stable")]
        hits: list[int] = []
        for row in walk.tolist():
            if exact or needle in self._lines[row]:
                hits.append(self._pks[row])
                if len(hits) == count:
                    break
        return hits


@dataclass(frozen=True)
class SortRank:
    """A :class:`TextIndex`'s rows placed in one sort order (value, pk)."""

    rank: npt.NDArray[np.int64]  # row -> place in the order
    values: list[Any]  # row -> its sort value (checks a cursor against this data)
    row_of: dict[int, int]  # pk -> row
