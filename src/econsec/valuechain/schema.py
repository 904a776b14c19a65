"""The workbook schema (schema.yaml) as typed objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from econsec.i18n import label

Row = dict[str, Any]
Tables = dict[str, list[Row]]
"""Sheet name → rows; each row maps column name → a Python value (None when empty)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label: dict[str, str]
    required: bool = False
    key: bool = False
    ref: str | None = None
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False
    pattern: str | None = None

    def title(self, lang: str | None = None) -> str:
        return label(self.label, lang)


@dataclass(frozen=True)
class Sheet:
    name: str
    label: dict[str, str]
    columns: tuple[Column, ...]
    help: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def title(self, lang: str | None = None) -> str:
        return label(self.label, lang)

    def key_of(self, row: Row) -> tuple[Any, ...]:
        return tuple(row.get(k) for k in self.key)


@dataclass(frozen=True)
class Limits:
    """How far a workbook may reach: columns and rows per sheet, cells over all sheets."""

    max_columns: int
    max_rows: int
    max_cells: int


@dataclass(frozen=True)
class Schema:
    version: int
    sheets: tuple[Sheet, ...]
    limits: Limits

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def load_order(self) -> list[Sheet]:
        """Sheets ordered so that every sheet comes after the sheets it references."""
        done: list[Sheet] = []
        pending = list(self.sheets)
        while pending:
            for s in pending:
                deps = {c.ref for c in s.columns if c.ref and c.ref != s.name}
                if deps <= {d.name for d in done}:
                    done.append(s)
                    pending.remove(s)
                    break
            else:  # pragma: no cover - schema.yaml is fixed and acyclic
                raise ValueError("schema references form a cycle")
        return done


def _column(raw: dict[str, Any]) -> Column:
    return Column(
        name=raw["name"],
        type=raw["type"],
        label=dict(raw["label"]),
        required=bool(raw.get("required", False)),
        key=bool(raw.get("key", False)),
        ref=raw.get("ref"),
        values=tuple(raw.get("values", ())),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        exclusive_min=bool(raw.get("exclusive_min", False)),
        pattern=raw.get("pattern"),
    )


@cache
def load_schema() -> Schema:
    """The value-chain workbook schema shipped with econsec."""
    raw = yaml.safe_load((Path(__file__).parent / "schema.yaml").read_text(encoding="utf-8"))
    sheets = tuple(
        Sheet(
            name=s["name"],
            label=dict(s["label"]),
            help=dict(s.get("help", {})),
            columns=tuple(_column(c) for c in s["columns"]),
        )
        for s in raw["sheets"]
    )
    limits = Limits(**{k: int(v) for k, v in raw["limits"].items()})
    return Schema(version=int(raw["version"]), sheets=sheets, limits=limits)
