"""Actions: owners and due dates, overdue and due-soon lists, comments, the residual rating
that follows a finished measure, RACI and risk links — all in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from econsec.governance import actions, kri, risks, structure
from econsec.governance.chain import verify
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Action, AuditEvent, Notification, Risk


def _risk(code: str = "R-1") -> Risk:
    return risks.create(code, actor="ana", title_ja="リスク", title_en="risk", likelihood=4,
                        entered_impact=5e9)  # fmt: skip


def _action(risk: Risk | None, days: int, **extra: object) -> Action:
    return actions.create(actor="ana", risk=risk, title_ja="対応", title_en="measure",
                          owner="taro", due=timezone.localdate() + dt.timedelta(days=days),
                          **extra)  # fmt: skip


def test_overdue_and_due_soon_by_hand(db: None) -> None:
    risk = _risk()
    made = {d: _action(risk, d) for d in (-30, -1, 0, 5, 14, 15, 60)}
    actions.change(made[-30], actor="ana", status="done")  # done is never overdue
    today = timezone.localdate()
    assert {a.pk for a in actions.overdue()} == {made[-1].pk}
    assert {a.pk for a in actions.due_soon()} == {made[0].pk, made[5].pk, made[14].pk}
    reading = {r.key: r for r in kri.compute_all()}["actions_overdue"]
    assert reading.value == 1 and reading.reasons[0]["action"] == made[-1].pk
    assert reading.reasons[0]["due"] == (today - dt.timedelta(days=1)).isoformat()


def test_the_owner_is_told_and_every_change_is_in_the_trail(db: None) -> None:
    action = _action(None, 3)
    (note,) = Notification.objects.filter(kind="action_assigned")
    assert note.recipient == "taro" and note.channel == "inbox"
    actions.change(action, actor="ana", status="in_progress", evidence="PO 123")
    actions.comment(action, author="taro", text="supplier audited")
    events = list(AuditEvent.objects.filter(object_ref=f"action:{action.pk}").order_by("seq"))
    assert [e.action for e in events] == ["action.created", "action.changed", "action.commented"]
    assert '"status":["open","in_progress"]' in events[1].detail
    assert verify().ok


def test_a_finished_measure_sets_the_risks_residual_rating(db: None) -> None:
    risk = _risk()
    before = risks.rate(risk)
    assert before.residual == 4 * 4  # likelihood 4; 5e9 lies in [1e9, 1e10): impact 4
    action = _action(risk, 10, target_likelihood=2, target_impact=3)
    actions.change(action, actor="ana", status="in_progress")
    risk.refresh_from_db()
    assert risk.residual_likelihood is None  # not before the measure is done
    actions.change(action, actor="ana", status="done")
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.residual_impact) == (2, 3)
    assert risks.rate(risk).residual == 6
    last = risks.history(risk)[-1]
    assert last.action == "risk.changed" and last.reason == f"action:{action.pk} done"
    assert action.closed_at is not None


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"status": "finished"}, "governance.action.bad_status"),
        ({"target_likelihood": 7}, "governance.risk.bad_level"),
        ({"due": "tomorrow"}, "governance.action.bad_due"),
        ({"owner": " "}, "governance.action.owner_required"),
    ],
)
def test_bad_changes_are_refused_with_the_field_named(
    db: None, fields: dict[str, object], key: str
) -> None:
    action = _action(None, 1)
    with pytest.raises(GovernanceError) as info:
        actions.change(action, actor="ana", **fields)
    assert info.value.key == key
    assert info.value.message("ja") != info.value.message("en")


def test_raci_keeps_one_accountable_party_per_area(db: None) -> None:
    structure.set_responsibility("1", "委員会", "A", actor="ana")
    structure.set_responsibility("1", "推進室", "R", actor="ana")
    structure.set_responsibility("1", "取締役会", "a", actor="ana")  # replaces the committee
    assert structure.raci() == {"1": {"R": ["推進室"], "A": ["取締役会"], "C": [], "I": []}}
    assert structure.accountable("1-2") == "取締役会"  # an item falls back to its area
    with pytest.raises(GovernanceError) as info:
        structure.set_responsibility("1", "x", "Z", actor="ana")
    assert info.value.key == "governance.raci.bad_letter"
    assert AuditEvent.objects.filter(action="raci.set").count() == 3


def test_links_tie_a_risk_to_what_econsec_knows(db: None) -> None:
    risk = _risk()
    structure.link(risk, "spof", "P1/CAR", "CAR at P1", actor="ana")
    structure.link(risk, "spof", "P1/CAR", "CAR at plant 1", actor="ana")  # relabelled
    assert [(x.kind, x.ref, x.label) for x in risk.links.all()] == [
        ("spof", "P1/CAR", "CAR at plant 1")
    ]
    with pytest.raises(GovernanceError):
        structure.link(risk, "rumour", "x", actor="ana")
