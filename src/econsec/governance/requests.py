"""Requests waiting for a decision: a risk's acceptance, a disclosure draft's approval.

A request *is* the state it put its object in — a risk standing as "accept" without an
approver, a disclosure version "requested" — so the list is read from the objects, and the
audit trail says who asked, when and why. Approving goes through the object's own approval
(:func:`econsec.governance.risks.accept`, :func:`econsec.governance.disclosure.approve`).
Refusing needs a reason and puts the object back as it was before the request (the risk's
earlier treatment, as the request's audit event recorded it; the disclosure version back to a
draft), recorded as ``risk.acceptance_refused`` or ``disclosure.approval_refused``. Either way
the requester is told (notification kind ``request_decided``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from econsec.governance import disclosure, notify, risks
from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.fields import check_values
from econsec.governance.models import AuditEvent, Disclosure, Risk
from econsec.i18n import t

DECISIONS = ("approve", "refuse")
STATUS = {"governance.request.forbidden": 403, "governance.request.not_found": 404}
"""HTTP status of a refused decision by message key (400 for the others): pages and API."""
RISK = "risk_acceptance"
DISCLOSURE = "disclosure_approval"


@dataclass(frozen=True)
class PendingRequest:
    ref: str  # "risk:<code>" or "disclosure:<kind>:<version>"
    kind: str  # RISK or DISCLOSURE
    what: dict[str, str]  # the object named in ja and en
    requested_by: str
    requested_at: dt.datetime | None
    reason: str


def _asked(ref: str, action: str) -> AuditEvent | None:
    return AuditEvent.objects.filter(object_ref=ref, action=action).order_by("-seq").first()


def _risk_request(risk: Risk) -> PendingRequest:
    ref = f"risk:{risk.code}"
    event = _asked(ref, "risk.acceptance_requested")
    return PendingRequest(
        ref=ref, kind=RISK,
        what={lang: t("governance.request.what.risk", lang, code=risk.code,
                      title=risk.title_ja if lang == "ja" else risk.title_en)
              for lang in ("ja", "en")},
        requested_by=risk.acceptance_requested_by,
        requested_at=event.at if event else None, reason=event.reason if event else "",
    )  # fmt: skip


def _disclosure_request(record: Disclosure) -> PendingRequest:
    ref = f"disclosure:{record.kind}:{record.version}"
    event = _asked(ref, "disclosure.approval_requested")
    what = {lang: t("governance.disclosure.what", lang, version=record.version,
                    kind=t(f"governance.disclosure.kind.{record.kind}", lang))
            for lang in ("ja", "en")}  # fmt: skip
    return PendingRequest(
        ref=ref, kind=DISCLOSURE, what=what, requested_by=event.actor if event else "",
        requested_at=event.at if event else None, reason=event.reason if event else "",
    )  # fmt: skip


def _pending_risks() -> QuerySet[Risk]:
    return (
        Risk.objects.filter(treatment="accept", accepted_by="")
        .exclude(acceptance_requested_by="")
        .order_by("code")
    )


def is_pending(risk: Risk) -> bool:
    """The risk's acceptance was asked for and waits for a decision."""
    return (
        risk.treatment == "accept" and bool(risk.acceptance_requested_by) and not risk.accepted_by
    )


def pending() -> list[PendingRequest]:
    """Every request waiting for a decision, oldest first."""
    found = [_risk_request(r) for r in _pending_risks()]
    found += [_disclosure_request(d) for d in Disclosure.objects.filter(status="requested")]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda r: (r.requested_at or oldest, r.ref))


def _find(ref: str) -> Risk | Disclosure | None:
    if ref.startswith("risk:"):
        return _pending_risks().filter(code=ref.removeprefix("risk:")).first()
    parts = ref.split(":")
    if len(parts) == 3 and parts[0] == "disclosure" and parts[2].isdigit():
        return Disclosure.objects.filter(
            kind=parts[1], version=int(parts[2]), status="requested"
        ).first()
    return None


def _treatment_before(risk: Risk) -> str:
    """The treatment the risk had before it was proposed for acceptance (asked again while
    waiting, the request's own "before" is "accept": the earliest other one counts)."""
    events = AuditEvent.objects.filter(
        object_ref=f"risk:{risk.code}", action="risk.acceptance_requested"
    ).order_by("-seq")
    for event in events:
        before = (json.loads(event.detail or "{}").get("treatment") or [""])[0]
        if before and before != "accept":
            return str(before)
    return "mitigate"


def may_decide(ref: str, user: str, *, is_administrator: bool) -> bool:
    """Administrators decide every request; the configured risk approver, risk acceptances."""
    if is_administrator:
        return True
    configured = getattr(settings, "ECONSEC_RISK_APPROVER", "")
    return bool(configured) and user == configured and ref.startswith("risk:")


def decide(
    ref: str, decision: str, *, actor: str, is_administrator: bool, reason: str = ""
) -> PendingRequest:
    """Approve or refuse the request ``ref``; a refusal needs a reason and restores the state
    before the request. Returns the request as it stood (for the answer)."""
    if decision not in DECISIONS:
        raise GovernanceError("governance.request.bad_decision", value=decision[:20],
                              allowed=", ".join(DECISIONS))  # fmt: skip
    target = _find(ref)
    if target is None:
        raise GovernanceError("governance.request.not_found", ref=ref[:100])
    if not may_decide(ref, actor, is_administrator=is_administrator):
        raise GovernanceError("governance.request.forbidden", who=actor)
    if (decision == "refuse" or isinstance(target, Risk)) and not reason.strip():
        raise GovernanceError("governance.request.reason_required")
    check_values(AuditEvent, {"reason": reason})
    request = _risk_request(target) if isinstance(target, Risk) else _disclosure_request(target)
    with transaction.atomic():
        if isinstance(target, Risk) and decision == "approve":
            risks.accept(target, approver=actor, is_administrator=is_administrator, reason=reason)
        elif isinstance(target, Risk):
            before = _treatment_before(target)
            target.treatment, target.acceptance_requested_by = before, ""
            target.save()
            append("risk.acceptance_refused", ref, actor=actor, reason=reason,
                   detail={"treatment": ["accept", before]})  # fmt: skip
        elif decision == "approve":
            disclosure.approve(target, approver=actor, is_administrator=is_administrator)
        else:
            target.status = "draft"
            target.save(update_fields=["status"])
            append("disclosure.approval_refused", ref, actor=actor, reason=reason)
        event = AuditEvent.objects.filter(object_ref=ref).order_by("-seq").first()
        if request.requested_by:
            decided = {lang: t(f"governance.request.decision.{decision}", lang)
                       for lang in ("ja", "en")}  # fmt: skip
            notify.raise_event(
                "request_decided",
                {"what": request.what, "decision": decided, "by": actor, "reason": reason,
                 "ref": ref},
                recipients=[request.requested_by],
                dedupe=f"request_decided:{ref}:{event.seq if event else 0}",
            )  # fmt: skip
    return request
