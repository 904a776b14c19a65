"""Scoring of a self-assessment: pure functions over a framework and plain answers.

Rules (docs/decisions/0041-assessment-scoring.md):

* A question's result counts as 実施済 done = 1, 一部実施 partial = 0.5, 未実施 not done = 0.
  対象外 (N/A) questions are excluded; unanswered questions are excluded from the score but
  lower the coverage.
* Item implementation = mean of its counted question values (None when nothing counts).
  An item is N/A when every one of its questions is answered N/A; its maturity is then ignored.
* Item maturity = the assessed level 0-4 (None when not assessed).
* Area, principle and overall roll-ups are importance-weighted means (high 3, medium 2, low 1)
  over the items that have a value; N/A items and items without a value do not count.
  Coverage = answered applicable questions / applicable questions.
* Gap priority = importance weight x (4 - maturity); an item not yet assessed counts as
  maturity 0 and is flagged. Items at maturity 4 and N/A items are not gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from econsec.guideline.frameworks import Framework, Item

MAX_MATURITY = 4


class Result(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    NOT_DONE = "not_done"
    NA = "na"


RESULT_VALUE = {Result.DONE: 1.0, Result.PARTIAL: 0.5, Result.NOT_DONE: 0.0}


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    area_id: str
    weight: int
    questions: int
    answered: int
    not_applicable: int
    implementation: float | None
    maturity: int | None

    @property
    def is_na(self) -> bool:
        return self.questions > 0 and self.not_applicable == self.questions

    @property
    def applicable(self) -> int:
        return self.questions - self.not_applicable


@dataclass(frozen=True)
class GroupScore:
    group_id: str
    items: int
    items_na: int
    implementation: float | None
    maturity: float | None
    applicable_questions: int
    answered_questions: int

    @property
    def coverage(self) -> float | None:
        if self.applicable_questions == 0:
            return None
        return self.answered_questions / self.applicable_questions


@dataclass(frozen=True)
class Scorecard:
    framework_id: str
    items: dict[str, ItemScore]
    areas: dict[str, GroupScore]
    principles: dict[str, GroupScore]
    overall: GroupScore


def score_item(
    item: Item, area_id: str, answers: Mapping[str, Result], maturity: int | None
) -> ItemScore:
    """Score one item from its questions' results and its maturity level."""
    values: list[float] = []
    answered = na = 0
    for question in item.questions:
        result = answers.get(question.id)
        if result is None:
            continue
        if result is Result.NA:
            na += 1
            continue
        answered += 1
        values.append(RESULT_VALUE[result])
    all_na = na == len(item.questions)
    if maturity is not None and not 0 <= maturity <= MAX_MATURITY:
        raise ValueError(f"maturity {maturity} of {item.id} is outside 0..{MAX_MATURITY}")
    return ItemScore(
        item_id=item.id,
        area_id=area_id,
        weight=item.weight,
        questions=len(item.questions),
        answered=answered,
        not_applicable=na,
        implementation=sum(values) / len(values) if values else None,
        maturity=None if all_na else maturity,
    )


