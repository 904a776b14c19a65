"""Decisions requested of the board, derived from the actions, the findings and the register.

- **Budget**: a mandate and budget for the top-ranked actions (their time-based risk summed);
- **Risk acceptance**: each register entry whose owner asked for the risk to be accepted and
  that nobody has accepted yet (governance);
- **Policy**: a dependence policy for the country a finding names, and a cover target (stock or
  qualified alternatives for at least the recovery time) when a scenario stops a product before
  it recovers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from econsec.i18n import LANGUAGES
from econsec.reports.model import Action, Decision, Finding
from econsec.reports.text import Bilingual, Money, both, same

BUDGET_ACTIONS = 3


@dataclass(frozen=True)
class PendingAcceptance:
    """A register entry awaiting the board's acceptance."""

    code: str
    title: Bilingual
    owner: str


def decisions(
    actions: Sequence[Action],
    findings: Sequence[Finding],
    pending: Sequence[PendingAcceptance],
    currency: str,
) -> list[Decision]:
    out: list[Decision] = []
    top = [a for a in actions[:BUDGET_ACTIONS] if a.figure > 0]
    if top:
        timed = all(a.timed for a in top)
        out.append(
            Decision(
                kind="budget",
                text=both("reports.decision.budget", count=len(top)),
                basis=both(
                    "reports.decision.budget_basis" if timed else "reports.decision.budget_weekly",
                    money=Money(sum(a.figure for a in top), currency),
                    actions={lang: "; ".join(a.text[lang] for a in top) for lang in LANGUAGES},
                ),
            )
        )
    for p in pending:
        out.append(
            Decision(
                kind="acceptance",
                text=both("reports.decision.acceptance", code=p.code, title=p.title),
                basis=both("reports.decision.acceptance_basis", owner=p.owner or "—"),
            )
        )
    for f in findings:
        if f.rule == "country":
            out.append(Decision("policy", both("reports.decision.country_policy"), f.text))
        elif f.rule == "scenario_product":
            out.append(Decision("policy", both("reports.decision.cover_target"), f.text))
    # One cover-target decision is enough however many scenarios ask for it.
    seen: set[str] = set()
    unique = []
    for d in out:
        key = d.kind + d.text["en"]
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def kind_label(kind: str) -> Bilingual:
    return both(f"reports.decision.kind.{kind}") if kind else same("")
