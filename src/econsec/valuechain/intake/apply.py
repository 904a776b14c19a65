"""Write a validated value chain to the store, all-or-nothing, updating rows in place by key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from econsec.valuechain import models as m
from econsec.valuechain.compile import content_version
from econsec.valuechain.intake.issues import IntakeError
from econsec.valuechain.intake.validate import Validation, validate_source, validate_tables
from econsec.valuechain.schema import Tables, load_schema
from econsec.valuechain.store_io import binding, key_to_pk, read_tables

BATCH = 2000
Progress = Callable[[str, int], None]
"""Called with (sheet name, rows done) as the import proceeds."""


@dataclass
class ImportOutcome:
    validation: Validation
    run: m.ImportRun | None

    @property
    def ok(self) -> bool:
        return self.run is not None


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, or of a folder's CSV files in name order."""
    digest = hashlib.sha256()
    size = 0
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    return digest.hexdigest(), size


def validate_path(path: Path) -> Validation:
    """Validate ``path`` against the schema and the stored state, without writing."""
    schema = load_schema()
    first = validate_source(path, stored=None)
    if not first.present or any(i.is_error and i.sheet is None for i in first.issues):
        return first
    absent = set(schema.names) - first.present
    if not absent:
        return first
    return validate_source(path, stored=read_tables(absent))


def import_path(path: Path, progress: Progress | None = None) -> ImportOutcome:
    """Validate and import a workbook or CSV folder. Any error: nothing is written."""
    validation = validate_path(path)
    if not validation.ok:
        return ImportOutcome(validation, None)
    sha, size = file_sha256(path)
    run = write(validation, source_name=path.name, sha256=sha, size=size, progress=progress)
    return ImportOutcome(validation, run)


def import_tables(
    tables: Tables, source_name: str, progress: Progress | None = None
) -> m.ImportRun:
    """Validate and import tables built in code; raises IntakeError listing every error."""
    absent = set(load_schema().names) - set(tables)
    validation = validate_tables(tables, stored=read_tables(absent) if absent else None)
    if not validation.ok:
        raise IntakeError(validation.errors)
    digest = hashlib.sha256(content_version(validation.tables).encode()).hexdigest()
    return write(validation, source_name=source_name, sha256=digest, size=0, progress=progress)


def write(
    validation: Validation,
    *,
    source_name: str,
    sha256: str,
    size: int,
    progress: Progress | None = None,
) -> m.ImportRun:
    """Apply a clean validation in one transaction: upsert present sheets, delete their
    missing rows, leave absent sheets untouched."""
    if not validation.ok:
        raise IntakeError(validation.errors)
    schema = load_schema()
    order = [s.name for s in schema.load_order() if s.name in validation.present]
    with transaction.atomic():
        run = m.ImportRun.objects.create(
            source_name=source_name[:500],
            source_sha256=sha256,
            source_bytes=size,
            started_at=timezone.now(),
        )
        counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
        for name in reversed(order):
            counts["deleted"] += _delete_missing(name, validation)
        for name in order:
            for k, v in _upsert(name, validation, run, progress).items():
                counts[k] += v
        run.created, run.updated = counts["created"], counts["updated"]
        run.deleted, run.unchanged = counts["deleted"], counts["unchanged"]
        run.data_version = content_version(validation.tables)
        run.finished_at = timezone.now()
        run.save()
    return run


def _natural_keys(name: str, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    b = binding(name)
    maps = {
        c.name: key_to_pk(c.ref) for c in b.sheet.columns if c.key and c.type == "ref" and c.ref
    }
    return [tuple(maps[c][row[c]] if c in maps else row[c] for c in b.sheet.key) for row in rows]


def _stored_by_key(name: str) -> dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]]:
    b = binding(name)
    key_fields = [b.field(b.sheet.column(c)) for c in b.sheet.key]
    fields = [b.field(c) for c in b.sheet.columns]
    out = {}
    for values in b.query().values_list("pk", *fields):
        row = dict(zip(fields, values[1:], strict=True))
        out[tuple(row[f] for f in key_fields)] = (values[0], values[1:])
    return out


def _delete_missing(name: str, validation: Validation) -> int:
    b = binding(name)
    rows = validation.tables.get(name, [])
    wanted = {tuple(row[c] for c in b.sheet.key) for row in rows}
    doomed = []
    key_cols = [b.sheet.column(c) for c in b.sheet.key]
    lookups = {
        c.name: {pk: k for k, pk in key_to_pk(c.ref).items()}
        for c in key_cols
        if c.type == "ref" and c.ref
    }
    key_fields = [b.field(c) for c in key_cols]
    for values in b.query().values_list("pk", *key_fields):
        key = tuple(
            lookups[c.name].get(v) if c.name in lookups else v
            for c, v in zip(key_cols, values[1:], strict=True)
        )
        if key not in wanted:
            doomed.append(values[0])
    for start in range(0, len(doomed), BATCH):
        b.query().filter(pk__in=doomed[start : start + BATCH]).delete()
    return len(doomed)


