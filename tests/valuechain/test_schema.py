from __future__ import annotations

from econsec.i18n import LANGUAGES
from econsec.valuechain.schema import load_schema


def test_every_sheet_and_column_is_labelled_in_both_languages() -> None:
    for sheet in load_schema().sheets:
        assert set(sheet.label) == set(LANGUAGES), sheet.name
        for column in sheet.columns:
            assert set(column.label) == set(LANGUAGES), (sheet.name, column.name)
            assert all(isinstance(v, str) and v for v in column.label.values())


def test_references_point_at_single_key_sheets() -> None:
    schema = load_schema()
    refs = [column.ref for sheet in schema.sheets for column in sheet.columns if column.ref]
    assert refs
    for ref in refs:
        assert len(schema.sheet(ref).key) == 1
