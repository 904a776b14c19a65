"""Mutated workbooks never crash the importer and never half-write.

Hypothesis changes cells of a valid workbook (wrong types, empties, negatives, huge numbers,
unknown ids, removed or duplicated rows). Whatever the mutation, the import either succeeds
cleanly or reports errors that each name their sheet (and row and column where they are about
a cell), and the store is exactly as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from econsec.valuechain.intake.apply import import_path
from econsec.valuechain.schema import load_schema
from econsec.valuechain.store_io import current_version, read_tables
from econsec.valuechain.workbook import write_workbook
from tests.valuechain.minichain import mini_tables

SHEETS = [s.name for s in load_schema().sheets]
VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["ZZZ", "J1", "C", "yes", "no", "日本", "１２", "-1", "1e309", "=1+1", "0.5"]),
)
MUTATION = st.one_of(
    st.tuples(
        st.just("cell"), st.sampled_from(SHEETS), st.integers(0, 8), st.integers(0, 12), VALUES
    ),
    st.tuples(st.just("drop"), st.sampled_from(SHEETS), st.integers(0, 8), st.just(0), st.none()),
    st.tuples(st.just("copy"), st.sampled_from(SHEETS), st.integers(0, 8), st.just(0), st.none()),
)


class _Rollback(Exception):
    pass


def _mutate(path: Path, mutations: list[tuple[str, str, int, int, Any]]) -> None:
    wb = load_workbook(path)
    for kind, sheet, row, col, value in mutations:
        ws = wb[sheet]
        if ws.max_row < 2:
            continue
        target = 2 + row % (ws.max_row - 1)
        if kind == "cell":
            ws.cell(row=target, column=1 + col % ws.max_column, value=value)
        elif kind == "drop":
            ws.delete_rows(target)
        else:
            ws.append([c.value for c in ws[target]])
    wb.save(path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_workbooks_import_cleanly_or_not_at_all(
    mutations: list[tuple[str, str, int, int, Any]], stored_mini: Any, tmp_path: Path
) -> None:
    path = tmp_path / "mutated.xlsx"
    write_workbook(mini_tables(), path)
    _mutate(path, mutations)
    before, before_version = read_tables(), current_version()
    try:
        with transaction.atomic():
            outcome = import_path(path)
            if outcome.ok:
                assert current_version() == outcome.run.data_version  # type: ignore[union-attr]
            else:
                assert outcome.validation.errors
                for issue in outcome.validation.errors:
                    assert issue.message("ja") and issue.message("en")
                    assert issue.sheet is not None or issue.code.startswith(
                        ("valuechain.file.", "workbook.")
                    )
                    if issue.code.startswith("valuechain.cell."):
                        assert issue.row is not None and issue.column is not None
                assert read_tables() == before and current_version() == before_version
            raise _Rollback  # each example starts from the same stored chain
    except _Rollback:
        pass
