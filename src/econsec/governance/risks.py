"""The risk register: add and change risks, rate them, approve acceptance, keep the history.

Every change is appended to the audit trail (``risk.created``, ``risk.changed`` with the fields
before and after, ``risk.accepted``), which is the register's history. A risk linked to a
stress scenario takes its impact from the latest stored result of that scenario on the current
data version (read when asked for, so it follows every re-import); so do the figures of its
other links (:mod:`econsec.governance.linked`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.linked import Stored, figures
from econsec.governance.models import AuditEvent, Risk

# Lost margin (money) at or above each threshold gives impact 2, 3, 4, 5 (below the first: 1).
DEFAULT_IMPACT_BANDS = (1e7, 1e8, 1e9, 1e10)
_EDITABLE = (
    "title_ja", "title_en", "description_ja", "description_en", "area", "owner", "causes",
    "consequences", "entered_impact", "likelihood", "residual_likelihood", "residual_impact",
    "treatment", "review_every_days", "next_review",
)  # fmt: skip


def impact_bands() -> tuple[float, ...]:
    return tuple(getattr(settings, "ECONSEC_RISK_IMPACT_BANDS", DEFAULT_IMPACT_BANDS))


def impact_level(money: float | None, bands: tuple[float, ...] | None = None) -> int | None:
    """1–5 from a money impact by the configured bands (None when there is no figure)."""
    if money is None:
        return None
    return 1 + sum(1 for threshold in bands or impact_bands() if money >= threshold)


@dataclass(frozen=True)
class Impact:
    """A risk's impact figure and where it came from."""

    money: float | None
    source: str  # "stress:<result id>", "entered" or ""
    data_version: str
    stale: bool  # from a result on an older data version (none for the current one)


def linked_impact(risk: Risk, stored: Stored | None = None) -> Impact:
    """The largest figure among what the risk links to (:mod:`econsec.governance.linked`),
    or the entered figure when nothing linked has one."""
    found = figures(risk, stored)
    known = [f for f in found if f.money is not None]
    if not known:
        source = "entered" if risk.entered_impact is not None else ""
        return Impact(risk.entered_impact, source, "", bool(found))
    worst = max(known, key=lambda f: f.money or 0.0)
    return Impact(worst.money, worst.source, worst.data_version, worst.stale)


@dataclass(frozen=True)
class Rated:
    risk: Risk
    impact: Impact
    inherent_impact: int | None
    inherent: int | None
    residual: int | None


def rate(risk: Risk, stored: Stored | None = None) -> Rated:
    impact = linked_impact(risk, stored)
    level = impact_level(impact.money)
    inherent = None if level is None else risk.likelihood * level
    res_l = risk.residual_likelihood or risk.likelihood
    res_i = risk.residual_impact or level
    residual = None if res_i is None else res_l * res_i
    return Rated(risk, impact, level, inherent, residual)


def rate_all(risks: Iterable[Risk]) -> list[Rated]:
    """Rate many risks reading the stored analyses once."""
    stored = Stored()
    if isinstance(risks, QuerySet):
        risks = risks.prefetch_related("links")
    return [rate(r, stored) for r in risks]


def check(fields: dict[str, Any]) -> None:
    from econsec.governance.fields import check_values

    for name in ("likelihood", "residual_likelihood", "residual_impact"):
        value = fields.get(name)
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
        if value is not None and not ok:
            raise GovernanceError("governance.risk.bad_level", field=name, value=value)
    treatment = fields.get("treatment")
    if treatment is not None and treatment not in Risk.TREATMENTS:
        allowed = ", ".join(Risk.TREATMENTS)
        raise GovernanceError("governance.risk.bad_treatment", value=treatment, allowed=allowed)
    impact = fields.get("entered_impact")
    if impact is not None and (not isinstance(impact, int | float) or impact < 0):
        raise GovernanceError("governance.risk.bad_impact", value=impact)
    check_values(Risk, fields)


def _snapshot(risk: Risk) -> dict[str, Any]:
    return {name: getattr(risk, name) for name in _EDITABLE}


def create(code: str, *, actor: str, link_scenario: Any = None, **fields: Any) -> Risk:
    """Add a risk; ``link_scenario`` (a stress Scenario) links it to that scenario's results."""
    if not code.strip():
        raise GovernanceError("governance.risk.code_required")
    check({"code": code})
    if Risk.objects.filter(code=code).exists():
        raise GovernanceError("governance.risk.exists", code=code)
    if not fields.get("title_ja") or not fields.get("title_en"):
        raise GovernanceError("governance.risk.title_required")
    unknown = set(fields) - set(_EDITABLE) - {"code"}
    if unknown:
        raise GovernanceError("governance.risk.unknown_field", field=", ".join(sorted(unknown)))
    check(fields)
    risk = Risk(code=code, **fields)
    if link_scenario is not None:
        risk.link_kind, risk.link_ref = "scenario", link_scenario.hash
        risk.link_label = link_scenario.name("en")[:300]
    if risk.treatment == "accept":
        # Acceptance is a decision of its own (accept()); a new risk starts as mitigate.
        risk.treatment = "mitigate"
    if risk.next_review is None:
        risk.next_review = timezone.localdate() + dt.timedelta(days=risk.review_every_days)
    with transaction.atomic():
        risk.save()
        append(
            "risk.created", f"risk:{code}", actor=actor,
            detail={"fields": _snapshot(risk), "link": [risk.link_kind, risk.link_ref]},
        )  # fmt: skip
    return risk


