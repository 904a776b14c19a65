"""Actions: measures and follow-ups with an owner, a due date, a status, evidence and comments.

Every change is appended to the audit trail (``action.created``, ``action.changed``,
``action.commented``). Finishing an action that carries a target residual rating sets its
risk's residual rating to that target, through :func:`econsec.governance.risks.change`, so the
risk's history shows why its rating moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from econsec.governance import risks
from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.fields import MAX_TEXT, check_values
from econsec.governance.models import Action, ActionComment, Risk

_EDITABLE = ("title_ja", "title_en", "owner", "due", "status", "evidence", "target_likelihood",
             "target_impact")  # fmt: skip
DUE_SOON_DAYS = 14


def _check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise GovernanceError("governance.risk.unknown_field", field=", ".join(sorted(unknown)))
    status = fields.get("status")
    if status is not None and status not in Action.STATUSES:
        allowed = ", ".join(Action.STATUSES)
        raise GovernanceError("governance.action.bad_status", value=status, allowed=allowed)
    for name in ("target_likelihood", "target_impact"):
        value = fields.get(name)
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise GovernanceError("governance.risk.bad_level", field=name, value=value)
    due = fields.get("due")
    if "due" in fields and not isinstance(due, dt.date):
        raise GovernanceError("governance.action.bad_due", value=due)
    if "owner" in fields and not str(fields["owner"]).strip():
        raise GovernanceError("governance.action.owner_required")
    check_values(Action, fields)


def _snapshot(action: Action) -> dict[str, Any]:
    return {name: getattr(action, name) for name in _EDITABLE}


def create(*, actor: str, risk: Risk | None = None, **fields: Any) -> Action:
    """Add an action (owner and due date required); the owner is notified."""
    for name in ("title_ja", "title_en"):
        if not str(fields.get(name, "")).strip():
            raise GovernanceError("governance.risk.title_required")
    if "owner" not in fields:
        raise GovernanceError("governance.action.owner_required")
    if "due" not in fields:
        raise GovernanceError("governance.action.bad_due", value="")
    _check(fields)
    action = Action(risk=risk, **fields)
    with transaction.atomic():
        action.save()
        ref = f"action:{action.pk}"
        detail = {"fields": _snapshot(action), "risk": risk.code if risk else ""}
        append("action.created", ref, actor=actor, detail=detail)
        from econsec.governance import notify

        notify.raise_event(
            "action_assigned",
            {"action": action.pk, "title": {"ja": action.title_ja, "en": action.title_en},
             "due": action.due.isoformat()},
            recipients=[action.owner],
            dedupe=f"action_assigned:{action.pk}:{action.owner}",
        )  # fmt: skip
    return action


def change(action: Action, *, actor: str, reason: str = "", **fields: Any) -> Action:
    """Change an action; done with a target rating moves the risk's residual rating."""
    _check(fields)
    before = _snapshot(action)
    for name, value in fields.items():
        setattr(action, name, value)
    after = _snapshot(action)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not diff:
        return action
    finished = "status" in diff and action.status == "done"
    if "status" in diff:
        action.closed_at = timezone.now() if action.status not in Action.OPEN_STATUSES else None
    with transaction.atomic():
        action.save()
        append("action.changed", f"action:{action.pk}", actor=actor, reason=reason, detail=diff)
        if finished and action.risk is not None:
            _apply_target(action, actor)
    return action


def _apply_target(action: Action, actor: str) -> None:
    target: dict[str, Any] = {}
    if action.target_likelihood is not None:
        target["residual_likelihood"] = action.target_likelihood
    if action.target_impact is not None:
        target["residual_impact"] = action.target_impact
    if target and action.risk is not None:
        risks.change(action.risk, actor=actor, reason=f"action:{action.pk} done", **target)


def comment(action: Action, *, author: str, text: str) -> ActionComment:
    if not text.strip():
        raise GovernanceError("governance.action.comment_empty")
    if len(text) > MAX_TEXT:
        raise GovernanceError("governance.field.too_long", field="comment", limit=MAX_TEXT)
    with transaction.atomic():
        note = ActionComment.objects.create(action=action, author=author, text=text)
        append("action.commented", f"action:{action.pk}", actor=author, detail={"text": text})
    return note


def open_actions() -> QuerySet[Action]:
    return Action.objects.filter(status__in=Action.OPEN_STATUSES)


def overdue(today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return open_actions().filter(due__lt=today).select_related("risk")


def due_soon(today: dt.date | None = None, days: int = DUE_SOON_DAYS) -> QuerySet[Action]:
    today = today or timezone.localdate()
    window = today + dt.timedelta(days=days)
    return open_actions().filter(due__gte=today, due__lte=window).select_related("risk")
