"""The capability's user-facing error: a message key plus parameters, rendered in ja or en."""

from __future__ import annotations

from typing import Any

from econsec.i18n import t


class MonitoringError(Exception):
    """A refused event, feed or request; ``message(lang)`` says what and where."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")

    def message(self, lang: str | None = None) -> str:
        # A refusal may carry the refusal it wraps (an alert refused for a bad polygon).
        params = {
            k: v.message(lang) if isinstance(v, MonitoringError) else v
            for k, v in self.params.items()
        }
        return t(self.key, lang, **params)
