"""Score a subject (a counterparty) against a listed entity: name similarity plus qualifiers.

The result is a :class:`Match` that carries its explanation: which of the entity's names met
which form of the subject's name, the token pairs, the transliteration, and each qualifier with
the amount it moved the score. A bare float never leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from econsec.screening.entity import ListEntity
from econsec.screening.hanja import hangul_spellings
from econsec.screening.identifiers import strong_identifiers
from econsec.screening.names import ALGORITHM, NameConfig, NameResult, TokenMatch, compare_forms
from econsec.screening.normalise import NameForm, name_forms
from econsec.screening.transliterate import glossary_steps


@dataclass(frozen=True)
class ScreeningConfig:
    """Thresholds and qualifier weights. ``list_thresholds`` overrides ``threshold`` per list."""

    threshold: float = 0.6  # chosen by cross-validation on labelled pairs (docs 0030)
    list_thresholds: tuple[tuple[str, float], ...] = ()
    country_match_bonus: float = 0.03
    country_mismatch_penalty: float = 0.08
    kind_mismatch_penalty: float = 0.15
    identifier_match_score: float = 0.99
    # Both sides carry a valid corporate number or LEI of the same scheme and they differ:
    # check digits make a typo unlikely, so this speaks strongly against the name match.
    identifier_conflict_penalty: float = 0.3
    name: NameConfig = field(default_factory=NameConfig)

    def threshold_for(self, list_name: str) -> float:
        return dict(self.list_thresholds).get(list_name, self.threshold)


DEFAULT_CONFIG = ScreeningConfig()


@dataclass(frozen=True)
class Subject:
    """What is screened: an organisation of the value chain, an owner, or an ad-hoc name."""

    name: str
    kind: str = "unknown"
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ref: str = ""  # the caller's key (org_id), carried through untouched

    def all_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, *self.aliases) if n.strip()))


@dataclass(frozen=True)
class Feature:
    """One factor of the score: its name, the amount it added (negative lowers) and why."""

    name: str
    effect: float
    detail: str


@dataclass(frozen=True)
class Match:
    list_name: str
    entity_id: str
    entity_name: str
    matched_name: str  # the entity's name or alias that matched best
    subject_name: str
    score: float
    name_score: float
    transliteration: str
    tokens: tuple[TokenMatch, ...]
    unmatched: tuple[str, ...]
    features: tuple[Feature, ...]
    algorithm: str = ALGORITHM
    # The readings that met ("query: ja-kana gasprom") and the glossary steps behind a
    # translated one ("电子 → electronics"), so a reviewer sees how a script was crossed.
    steps: tuple[str, ...] = ()

    def explain(self) -> list[str]:
        """Plain lines for reports and the CLI (values, not prose, so both languages share it)."""
        lines = [
            f"name {self.name_score:.3f} [{self.transliteration}] "
            f"'{self.subject_name}' ~ '{self.matched_name}'"
        ]
        lines += [f"  {step}" for step in self.steps]
        lines += [f"  {m.query} = {m.candidate} ({m.similarity:.2f})" for m in self.tokens]
        if self.unmatched:
            lines.append("  unmatched: " + ", ".join(self.unmatched))
        lines += [f"{f.name} {f.effect:+.3f} {f.detail}" for f in self.features]
        return lines


def name_kind(subject_kind: str, entity_kind: str) -> str:
    """The kind whose name rules apply: the one both sides agree on, or the known one."""
    known = {k for k in (subject_kind, entity_kind) if k != "unknown"}
    return known.pop() if len(known) == 1 else "unknown"


def _identifier_key(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def _steps(result: NameResult) -> tuple[str, ...]:
    steps: list[str] = []
    for side, form in (("query", result.query_form), ("candidate", result.candidate_form)):
        if form is None or form.method == "latin":
            continue
        steps.append(f"{side}: {form.method} {' '.join(form.tokens)}")
        if form.method.startswith("ko-hanja") and form.original:
            spellings = " / ".join(hangul_spellings(form.original))
            steps.append(f"{form.original} → {spellings} (hanja)")
        if "words" in form.method and form.original:
            steps += glossary_steps(form.original)
    return tuple(steps)


def qualify(
    subject: Subject,
    entity: ListEntity,
    list_name: str,
    name_result: NameResult,
    matched_name: str,
    subject_name: str,
    config: ScreeningConfig,
) -> Match:
    """Apply qualifiers (identifiers, country, kind) to a name result."""
    score = name_result.score
    features: list[Feature] = []
    subject_ids = {_identifier_key(i) for i in subject.identifiers} - {""}
    entity_ids = {_identifier_key(i) for i in entity.identifiers} - {""}
    shared_ids = subject_ids & entity_ids
    subject_strong = strong_identifiers(subject.identifiers)
    entity_strong = strong_identifiers(entity.identifiers)
    decided = False
    for scheme in sorted(subject_strong.keys() & entity_strong.keys()):
        same = subject_strong[scheme] & entity_strong[scheme]
        if same:
            # A valid strong identifier in common decides, whatever the names say.
            raised = max(score, config.identifier_match_score)
            detail = f"{scheme} {', '.join(sorted(same))}"
            features.append(Feature("strong_identifier_match", raised - score, detail))
            score, decided = raised, True
            break
    if not decided:
        for scheme in sorted(subject_strong.keys() & entity_strong.keys()):
            detail = (
                f"{scheme} {', '.join(sorted(subject_strong[scheme]))} / "
                f"{', '.join(sorted(entity_strong[scheme]))}"
            )
            features.append(
                Feature("identifier_conflict", -config.identifier_conflict_penalty, detail)
            )
            score -= config.identifier_conflict_penalty
            break
    if shared_ids and not decided:
        raised = max(score, config.identifier_match_score)
        features.append(Feature("identifier_match", raised - score, ", ".join(sorted(shared_ids))))
        score = raised
    if subject.countries and entity.countries:
        shared = set(subject.countries) & set(entity.countries)
        if shared:
            features.append(
                Feature("country_match", config.country_match_bonus, ",".join(sorted(shared)))
            )
            score += config.country_match_bonus
        elif not shared_ids:
            detail = f"{','.join(subject.countries)} / {','.join(entity.countries)}"
            features.append(Feature("country_mismatch", -config.country_mismatch_penalty, detail))
            score -= config.country_mismatch_penalty
    known = {"person", "organisation", "vessel"}
    if subject.kind in known and entity.kind in known and subject.kind != entity.kind:
        features.append(
            Feature("kind_mismatch", -config.kind_mismatch_penalty, f"{subject.kind}/{entity.kind}")
        )
        score -= config.kind_mismatch_penalty
    return Match(
        steps=_steps(name_result),
        list_name=list_name,
        entity_id=entity.entity_id,
        entity_name=entity.name,
        matched_name=matched_name,
        subject_name=subject_name,
        score=round(min(1.0, max(0.0, score)), 4),
        name_score=round(name_result.score, 4),
        transliteration=name_result.transliteration,
        tokens=name_result.matched,
        unmatched=name_result.unmatched_query + name_result.unmatched_candidate,
        features=tuple(features),
    )


def score_entity(
    subject: Subject,
    entity: ListEntity,
    list_name: str,
    config: ScreeningConfig = DEFAULT_CONFIG,
    *,
    subject_forms: dict[str, tuple[NameForm, ...]] | None = None,
    entity_forms: dict[str, tuple[NameForm, ...]] | None = None,
) -> Match:
    """The best match over all names of the subject and all names of the entity."""
    best: tuple[NameResult, str, str] | None = None
    for s_name in subject.all_names():
        s_forms = (subject_forms or {}).get(s_name) or name_forms(s_name)
        for e_name in entity.all_names():
            e_forms = (entity_forms or {}).get(e_name) or name_forms(e_name)
            result = compare_forms(
                s_forms, e_forms, config.name, name_kind(subject.kind, entity.kind)
            )
            if best is None or result.score > best[0].score:
                best = (result, e_name, s_name)
    if best is None:
        best = (NameResult(0.0), entity.name, subject.name)
    return qualify(subject, entity, list_name, best[0], best[1], best[2], config)
