"""Between the store (Django models) and tables: read the stored value chain back as tables,
and compile it (cached by data version).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import QuerySet

from econsec.valuechain import models as m
from econsec.valuechain.compile import COMPILED_FORMAT, compile_tables
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.schema import Column, Sheet, Tables, load_schema

_MODELS: dict[str, type[models.Model]] = {
    "organisations": m.Organisation,
    "sites": m.Site,
    "items": m.Item,
    "production": m.Production,
    "bom": m.BomLine,
    "supply_links": m.SupplyLink,
    "inventory": m.Inventory,
    "demand": m.Demand,
    "recovery": m.Recovery,
    "alternatives": m.Alternative,
    "chokepoints": m.Chokepoint,
}
# Foreign keys whose field name is not the column name without "_id".
_FIELD_NAMES = {("organisations", "parent_org_id"): "parent", ("sites", "org_id"): "organisation"}


@dataclass(frozen=True)
class SheetBinding:
    """How one sheet maps onto its model: the model, and each column's field."""

    sheet: Sheet
    model: type[models.Model]

    def field(self, column: Column) -> str:
        """The attribute holding the column: ``<fk>_id`` for references, else the column name."""
        if column.type == "ref":
            name = _FIELD_NAMES.get((self.sheet.name, column.name), column.name.removesuffix("_id"))
            return f"{name}_id"
        return column.name

    def query(self) -> QuerySet[models.Model]:
        return self.model._default_manager.all()

    @property
    def key_field(self) -> str:
        """The field of the referenced key (for sheets others refer to)."""
        return self.sheet.key[0]


def binding(sheet_name: str) -> SheetBinding:
    return SheetBinding(load_schema().sheet(sheet_name), _MODELS[sheet_name])


def key_to_pk(sheet_name: str) -> dict[Any, int]:
    """Business key → primary key for a sheet that other sheets refer to."""
    b = binding(sheet_name)
    return dict(b.query().values_list(b.key_field, "pk"))


def read_tables(sheets: list[str] | set[str] | None = None) -> Tables:
    """The stored value chain as tables (the same shape an import produces)."""
    schema = load_schema()
    wanted = schema.names if sheets is None else tuple(n for n in schema.names if n in sheets)
    pk_to_key: dict[str, dict[int, Any]] = {}

    def keys_of(target: str) -> dict[int, Any]:
        if target not in pk_to_key:
            pk_to_key[target] = {pk: key for key, pk in key_to_pk(target).items()}
        return pk_to_key[target]

    tables: Tables = {}
    for name in wanted:
        b = binding(name)
        fields = [b.field(c) for c in b.sheet.columns]
        rows = []
        lookups = {c.name: keys_of(c.ref) for c in b.sheet.columns if c.type == "ref" and c.ref}
        for values in b.query().order_by("pk").values_list(*fields):
            row: dict[str, Any] = {}
            for column, value in zip(b.sheet.columns, values, strict=True):
                if column.name in lookups and value is not None:
                    value = lookups[column.name][value]
                elif column.type in ("text",) and value == "" and not column.required:
                    value = None
                elif isinstance(value, Decimal):
                    value = value.quantize(Decimal("0.0001"))
                row[column.name] = value
            rows.append(row)
        tables[name] = rows
    return tables


def current_version() -> str:
    """The data version of the stored value chain ('' before the first import)."""
    run = m.ImportRun.objects.filter(finished_at__isnull=False).order_by("-pk").first()
    return run.data_version if run else ""


_memory_cache: dict[str, CompiledChain] = {}


def compile_store(cache_dir: Path | None = None) -> CompiledChain:
    """The compiled arrays of the stored value chain, cached in memory and on disk by version."""
    from django.conf import settings

    version = current_version()
    if version and version in _memory_cache:
        return _memory_cache[version]
    folder = cache_dir or Path(settings.DATA_DIR) / "compiled"
    cached = folder / f"{version}-{COMPILED_FORMAT}.pickle"
    if version and cached.exists():
        with cached.open("rb") as fh:
            chain: CompiledChain = pickle.load(fh)
    else:
        chain = compile_tables(read_tables(), version=version or None)
        if version:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump(chain, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cached)
    if version:
        _memory_cache.clear()
        _memory_cache[version] = chain
    return chain
