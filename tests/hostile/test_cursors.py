"""Tampered page cursors (``?after=`` / ``?before=``) start at the first page, never a 500.

An oversized integer escaped as OverflowError from the database driver, a bad date as
ValidationError from the field; every cursor that does not decode cleanly must be ignored.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from econsec.screening.models import ScreeningEvent
from econsec.valuechain.models import Item, SupplyLink
from econsec.web.listing import PreparedPages, decode_cursor, encode_cursor, paginate


def _raw(text: str) -> str:
    """A cursor made by hand, as an attacker would."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Cursors that do not decode to a plain value and a 64-bit key: the first page on every list.
TAMPERED = [
    _raw(json.dumps(["a", 2**70])),  # key past 64 bits: OverflowError in the driver
    _raw(json.dumps([2**70, 1])),  # value past 64 bits
    _raw("[NaN, 1]"),
    _raw("[Infinity, 1]"),
    _raw(json.dumps([["nested"], 1])),
    _raw(json.dumps([{"a": 1}, 1])),
    _raw(json.dumps(["a", True])),
    _raw(json.dumps(["a", "1"])),
    _raw("[" * 100_000 + "]" * 100_000),  # RecursionError in json
    _raw(json.dumps(["a", 1, 2])),
    "A" * 10_000,
    "%%%",
    "\x00",
]
# Plain values that a date field refuses (ValidationError): the first page of a date-sorted
# list; on a text-sorted list they are ordinary text to page after.
BAD_DATES = [
    _raw(json.dumps(["not a date", 1])),
    _raw(json.dumps(["2024-13-45T99:00:00", 1])),
    _raw(json.dumps([12, 1])),
]


@pytest.fixture
def items(db: Any) -> list[Item]:
    return [
        Item.objects.create(item_id=f"I{n:02d}", name=name, kind="component", unit="pcs")
        for n, name in enumerate("bacabd")
    ]


@pytest.fixture
def events(db: Any) -> list[ScreeningEvent]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        ScreeningEvent.objects.create(
            at=start + timedelta(hours=n), actor="t", action="x", object_ref=str(n)
        )
        for n in range(6)
    ]


def test_good_cursors_still_decode() -> None:
    assert decode_cursor(encode_cursor("磁石", 7)) == ("磁石", 7)
    assert decode_cursor(encode_cursor(2.5, 2**63 - 1)) == (2.5, 2**63 - 1)


@pytest.mark.parametrize("cursor", TAMPERED, ids=range(len(TAMPERED)))
def test_tampered_cursor_gives_the_first_page(
    cursor: str, items: list[Item], events: list[ScreeningEvent]
) -> None:
    first_items = paginate(Item.objects.all(), "name", size=3).rows
    first_events = paginate(ScreeningEvent.objects.all(), "at", descending=True, size=3).rows
    for key in ("after", "before"):
        page = paginate(Item.objects.all(), "name", size=3, **{key: cursor})
        assert page.rows == first_items
        page = paginate(
            ScreeningEvent.objects.all(), "at", descending=True, size=3, **{key: cursor}
        )
        assert page.rows == first_events
        # A related field's sort, and the id sort, take the same care.
        page = paginate(SupplyLink.objects.all(), "item__name", size=3, **{key: cursor})
        assert page.rows == []
        page = paginate(Item.objects.all(), "pk", size=3, **{key: cursor})
        assert [r.pk for r in page.rows] == sorted(i.pk for i in items)[:3]


@pytest.mark.parametrize("cursor", BAD_DATES, ids=range(len(BAD_DATES)))
def test_a_value_the_sort_field_refuses_gives_the_first_page(
    cursor: str, events: list[ScreeningEvent]
) -> None:
    first = paginate(ScreeningEvent.objects.all(), "at", descending=True, size=3).rows
    for key in ("after", "before"):
        page = paginate(
            ScreeningEvent.objects.all(), "at", descending=True, size=3, **{key: cursor}
        )
        assert page.rows == first
    rows = paginate(ScreeningEvent.objects.all(), "at", size=3).rows
    assert rows == sorted(events, key=lambda e: e.at)[:3]


@pytest.mark.parametrize("cursor", TAMPERED, ids=range(len(TAMPERED)))
def test_tampered_cursor_on_prepared_pages(cursor: str, items: list[Item]) -> None:
    pages = PreparedPages(lambda: Item.objects.values("item_id", "name", "pk"), 3)
    first = paginate(Item.objects.values("item_id", "name", "pk"), "name", size=3)
    page = paginate(
        Item.objects.values("item_id", "name", "pk"), "name", after=cursor, size=3,
        fetch=pages.fetch("name"),
    )  # fmt: skip
    assert page.rows == first.rows