def change(risk: Risk, *, actor: str, reason: str = "", **fields: Any) -> Risk:
    """Change fields of a risk; the audit trail keeps what they were and what they became."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise GovernanceError("governance.risk.unknown_field", field=", ".join(sorted(unknown)))
    check(fields)
    if fields.get("treatment") == "accept" and risk.treatment != "accept":
        raise GovernanceError("governance.risk.accept_needs_approval", code=risk.code)
    before = _snapshot(risk)
    leaving = risk.treatment == "accept" and fields.get("treatment", "accept") != "accept"
    for name, value in fields.items():
        setattr(risk, name, value)
    if leaving:  # an acceptance (approved or asked for) ends with the treatment
        risk.acceptance_requested_by, risk.accepted_by, risk.accepted_at = "", "", None
    after = _snapshot(risk)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not diff:
        return risk
    with transaction.atomic():
        risk.save()
        append("risk.changed", f"risk:{risk.code}", actor=actor, reason=reason, detail=diff)
    return risk


def request_acceptance(risk: Risk, *, actor: str, reason: str) -> Risk:
    """Propose accepting a risk: it stands as "accept" awaiting approval (no ``accepted_by``)
    and the administrators, and the configured approver, are asked to sign it off."""
    from econsec.governance.recipients import administrators
    from econsec.governance.triggers import request_signoff

    if risk.treatment == "accept" and risk.accepted_by:
        raise GovernanceError("governance.risk.already_accepted", code=risk.code)
    if not reason.strip():
        raise GovernanceError("governance.risk.reason_required")
    from econsec.governance.fields import check_values

    check_values(AuditEvent, {"reason": reason})
    recipients = administrators()
    configured = getattr(settings, "ECONSEC_RISK_APPROVER", "")
    if configured and configured not in recipients:
        recipients.append(configured)
    what = {"ja": f"リスク {risk.code}「{risk.title_ja}」の受容",
            "en": f"accepting the risk {risk.code} '{risk.title_en}'"}  # fmt: skip
    with transaction.atomic():
        before = risk.treatment
        risk.treatment, risk.acceptance_requested_by = "accept", actor
        risk.accepted_by, risk.accepted_at = "", None
        risk.save()
        event = append("risk.acceptance_requested", f"risk:{risk.code}", actor=actor,
                       reason=reason, detail={"treatment": [before, "accept"]})  # fmt: skip
        request_signoff(what, ref=f"risk:{risk.code}", by=actor, recipients=recipients,
                        dedupe=f"signoff_requested:risk:{risk.code}:{event.seq}")  # fmt: skip
    return risk


def accept(risk: Risk, *, approver: str, is_administrator: bool, reason: str) -> Risk:
    """Accept a risk: only an administrator (or the configured approver) may, with a reason."""
    configured = getattr(settings, "ECONSEC_RISK_APPROVER", "")
    if not (is_administrator or (configured and approver == configured)):
        raise GovernanceError("governance.risk.accept_forbidden", who=approver)
    if not reason.strip():
        raise GovernanceError("governance.risk.reason_required")
    from econsec.governance.fields import check_values

    check_values(AuditEvent, {"reason": reason})
    with transaction.atomic():
        risk.treatment = "accept"
        risk.accepted_by, risk.accepted_at = approver, timezone.now()
        risk.save()
        append("risk.accepted", f"risk:{risk.code}", actor=approver, reason=reason)
    return risk


def history(risk: Risk) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_ref=f"risk:{risk.code}").order_by("seq"))


def heat_map(rated: list[Rated], residual: bool = False) -> list[list[list[str]]]:
    """5 × 5 cells [likelihood-1][impact-1] with the codes of the risks in each."""
    cells: list[list[list[str]]] = [[[] for _ in range(5)] for _ in range(5)]
    for r in rated:
        level = (r.risk.residual_impact or r.inherent_impact) if residual else r.inherent_impact
        likelihood = (
            (r.risk.residual_likelihood or r.risk.likelihood) if residual else r.risk.likelihood
        )
        if level is not None:
            cells[likelihood - 1][level - 1].append(r.risk.code)
    return cells
