"""The reader process has the survey reader loaded before the first returned workbook.

Each returned workbook is read in a child forked from the reader process (econsec.isolated);
what the child has to import or read first is paid once per workbook, a thousand times in a
campaign. The answers are the same either way.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from econsec import isolated


def _what_the_child_has() -> tuple[bool, bool, int]:
    # Looked up before anything is imported here: a module-level import of this test file
    # would load the reader itself.
    has_reader = "econsec.survey.answers" in sys.modules
    has_calamine = "python_calamine" in sys.modules
    countries = sys.modules.get("econsec.reference.countries")
    loaded = countries._countries.cache_info().currsize if countries is not None else 0
    return has_reader, has_calamine, loaded


def test_the_reader_process_preloads_the_survey_reader_and_its_tables() -> None:
    assert any(p.startswith("econsec.survey.answers") for p in isolated.PRELOAD)
    assert isolated.call(_what_the_child_has) == (True, True, 1)


def test_a_returned_workbook_reads_the_same_in_the_child_as_in_process(tmp_path: Path) -> None:
    import python_calamine

    from econsec.survey import layout as lay
    from econsec.survey.answers import Expect, check_cells, read_answer
    from econsec.survey.questionnaire import fill
    from tests.survey.test_stamp import _brief

    data = fill(_brief("zh"))
    path = tmp_path / "returned.xlsx"
    path.write_bytes(data)
    expect = Expect(7, "S1", frozenset(f"I{i}" for i in range(5)), frozenset({"S1-A", "S1-B"}),
                    frozenset(f"R{i}" for i in range(4)))  # fmt: skip
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)
             for n in book.sheet_names}  # fmt: skip
    in_process = check_cells(cells, expect)
    read = read_answer(path, expect)
    assert read.ok and read.rows == in_process.rows
    assert [r["input_item_id"] for r in read.rows[lay.SOURCES]] == ["R0", "R1", "R2", "R3"]
    wrong = read_answer(path, Expect(8, "S1", expect.items, expect.sites, expect.inputs))
    assert [(p.code, p.sheet, p.row, p.column) for p in wrong.problems] == [
        ("survey.file.wrong_campaign", lay.ABOUT, 1, "B")
    ]
