"""Campaigns on the store: answers, all-or-nothing writes, sign-off and the event log."""

from __future__ import annotations

import datetime as dt

import pytest

from econsec.guideline.campaigns import (
    ItemFields,
    QuestionFields,
    campaign_scorecard,
    create_campaign,
    record_answers,
    review,
    store_framework,
    submit_for_review,
    sync_builtin_frameworks,
)
from econsec.guideline.errors import GuidelineError
from econsec.guideline.frameworks import Framework
from econsec.guideline.models import AssessmentEvent, QuestionAnswer, StoredFramework
from econsec.guideline.scoring import Result

R = Result


@pytest.fixture
def campaign(db: None, mini: Framework):
    store_framework(mini, "imported")
    return create_campaign(
        "mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato", "Suzuki"], actor="Sato"
    )


def test_builtin_sync_is_idempotent(db: None) -> None:
    sync_builtin_frameworks()
    sync_builtin_frameworks()
    assert set(StoredFramework.objects.values_list("framework_id", flat=True)) == {
        "esmg-1.0-draft",
        "tlcg-1",
    }


def test_changed_framework_needs_new_version(db: None, mini: Framework) -> None:
    import dataclasses

    store_framework(mini, "imported")
    changed = dataclasses.replace(mini, edition="1b")
    with pytest.raises(GuidelineError) as caught:
        store_framework(changed, "imported")
    assert caught.value.key == "guideline.store.same_version"
    store_framework(dataclasses.replace(changed, version=2), "imported")
    assert StoredFramework.objects.get(framework_id="mini-1").edition == "1b"


def test_answers_scored_from_store(campaign) -> None:
    record_answers(
        campaign,
        {
            "q1": QuestionFields(R.DONE),
            "q2": QuestionFields(R.PARTIAL, comment="policy drafted"),
            "q3": QuestionFields(R.NA),
            "q4": QuestionFields(R.NOT_DONE),
            "q5": QuestionFields(R.DONE),
        },
        {
            "X-1": ItemFields(maturity=2, owner="Procurement", due_date=dt.date(2026, 3, 31)),
            "Y-1": ItemFields(maturity=1),
        },
        actor="Sato",
    )
    campaign.refresh_from_db()
    assert campaign.status == "in_progress"
    _, card = campaign_scorecard(campaign)
    assert card.overall.implementation == pytest.approx(0.65)
    assert card.overall.maturity == pytest.approx(1.6)
    event = AssessmentEvent.objects.filter(action="answers.recorded").get()
    assert event.actor == "Sato" and len(event.detail["changes"]) == 7


def test_bad_id_writes_nothing(campaign) -> None:
    with pytest.raises(GuidelineError) as caught:
        record_answers(campaign, {"q1": QuestionFields(R.DONE), "nope": QuestionFields(R.DONE)}, {})
    assert caught.value.key == "guideline.answer.unknown_question"
    assert "nope" in caught.value.message("en") and "nope" in caught.value.message("ja")
    with pytest.raises(GuidelineError):
        record_answers(campaign, {"q1": QuestionFields(R.DONE)}, {"X-1": ItemFields(maturity=7)})
    assert not QuestionAnswer.objects.exists()


def test_sign_off(campaign) -> None:
    record_answers(campaign, {"q1": QuestionFields(R.DONE)}, {}, actor="Sato")
    submit_for_review(campaign, actor="Sato")
    with pytest.raises(GuidelineError) as caught:
        record_answers(campaign, {"q2": QuestionFields(R.DONE)}, {})
    assert caught.value.key == "guideline.campaign.locked"
    with pytest.raises(GuidelineError) as caught:
        review(campaign, "Suzuki", approve=True)
    assert caught.value.key == "guideline.campaign.reviewer_is_assessor"
    review(campaign, "Tanaka", approve=False, comment="evidence missing for q1")
    campaign.refresh_from_db()
    assert campaign.status == "in_progress"
    submit_for_review(campaign, actor="Sato")
    review(campaign, "Tanaka", approve=True, comment="ok")
    campaign.refresh_from_db()
    assert (campaign.status, campaign.reviewer) == ("approved", "Tanaka")
    actions = list(campaign.events.values_list("action", flat=True))
    assert actions == [
        "campaign.created",
        "answers.recorded",
        "campaign.submitted",
        "campaign.returned",
        "campaign.submitted",
        "campaign.approved",
    ]


def test_business_unit_scope_needs_unit(db: None) -> None:
    with pytest.raises(GuidelineError) as caught:
        create_campaign("esmg-1.0-draft", "BU", dt.date(2025, 1, 1), [], scope_kind="business_unit")
    assert caught.value.key == "guideline.campaign.unit_required"
