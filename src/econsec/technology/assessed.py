"""Controls taken from the self-assessment: an item answered as in place counts as a control on
the routes ``data/control_sources.yaml`` names for it, with the answer as the reason.

Per framework the assessment read is the latest approved campaign, else the latest of any
status (an approved answer has been reviewed; a newer draft has not). The item's status comes
from its maturity when assessed (3–4 in place, 2 partial, 0–1 missing), otherwise from its
questions (every applicable question done: in place; some done or partial: partial; none:
missing). An item answered N/A throughout, or not at all, gives no control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from econsec import safe_yaml
from econsec.i18n import LANGUAGES, t
from econsec.technology.routes import route_index

IN_PLACE_MATURITY, PARTIAL_MATURITY = 3, 2


@dataclass(frozen=True)
class Source:
    framework: str
    item: str
    routes: tuple[str, ...]


@dataclass(frozen=True)
class Assessed:
    route_id: str
    status: str  # missing, partial, in_place
    label: dict[str, str]  # the answer, ja and en
    key: tuple[Any, ...]  # what the register version notes


def parse_sources(document: Any, source: str = "control_sources.yaml") -> tuple[Source, ...]:
    """Check and read the mapping; a ValueError names the entry and field at fault."""
    if (
        not isinstance(document, dict)
        or document.get("schema") != "econsec.technology.control_sources/1"
    ):
        raise ValueError(f"{source}: schema must be econsec.technology.control_sources/1")
    known = route_index()
    out = []
    for n, entry in enumerate(document.get("sources") or []):
        where = f"{source}: source {n + 1}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: not a mapping")
        for key in ("framework", "item"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ValueError(f"{where}: {key} is missing")
        routes = entry.get("routes")
        if not isinstance(routes, list) or not routes:
            raise ValueError(f"{where}: routes is missing")
        for r in routes:
            if r not in known:
                raise ValueError(f"{where} ({entry['item']}): unknown route {r}")
        out.append(Source(entry["framework"], entry["item"], tuple(routes)))
    return tuple(out)


@cache
def load_sources() -> tuple[Source, ...]:
    text = (resources.files("econsec.technology") / "data" / "control_sources.yaml").read_text(
        encoding="utf-8"
    )
    document, _node = safe_yaml.load(text, source="control_sources.yaml")
    return parse_sources(document)


def item_status(maturity: int | None, results: Sequence[str]) -> str | None:
    """The control status an item's answers stand for (None: the answers say nothing)."""
    applicable = [r for r in results if r != "na"]
    if results and not applicable:
        return None  # N/A throughout
    if maturity is not None:
        if maturity >= IN_PLACE_MATURITY:
            return "in_place"
        return "partial" if maturity >= PARTIAL_MATURITY else "missing"
    if not applicable:
        return None
    if all(r == "done" for r in applicable):
        return "in_place"
    return "partial" if any(r in ("done", "partial") for r in applicable) else "missing"


def _campaign(framework_id: str) -> Any:
    from django.db.models import Case, IntegerField, Value, When

    from econsec.guideline.models import Campaign

    approved = Case(When(status="approved", then=Value(1)), default=Value(0),
                    output_field=IntegerField())  # fmt: skip
    return (
        Campaign.objects.filter(framework__framework_id=framework_id)
        .annotate(approved=approved)
        .order_by("-approved", "-assessment_date", "-id")
        .first()
    )


def assessed_controls() -> list[Assessed]:
    """The controls the latest assessments stand for, one per mapped route."""
    from econsec.guideline.models import ItemAssessment, QuestionAnswer

    by_framework: dict[str, list[Source]] = {}
    for s in load_sources():
        by_framework.setdefault(s.framework, []).append(s)
    out: list[Assessed] = []
    for framework_id, sources in by_framework.items():
        campaign = _campaign(framework_id)
        if campaign is None:
            continue
        items = [s.item for s in sources]
        assessed = {a.item_id: a for a in ItemAssessment.objects.filter(campaign=campaign,
                                                                          item_id__in=items)}  # fmt: skip
        results: dict[str, list[str]] = {}
        for item_id, result in QuestionAnswer.objects.filter(
            campaign=campaign, item_id__in=items
        ).values_list("item_id", "result"):
            results.setdefault(item_id, []).append(result)
        for s in sources:
            row = assessed.get(s.item)
            maturity = row.maturity if row is not None else None
            answers = results.get(s.item, [])
            status = item_status(maturity, answers)
            if status is None:
                continue
            label = {lang: _label(lang, campaign, framework_id, s.item, maturity, answers,
                                  row.comment if row is not None else "")
                     for lang in LANGUAGES}  # fmt: skip
            key = ("assessed", campaign.pk, s.item, status, maturity, sorted(answers))
            out += [Assessed(r, status, label, key) for r in s.routes]
    return out


def _label(lang: str, campaign: Any, framework_id: str, item: str, maturity: int | None,
           answers: Sequence[str], comment: str) -> str:  # fmt: skip
    if maturity is not None:
        answer = t("technology.assessed.maturity", lang, level=maturity)
    else:
        applicable = [r for r in answers if r != "na"]
        answer = t("technology.assessed.questions", lang, done=applicable.count("done"),
                   of=len(applicable))  # fmt: skip
    text = t("technology.assessed.label", lang, campaign=campaign.name,
             date=campaign.assessment_date.isoformat(), framework=framework_id, item=item,
             answer=answer)  # fmt: skip
    return f"{text} — {comment.strip()[:200]}" if comment.strip() else text
