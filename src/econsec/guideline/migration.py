"""Carry a campaign forward to a new framework edition on the store (decision 0044).

The old campaign is left as it was; a new campaign on the new edition receives the carried
answers through :func:`~econsec.guideline.campaigns.record_answers`, and the event log keeps the
full report (what was copied, what needs review, what is new, what was dropped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.db import transaction

from econsec.guideline.campaigns import (
    ItemFields,
    QuestionFields,
    create_campaign,
    framework_of,
    get_framework_row,
    log_event,
    record_answers,
)
from econsec.guideline.editions import (
    Carried,
    EditionMapping,
    ItemValues,
    bundled_edition_mappings,
    carry_forward,
    check_edition_mapping,
)
from econsec.guideline.errors import GuidelineError
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.models import AssessmentEvent, Campaign
from econsec.guideline.scoring import Result

MIGRATED = "campaign.migrated"


def parse_target(value: str) -> tuple[str, int]:
    """``FRAMEWORK@VERSION`` → (id, version)."""
    framework, sep, version = value.rpartition("@")
    if not sep or not framework or not version.isdigit() or int(version) < 1:
        raise GuidelineError("guideline.edition.bad_target", value=value)
    return framework, int(version)


def find_mapping(source: str, source_version: int, target: str, version: int) -> EditionMapping:
    """The bundled mapping between the two editions."""
    for mapping in bundled_edition_mappings():
        if (mapping.from_framework, mapping.from_version, mapping.to_framework) == (
            source,
            source_version,
            target,
        ) and mapping.to_version == version:
            return mapping
    raise GuidelineError(
        "guideline.edition.no_mapping",
        source=f"{source}@{source_version}",
        target=f"{target}@{version}",
    )


def migrate_campaign(
    campaign: Campaign,
    target: str,
    version: int,
    mapping: EditionMapping | None = None,
    *,
    name: str,
    assessment_date: dt.date | None = None,
    actor: str = "",
    mapping_source: str = "mapping",
) -> tuple[Campaign, Carried]:
    """Open a campaign on ``target``@``version`` holding ``campaign``'s answers carried by
    ``mapping`` (default: the bundled mapping between the two editions). All or nothing."""
    if campaign.framework.framework_id == target:
        raise GuidelineError("guideline.edition.same_framework", framework=target)
    row = get_framework_row(target)
    if row.version != version:
        raise GuidelineError(
            "guideline.edition.version_mismatch",
            framework=target,
            stored=row.version,
            version=version,
        )
    old, new = framework_of(campaign.framework), framework_of(row)
    if mapping is None:
        mapping = find_mapping(old.id, old.version, new.id, new.version)
        mapping_source = f"{old.id}->{new.id}"
    problems = check_edition_mapping(mapping, old, new, mapping_source)
    if problems:
        raise ImportProblems(mapping_source, problems)
    answers = {a.question_id: (Result(a.result), a.comment) for a in campaign.answers.all()}
    items = {
        a.item_id: ItemValues(a.maturity, a.owner, a.due_date, a.comment)
        for a in campaign.item_assessments.all()
    }
    carried = carry_forward(mapping, old, new, answers, items)
    with transaction.atomic():
        successor = create_campaign(
            new.id,
            name,
            assessment_date or dt.date.today(),
            list(campaign.assessors),
            scope_kind=campaign.scope_kind,
            scope_unit=campaign.scope_unit,
            actor=actor,
        )
        record_answers(
            successor,
            {
                qid: QuestionFields(result=result, comment=comment)
                for qid, (result, comment) in carried.questions.items()
            },
            {
                iid: ItemFields(
                    maturity=v.maturity, owner=v.owner, due_date=v.due_date, comment=v.comment
                )
                for iid, v in carried.items.items()
            },
            actor=actor,
            source=f"campaign {campaign.pk}",
        )
        report = {
            "from_campaign": campaign.pk,
            "from": f"{old.id}@{old.version}",
            "to": f"{new.id}@{new.version}",
            "mapping": mapping_source,
            "copied": carried.copied,
            "review_questions": list(carried.review_questions),
            "review_items": list(carried.review_items),
            "new_questions": list(carried.new_questions),
            "new_items": list(carried.new_items),
            "removed": [asdict(d) for d in carried.removed],
        }
        log_event(successor, actor, MIGRATED, str(successor.pk), **report)
        log_event(campaign, actor, "campaign.migrated_to", str(successor.pk), to=report["to"])
    return successor, carried


def pending_review(campaign: Campaign) -> tuple[list[str], list[str]]:
    """(question ids, item ids) flagged at migration whose answers nobody has changed since."""
    event = AssessmentEvent.objects.filter(campaign=campaign, action=MIGRATED).first()
    if event is None:
        return [], []
    since = event.at
    touched_q = set(
        campaign.answers.filter(updated_at__gt=since).values_list("question_id", flat=True)
    )
    touched_i = set(
        campaign.item_assessments.filter(updated_at__gt=since).values_list("item_id", flat=True)
    )
    return (
        [q for q in event.detail.get("review_questions", []) if q not in touched_q],
        [i for i in event.detail.get("review_items", []) if i not in touched_i],
    )
