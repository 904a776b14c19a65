"""What goes into the audit trail from the other capabilities.

Screening and the self-assessment already keep their own event logs (who, what, when, why);
each new row of them is appended to the chain in the same transaction, so a rolled-back
decision leaves no audit record and a committed one always has one. A finished value-chain
import is appended from its ``ImportRun``; anything else (report generation) arrives through
:data:`econsec.trail.evidence`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from econsec import trail
from econsec.governance import triggers
from econsec.governance.chain import append

log = logging.getLogger(__name__)


def _on_evidence(
    sender: Any, *, action: str, ref: str, actor: str, reason: str, detail: Any, **_: Any
) -> None:
    append(action, ref, actor=actor, reason=reason, detail=detail)


def _on_screening_event(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    if created:
        append(
            f"screening.{instance.action}",
            instance.object_ref,
            actor=instance.actor,
            reason=instance.reason,
            detail={"source": f"screening.event:{instance.pk}", **(instance.detail or {})},
        )
        if instance.action in triggers.NEW_HIT_ACTIONS:
            triggers.new_screening_hit(instance.object_ref, actor=instance.actor)


def _on_assessment_event(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    if created:
        append(
            f"assessment.{instance.action}",
            f"campaign:{instance.campaign_id}" if instance.campaign_id else instance.target,
            actor=instance.actor,
            detail={
                "source": f"assessment.event:{instance.pk}",
                "target": instance.target,
                **(instance.detail or {}),
            },
        )
        if instance.action == triggers.SUBMITTED and instance.campaign_id:
            triggers.assessment_submitted(instance.campaign_id, instance.pk, actor=instance.actor)


def _on_import_run(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    # An import saves its run twice: when it starts and when it has written every row.
    if instance.finished_at is None:
        return
    append(
        "valuechain.import",
        f"import:{instance.pk}",
        detail={
            "source_name": instance.source_name,
            "source_sha256": instance.source_sha256,
            "data_version": instance.data_version,
            "created": instance.created,
            "updated": instance.updated,
            "deleted": instance.deleted,
            "unchanged": instance.unchanged,
        },
    )


def _on_monitoring_alert(sender: Any, instance: Any, **_: Any) -> None:
    # Every save of an alert (assessment, triage) comes here; the trigger decides whether its
    # severity is new. A notification that cannot be written never fails the monitoring step.
    try:
        with transaction.atomic():
            triggers.monitoring_alert(instance)
    except Exception:
        log.warning("monitoring alert %s: notification not raised", instance.pk, exc_info=True)


def connect() -> None:
    trail.evidence.connect(_on_evidence, dispatch_uid="governance.evidence")
    post_save.connect(
        _on_screening_event, sender="screening.ScreeningEvent", dispatch_uid="governance.scr"
    )
    post_save.connect(
        _on_assessment_event, sender="guideline.AssessmentEvent", dispatch_uid="governance.asm"
    )
    post_save.connect(
        _on_import_run, sender="valuechain.ImportRun", dispatch_uid="governance.import"
    )
    post_save.connect(
        _on_monitoring_alert, sender="monitoring.Alert", dispatch_uid="governance.monitoring"
    )
