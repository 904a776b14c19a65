"""ORM queries of a fixed shape, compiled to SQL once and run with new arguments.

Building a query is most of what a small ORM query costs: at Ford scale each of the 4–7 queries
a page runs (session, user, roles, the page's object, a few related rows) cost ~0.2 ms of
Python to compile and ~0.02 ms in SQLite (docs/decisions/0058-per-request-cpu.md). A
:class:`Prepared` query is written with the ORM as usual, with *markers* in place of its
arguments; it is compiled once per database alias, the markers' positions among the SQL
parameters are recorded, and each call runs that SQL with the real arguments through Django's
own cursor, applying the same value converters the ORM would. The SQL is the ORM's for the
configured engine, so it stays portable (SQLite, PostgreSQL).

Only for queries whose shape never changes: no argument may change the SQL text (a list
argument of varying length would), which is why arguments are scalars; each marker must appear
among the parameters (checked when compiling), once or more (a keyset bound uses its value
twice). Markers are values no argument or stored key takes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_STR_MARKER = "\x00econsec-marker-{}\x00"
_INT_MARKER = (
    -1_987_654_321
)  # inside a 32-bit key range: an out-of-range lookup compiles to nothing


def str_marker(n: int) -> str:
    """The ``n``-th text marker (a value no stored key can hold)."""
    return _STR_MARKER.format(n)


def int_marker(n: int) -> int:
    """The ``n``-th integer marker (a primary key no table reaches)."""
    return _INT_MARKER - n


def float_marker(n: int) -> float:
    """The ``n``-th float marker (far beyond any share, quantity or coordinate)."""
    return -(1.987654321e300 + n * 1e290)


def marker_for(field: Any, n: int) -> Any:
    """A marker of the right type for a model ``field``'s values."""
    kind = field.get_internal_type()
    if kind in ("FloatField", "DecimalField"):
        return float_marker(n)
    if "Integer" in kind or kind.endswith("AutoField"):
        return int_marker(n)
    return str_marker(n)


class _Compiled:
    __slots__ = ("converters", "names", "params", "slots", "sql")

    def __init__(
        self,
        sql: str,
        params: list[Any],
        slots: list[int | None],
        converters: list[tuple[int, list[Any], Any]],
        names: list[str],
    ) -> None:
        self.sql = sql
        self.params = params
        self.slots = slots
        self.converters = converters
        self.names = names


class Prepared:
    """A query built by ``build(*markers)`` (a ``.values_list()`` or ``.values()`` queryset),
    compiled once per database alias; ``rows(*args)`` runs it with ``args`` in the markers'
    places and returns tuples."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *markers: Any) -> None:
        self._build = build
        self._markers = markers
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, using: str) -> _Compiled:
        queryset = self._build(*self._markers).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots: list[int | None] = []
        for value in params:
            hits = [i for i, marker in enumerate(self._markers) if value == marker]
            slots.append(hits[0] if hits else None)
        for i in range(len(self._markers)):
            if i not in slots:
                raise ValueError(f"marker {i} does not reach the SQL")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = [
            (position, convs, expression)
            for position, (convs, expression) in compiler.get_converters(fields).items()
        ]
        names = list(queryset.query.values_select)
        compiled = _Compiled(sql, list(params), slots, converters, names)
        with self._lock:
            self._compiled[using] = compiled
        return compiled

    def rows(self, *args: Any, using: str = "default") -> list[tuple[Any, ...]]:
        """The query's rows with ``args`` in the markers' places (converted as the ORM would)."""
        if len(args) != len(self._markers):
            raise TypeError(f"expected {len(self._markers)} arguments, got {len(args)}")
        compiled = self._compiled.get(using) or self._compile(using)
        params = [
            p if s is None else args[s]
            for p, s in zip(compiled.params, compiled.slots, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched: Sequence[Any] = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in fetched]
        converted = []
        for row in fetched:
            values = list(row)
            for position, convs, expression in compiled.converters:
                value = values[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                values[position] = value
            converted.append(tuple(values))
        return converted

    def first(self, *args: Any, using: str = "default") -> tuple[Any, ...] | None:
        found = self.rows(*args, using=using)
        return found[0] if found else None

    def names(self, using: str = "default") -> list[str]:
        """The selected columns' names, in row order."""
        return (self._compiled.get(using) or self._compile(using)).names
