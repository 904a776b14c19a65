"""The one error type of the reference package, with bilingual messages."""

from __future__ import annotations

from typing import Any

from econsec.i18n import t


class ReferenceDataError(ValueError):
    """Reference data (shipped or user-supplied) is malformed; names the file and the entry."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, None, **params))

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` ("ja" or "en"; default: the user's language)."""
        return t(self.key, lang, **self.params)
