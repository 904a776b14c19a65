"""A stored mini chain with a campaign asking its tier-1 suppliers."""

from __future__ import annotations

from typing import Any

import pytest

from econsec.valuechain.schema import Tables
from tests.valuechain.minichain import mini_tables


@pytest.fixture
def stored(db: Any) -> Tables:
    from econsec.valuechain.intake.apply import import_tables

    import_tables(mini_tables(), "mini")
    return mini_tables()


@pytest.fixture
def campaign(stored: Tables) -> Any:
    from econsec.survey.campaigns import Selection, create

    return create("Mapping 2026", 2026, Selection(tiers=(1,)), created_by="analyst")
