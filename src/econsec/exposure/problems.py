"""Errors and warnings of the exposure analytics, rendered through the i18n catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from econsec.i18n import t


@dataclass(frozen=True)
class ExposureWarning:
    """Something in the data that makes a figure less certain; names the record."""

    code: str  # a message id in exposure/messages.yaml
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The warning in ``lang``."""
        return t(self.code, lang, **self.params)


class ExposureError(Exception):
    """Input the analytics cannot give a correct answer for (e.g. a supply cycle)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        """The error in ``lang``."""
        return t(self.code, lang, **self.params)
