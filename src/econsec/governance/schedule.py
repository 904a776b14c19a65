"""The governance loop's scheduled run: indicators, reminders, digests, deliveries.

The job worker's scheduler polls :func:`due` (``econsec.registry.register_schedule``); when the
last indicator computation is older than ``ECONSEC_GOVERNANCE_EVERY_MINUTES`` (60) it queues a
``governance.tick`` job. With several workers two ticks may be queued at once; that is harmless
by construction: every notification has a unique ``dedupe`` key (raising it twice writes it
once), and the delivery queue hands each row to one worker through its lease. Two ticks cost
one extra indicator row, never a second e-mail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from econsec.governance import actions, kri, notify
from econsec.governance.models import KriValue, Risk
from econsec.governance.recipients import administrators, owner_or_administrators


def _every() -> dt.timedelta:
    return dt.timedelta(minutes=float(getattr(settings, "ECONSEC_GOVERNANCE_EVERY_MINUTES", 60)))


def due() -> list[tuple[str, dict[str, Any]]]:
    last = KriValue.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    if last is not None and timezone.now() - last < _every():
        return []
    return [("governance.tick", {})]


def scan(now: dt.datetime | None = None, readings: list[kri.Reading] | None = None) -> int:
    """Raise the events the stored state calls for; the number of notifications written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    made = 0
    admins = administrators()
    params: dict[str, Any]
    for r in readings or []:
        if r.status == "red" and r.definition is not None:
            params = {"key": r.key, "value": f"{r.value:g}", "name": {"ja": r.definition.label("ja"),
                      "en": r.definition.label("en")}}  # fmt: skip
            made += len(notify.raise_event("kri_red", params, recipients=admins,
                                           dedupe=f"kri_red:{r.key}:{today}", now=now))  # fmt: skip
    for a in actions.overdue(today):
        params = {"action": a.pk, "title": {"ja": a.title_ja, "en": a.title_en},
                  "due": a.due.isoformat(), "owner": a.owner}  # fmt: skip
        made += len(notify.raise_event("action_overdue", params, recipients=[a.owner],
                                       dedupe=f"action_overdue:{a.pk}:{a.due}", now=now))  # fmt: skip
    for risk in Risk.objects.filter(next_review__lte=today):
        assert risk.next_review is not None
        params = {"risk": risk.code, "title": {"ja": risk.title_ja, "en": risk.title_en},
                  "date": risk.next_review.isoformat()}  # fmt: skip
        made += len(notify.raise_event("review_due", params, recipients=owner_or_administrators(risk.owner),
                                       dedupe=f"review_due:{risk.code}:{risk.next_review}", now=now))  # fmt: skip
    return made


def tick(job: Any = None, progress: Any = None) -> dict[str, Any]:
    """The scheduled job: indicators, events, the daily digest, then deliver what is due."""
    readings = kri.compute_all()
    raised = scan(readings=readings)
    digests = notify.daily_digest()
    delivery = notify.deliver()
    return {"indicators": len(readings), "raised": raised, "digests": digests,
            "sent": delivery.sent, "retried": delivery.retried, "failed": delivery.failed}  # fmt: skip
