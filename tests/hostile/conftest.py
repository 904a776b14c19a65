"""Fixtures shared by the hostile-input tests: valid files to turn hostile, a stored chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from econsec.valuechain.schema import Tables
from econsec.valuechain.workbook import write_workbook
from tests.valuechain.minichain import mini_tables


@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    """The mini value chain as a workbook (organisations first: B3 is "Taiwan Supplier")."""
    path = tmp_path / "mini.xlsx"
    write_workbook(mini_tables(), path)
    return path


@pytest.fixture
def stored_mini(db: Any) -> Tables:
    """The mini chain in the store, so that a refused import has something to leave alone."""
    from econsec.valuechain.intake.apply import import_tables

    import_tables(mini_tables(), "mini")
    return mini_tables()
