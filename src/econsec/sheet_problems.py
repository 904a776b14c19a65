"""A problem found in a workbook a user imports, located by sheet, row, column and value.

Imports are all-or-nothing: readers collect every :class:`Problem` and raise them together as
:class:`ImportProblems`, so the user fixes the whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from econsec.i18n import t


@dataclass(frozen=True)
class Problem:
    """One located problem: sheet, row, column, value and a message id with its parameters."""

    sheet: str
    row: int
    column: str
    value: Any
    key: str
    params: dict[str, Any]

    def message(self, lang: str | None = None) -> str:
        where = t("workbook.where", lang, sheet=self.sheet, row=self.row,
                  column=self.column, value="" if self.value is None else self.value)  # fmt: skip
        return where + t(self.key, lang, **self.params)


class ImportProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")
