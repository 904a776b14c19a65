"""The evidence signal: capabilities announce state changes that matter as evidence.

A capability that does something an auditor must be able to trace (a report generated, say)
calls :func:`record`; the governance capability listens and appends the event to its
tamper-evident audit trail. Neither side imports the other's code, and with no listener the call
does nothing. This module imports only Django's signal dispatcher.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# Sent with: action (str), ref (str), actor (str), reason (str), detail (dict).
evidence = Signal()


def record(action: str, ref: str, *, actor: str = "", reason: str = "", **detail: Any) -> None:
    """Announce one evidence-worthy state change (``action`` e.g. "report.generated")."""
    evidence.send(sender=None, action=action, ref=ref, actor=actor, reason=reason, detail=detail)
