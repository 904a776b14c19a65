"""Located problems in an imported file (sheet/row/column or a path), collected and raised
together so the user can fix everything in one pass; nothing is written when there are any."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from econsec.i18n import t


@dataclass(frozen=True)
class Located:
    # A plain location (a path, "sheet!row") or (sheet, row, column), rendered in the reader's language.
    where: str | tuple[str, int, str]
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        where = cell(*self.where, lang) if isinstance(self.where, tuple) else self.where
        text = t(self.key, lang, **self.params)
        # An empty location means the whole file, which the source prefix already names.
        return f"{where}: {text}" if where else text


def cell(sheet: str, row: int, column: str, lang: str | None = None) -> str:
    return t("guideline.xlsx.cell", lang, sheet=sheet, row=row, column=column)


class ImportProblems(ValueError):
    """One or more located problems; ``messages(lang)`` renders them."""

    def __init__(self, source: str, problems: list[Located]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s)")

    def __reduce__(self) -> tuple[Any, ...]:  # pickle rebuilds it from both arguments
        return (ImportProblems, (self.source, self.problems))

    def messages(self, lang: str | None = None) -> list[str]:
        return [f"{self.source}: {p.message(lang)}" for p in self.problems]
