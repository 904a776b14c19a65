"""Merge accepted answers into the value chain through the one import path, with provenance.

The merged tables go through :func:`econsec.valuechain.intake.apply.import_tables` (validated,
all-or-nothing, a new data version); in the same transaction every row the merge wrote gets a
:class:`~econsec.survey.models.Provenance` record naming the supplier, the campaign and when it
said so. Any error: nothing is written, provenance included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from econsec.survey.diff import SHEETS, Change, Plan, Said, apply, plan
from econsec.survey.models import Answer, Campaign, Provenance, Request


@dataclass
class Outcome:
    plan: Plan
    merged: list[Change]
    data_version: str


def pending(campaign: Campaign) -> list[Answer]:
    """The latest answer of each supplier that returned a valid, not yet merged workbook."""
    latest: dict[int, Answer] = {}
    for answer in (
        Answer.objects.select_related("request")
        .filter(request__campaign=campaign)
        .order_by("received_at", "id")
    ):
        latest[answer.request_id] = answer
    return [a for a in latest.values() if a.ok and a.merged_at is None]


def preview(campaign: Campaign, answers: list[Answer] | None = None) -> Plan:
    """What merging ``answers`` (default: all pending) would change; conflicts flagged."""
    from econsec.valuechain.store_io import read_tables

    chosen = pending(campaign) if answers is None else answers
    said = [Said(a.pk, a.request.org_id, a.rows) for a in _with_requests(chosen)]
    return plan(read_tables(list(SHEETS)), said)


def _with_requests(answers: Iterable[Answer]) -> list[Answer]:
    return sorted(answers, key=lambda a: (a.request.org_id, a.pk))


def merge(campaign: Campaign, exclude: Iterable[str] = ()) -> Outcome:
    """Merge all pending answers except the changes keyed in ``exclude``.

    Raises :class:`econsec.valuechain.intake.issues.IntakeError` (nothing written) when the
    merged chain does not validate, e.g. a link kept whose new site was excluded.
    """
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.schema import load_schema
    from econsec.valuechain.store_io import read_tables

    answers = _with_requests(pending(campaign))
    tables = read_tables(list(SHEETS))
    said = [Said(a.pk, a.request.org_id, a.rows) for a in answers]
    planned = plan(tables, said)
    skip = set(exclude)
    chosen = [c for c in planned.changes if c.key not in skip]
    merged = apply(tables, chosen)
    schema = load_schema()
    for name in SHEETS:  # rows the merge made name only what it knows; the rest is empty
        columns = schema.sheet(name).column_names
        merged[name] = [{c: row.get(c) for c in columns} for row in merged[name]]
    now = timezone.now()
    by_id = {a.pk: a for a in answers}
    with transaction.atomic():
        run = import_tables(merged, source_name=f"survey campaign {campaign.pk}")
        Provenance.objects.bulk_create(
            (Provenance(campaign=campaign, answer_id=c.answer_id, org_id=c.org_id,
                        sheet=c.sheet, key="|".join(c.row_key)[:400],
                        values={"kind": c.kind, **_plain(c.values)},
                        stated_at=by_id[c.answer_id].received_at, merged_at=now,
                        import_run_id=run.pk)
             for c in chosen),
            batch_size=1000,
        )  # fmt: skip
        left_out = {c.answer_id for c in planned.changes if c.key in skip}
        left_out |= {c.answer_id for c in planned.conflicts}
        Answer.objects.filter(pk__in=list(by_id)).update(merged_at=now)
        for answer in answers:
            status = Request.Status.ACCEPTED if answer.pk in left_out else Request.Status.MERGED
            Request.objects.filter(pk=answer.request_id).update(status=status)
    return Outcome(planned, chosen, run.data_version)


def _plain(values: dict[str, object]) -> dict[str, object]:
    return {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
            for k, v in values.items()}  # fmt: skip
