"""Errors of the planning package: a message id from messages.yaml, its parameters."""

from __future__ import annotations

from typing import Any

from econsec.i18n import t


class PlanningError(Exception):
    """Bad planning input the user can act on (located), rendered in ja or en."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")
