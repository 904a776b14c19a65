"""Findings of validation: each names sheet, row, column and value, in Japanese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from econsec.i18n import t

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in the input. ``row`` is the spreadsheet row number (1 = header)."""

    severity: str
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str | None = None) -> str:
        fields = {"sheet": self.sheet, "row": self.row, "column": self.column}
        return t(self.code, lang, **{**fields, **self.params, "value": _shown(self.value)})

    def location(self, lang: str | None = None) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(t("valuechain.where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(t("valuechain.where.row", lang, row=self.row))
        if self.column is not None:
            parts.append(t("valuechain.where.column", lang, column=self.column))
        return " ".join(parts)

    def render(self, lang: str | None = None) -> str:
        where = self.location(lang)
        head = t(f"valuechain.severity.{self.severity}", lang)
        return f"{head} {where}: {self.message(lang)}" if where else f"{head}: {self.message(lang)}"

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else _shown(self.value),
            "message": self.message(lang),
        }


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def error(
    code: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    **params: Any,
) -> Issue:
    return Issue(ERROR, code, sheet, row, column, value, params)


def warning(
    code: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    **params: Any,
) -> Issue:
    return Issue(WARNING, code, sheet, row, column, value, params)


class IntakeError(Exception):
    """Raised when input cannot be imported; carries every issue found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(i.render("en") for i in issues[:5]))
