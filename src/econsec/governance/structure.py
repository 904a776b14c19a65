"""The economic-security organisation as data: a RACI per guideline area, and risk links.

A RACI holds exactly one accountable party (A) per area; R, C and I may be many. Changes go to
the audit trail (``raci.set``, ``raci.removed``, ``risk.linked``).
"""

from __future__ import annotations

from django.db import transaction

from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.fields import check_values
from econsec.governance.models import Responsibility, Risk, RiskLink


def set_responsibility(area: str, party: str, letter: str, *, actor: str) -> Responsibility:
    """Make ``party`` R, A, C or I for ``area``; a new A replaces the previous one."""
    area, party, letter = area.strip(), party.strip(), letter.strip().upper()
    if not area or not party:
        raise GovernanceError("governance.raci.required")
    check_values(Responsibility, {"area": area, "party": party})
    if letter not in Responsibility.LETTERS:
        allowed = ", ".join(Responsibility.LETTERS)
        raise GovernanceError("governance.raci.bad_letter", value=letter, allowed=allowed)
    with transaction.atomic():
        if letter == "A":
            Responsibility.objects.filter(area=area, letter="A").exclude(party=party).delete()
        row, _ = Responsibility.objects.update_or_create(
            area=area, party=party, defaults={"letter": letter}
        )
        append("raci.set", f"raci:{area}", actor=actor, detail={"party": party, "letter": letter})
    return row


def remove_responsibility(area: str, party: str, *, actor: str) -> None:
    with transaction.atomic():
        deleted, _ = Responsibility.objects.filter(area=area, party=party).delete()
        if deleted:
            append("raci.removed", f"raci:{area}", actor=actor, detail={"party": party})


def raci() -> dict[str, dict[str, list[str]]]:
    """area → letter → parties (areas sorted; letters in R, A, C, I order)."""
    table: dict[str, dict[str, list[str]]] = {}
    for area, party, letter in Responsibility.objects.values_list("area", "party", "letter"):
        table.setdefault(area, {k: [] for k in Responsibility.LETTERS})[letter].append(party)
    return dict(sorted(table.items()))


def accountable(area: str) -> str:
    """The party accountable for ``area`` (or for its parent area "1" of item "1-2"), or ""."""
    for key in (area, area.split("-")[0]):
        row = Responsibility.objects.filter(area=key, letter="A").first()
        if row is not None:
            return row.party
    return ""


def link(risk: Risk, kind: str, ref: str, label: str = "", *, actor: str) -> RiskLink:
    """Tie a risk to something econsec knows (scenario, sweep element, SPOF, hit, item)."""
    if kind not in RiskLink.KINDS:
        allowed = ", ".join(RiskLink.KINDS)
        raise GovernanceError("governance.link.bad_kind", value=kind, allowed=allowed)
    if not ref.strip():
        raise GovernanceError("governance.link.required")
    check_values(RiskLink, {"ref": ref.strip(), "label": label})
    with transaction.atomic():
        row, _ = RiskLink.objects.update_or_create(
            risk=risk, kind=kind, ref=ref.strip(), defaults={"label": label[:300]}
        )
        append("risk.linked", f"risk:{risk.code}", actor=actor, detail={"kind": kind, "ref": ref})
    return row
