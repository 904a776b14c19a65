from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from econsec.valuechain.schema import Tables
from econsec.valuechain.workbook import write_workbook
from tests.valuechain.minichain import mini_tables


@pytest.fixture
def workbook_of(tmp_path: Path) -> Callable[[Tables], Path]:
    """Write tables to a fresh workbook file and return its path."""
    counter = iter(range(10**6))

    def make(tables: Tables) -> Path:
        path = tmp_path / f"book{next(counter)}.xlsx"
        write_workbook(tables, path)
        return path

    return make


@pytest.fixture
def stored_mini(db: None, workbook_of: Callable[[Tables], Path]) -> Tables:
    """The mini chain imported into the store."""
    from econsec.valuechain.intake.apply import import_path

    outcome = import_path(workbook_of(mini_tables()))
    assert outcome.ok, [i.render("en") for i in outcome.validation.issues]
    return mini_tables()