def _upsert(
    name: str, validation: Validation, run: m.ImportRun, progress: Progress | None
) -> dict[str, int]:
    b = binding(name)
    rows = validation.tables[name]
    numbers = validation.row_numbers[name]
    refs = {
        c.name: key_to_pk(c.ref)
        for c in b.sheet.columns
        if c.type == "ref" and c.ref and c.ref != name
    }
    self_refs = [c for c in b.sheet.columns if c.type == "ref" and c.ref == name]
    fields = [b.field(c) for c in b.sheet.columns]
    stored = _stored_by_key(name)
    keys = _natural_keys(name, rows)
    creates: list[tuple[Any, ...]] = []
    updates = []
    unchanged = 0
    for row, number, key in zip(rows, numbers, keys, strict=True):
        values = []
        for column in b.sheet.columns:
            value = row.get(column.name)
            if column.name in refs and value is not None:
                value = refs[column.name][value]
            elif column in self_refs:
                value = None  # set in a second pass, once every row exists
            elif value is None and column.type == "text":
                value = ""
            elif value is None and column.type == "list":
                value = []
            values.append(value)
        found = stored.get(key)
        if found is None:
            creates.append((*values, run.pk, number))
        elif _differs(found[1], values, fields, self_refs, b):
            obj = b.model(pk=found[0], **dict(zip(fields, values, strict=True)))
            obj.import_run = run  # type: ignore[attr-defined]
            obj.source_row = number  # type: ignore[attr-defined]
            updates.append(obj)
        else:
            unchanged += 1
    _insert(b.model, [*fields, "import_run_id", "source_row"], creates, name, progress)
    update_fields = [f for f, c in zip(fields, b.sheet.columns, strict=True) if c not in self_refs]
    if updates:
        b.query().bulk_update(updates, [*update_fields, "import_run", "source_row"], batch_size=500)
    for column in self_refs:
        _link_self(name, column.name, rows)
    return {"created": len(creates), "updated": len(updates), "unchanged": unchanged}


def _insert(
    model: type[Model],
    attnames: list[str],
    rows: list[tuple[Any, ...]],
    name: str,
    progress: Progress | None,
) -> None:
    """Insert plain rows with one portable multi-row INSERT per batch.

    Creating model instances for hundreds of thousands of rows (bulk_create) costs more than
    the database work itself; the values here are already validated, so only the fields that
    need an adapter (JSON, decimals) go through Django's preparation.
    """
    if not rows:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[a] for a in attnames]
    prepare = [
        i for i, f in enumerate(fields) if f.get_internal_type() in ("JSONField", "DecimalField")
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # SQLite allows 32,766 parameters per statement; PostgreSQL 65,535.
    per_batch = max(1, min(BATCH, 30000 // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            chunk = rows[start : start + per_batch]
            params: list[Any] = []
            for row in chunk:
                values = list(row)
                for i in prepare:
                    values[i] = fields[i].get_db_prep_save(values[i], connection)
                params.extend(values)
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join(
                [placeholders] * len(chunk)
            )
            cursor.execute(sql, params)
            if progress:
                progress(name, start + len(chunk))


def _differs(
    stored: tuple[Any, ...], values: list[Any], fields: list[str], self_refs: list[Any], b: Any
) -> bool:
    self_fields = {b.field(c) for c in self_refs}
    return any(
        f not in self_fields and s != v for f, s, v in zip(fields, stored, values, strict=True)
    )


def _link_self(name: str, column: str, rows: list[dict[str, Any]]) -> None:
    """Set self-references (parent organisation) once every row of the sheet exists."""
    b = binding(name)
    field = b.field(b.sheet.column(column))
    pks = key_to_pk(name)
    key = b.key_field
    current = dict(b.query().values_list("pk", field))
    changed = []
    for row in rows:
        target = row.get(column)
        pk = pks[row[key]]
        wanted = pks[target] if target is not None else None
        if current.get(pk) != wanted:
            obj = b.model(pk=pk)
            setattr(obj, field, wanted)
            changed.append(obj)
    if changed:
        b.query().bulk_update(changed, [field], batch_size=500)