def _weighted(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    total = weight_sum = 0.0
    for value, weight in pairs:
        if value is None:
            continue
        total += value * weight
        weight_sum += weight
    return total / weight_sum if weight_sum else None


def roll_up(group_id: str, scores: Iterable[ItemScore]) -> GroupScore:
    """Importance-weighted roll-up of item scores (N/A items excluded)."""
    scores = list(scores)
    live = [s for s in scores if not s.is_na]
    return GroupScore(
        group_id=group_id,
        items=len(scores),
        items_na=len(scores) - len(live),
        implementation=_weighted((s.implementation, s.weight) for s in live),
        maturity=_weighted((s.maturity, s.weight) for s in live),
        applicable_questions=sum(s.applicable for s in scores),
        answered_questions=sum(s.answered for s in scores),
    )


def score_assessment(
    framework: Framework,
    answers: Mapping[str, Result],
    maturity: Mapping[str, int | None],
) -> Scorecard:
    """Score a (possibly partial) assessment: question id → result, item id → maturity."""
    items = {
        item.id: score_item(item, area.id, answers, maturity.get(item.id))
        for area, item in framework.items()
    }
    areas = {
        area.id: roll_up(area.id, (items[item.id] for item in area.items))
        for area in framework.areas
    }
    principles = {
        p.id: roll_up(
            p.id, (items[item.id] for _, item in framework.items() if p.id in item.principles)
        )
        for p in framework.principles
    }
    return Scorecard(
        framework_id=framework.id,
        items=items,
        areas=areas,
        principles=principles,
        overall=roll_up("overall", items.values()),
    )


@dataclass(frozen=True)
class Gap:
    item_id: str
    area_id: str
    weight: int
    maturity: int | None
    implementation: float | None
    priority: int

    @property
    def assessed(self) -> bool:
        return self.maturity is not None


def gap_list(framework: Framework, card: Scorecard) -> list[Gap]:
    """Items ordered by gap priority (highest first); ties: lower implementation first,
    then framework order."""
    order = {item.id: n for n, (_, item) in enumerate(framework.items())}
    gaps = []
    for score in card.items.values():
        if score.is_na:
            continue
        level = score.maturity if score.maturity is not None else 0
        priority = score.weight * (MAX_MATURITY - level)
        if priority == 0:
            continue
        gaps.append(
            Gap(
                score.item_id,
                score.area_id,
                score.weight,
                score.maturity,
                score.implementation,
                priority,
            )
        )
    gaps.sort(
        key=lambda g: (
            -g.priority,
            g.implementation if g.implementation is not None else -1.0,
            order[g.item_id],
        )
    )
    return gaps


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    maturity_before: int | None
    maturity_after: int | None
    implementation_before: float | None
    implementation_after: float | None

    @property
    def maturity_delta(self) -> int | None:
        if self.maturity_before is None or self.maturity_after is None:
            return None
        return self.maturity_after - self.maturity_before

    @property
    def direction(self) -> str:
        """'up', 'down', 'same', 'new' (assessed only later) or 'dropped'."""
        if self.maturity_before is None and self.maturity_after is not None:
            return "new"
        if self.maturity_before is not None and self.maturity_after is None:
            return "dropped"
        delta = self.maturity_delta
        if delta is None or delta == 0:
            before, after = self.implementation_before, self.implementation_after
            if before is not None and after is not None and after != before:
                return "up" if after > before else "down"
            return "same"
        return "up" if delta > 0 else "down"


@dataclass(frozen=True)
class QuestionChange:
    question_id: str
    before: Result | None
    after: Result | None


@dataclass(frozen=True)
class Comparison:
    items: list[ItemChange]
    questions: list[QuestionChange]
    areas: dict[str, tuple[GroupScore, GroupScore]]
    overall: tuple[GroupScore, GroupScore]

    def moved(self) -> list[ItemChange]:
        return [c for c in self.items if c.direction != "same"]


def compare(
    framework: Framework,
    before: tuple[Scorecard, Mapping[str, Result]],
    after: tuple[Scorecard, Mapping[str, Result]],
) -> Comparison:
    """What moved between two campaigns on the same framework."""
    card_a, answers_a = before
    card_b, answers_b = after
    items = []
    for _, item in framework.items():
        a, b = card_a.items[item.id], card_b.items[item.id]
        items.append(
            ItemChange(item.id, a.maturity, b.maturity, a.implementation, b.implementation)
        )
    questions = [
        QuestionChange(q.id, answers_a.get(q.id), answers_b.get(q.id))
        for _, _, q in framework.questions()
        if answers_a.get(q.id) != answers_b.get(q.id)
    ]
    return Comparison(
        items=items,
        questions=questions,
        areas={k: (card_a.areas[k], card_b.areas[k]) for k in card_a.areas},
        overall=(card_a.overall, card_b.overall),
    )
