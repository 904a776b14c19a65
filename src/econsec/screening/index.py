"""A candidate index over listed entities: token and character-trigram blocking.

Built once per set of list versions; picklable (plain dicts and numpy arrays), so a process pool
or a Dask worker receives it once and screens many names. Retrieval keeps recall high for typos:
any shared trigram makes a name a candidate, ranked by how many trigrams it shares; the best
``max_candidates`` are scored in full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from econsec.screening.entity import ListEntity
from econsec.screening.identifiers import strong_identifiers
from econsec.screening.names import compare_forms, japanese_key
from econsec.screening.normalise import NameForm, name_forms
from econsec.screening.scoring import (
    DEFAULT_CONFIG,
    Match,
    ScreeningConfig,
    Subject,
    name_kind,
    qualify,
    score_entity,
)
from econsec.screening.transliterate import SKELETON_METHODS, skeleton


def _skeleton_grams(tokens: Iterable[str]) -> set[str]:
    # Marked with "#" so consonant skeletons only meet skeleton queries (Arabic, Hebrew).
    grams: set[str] = set()
    for token in tokens:
        padded = f"^{skeleton(token)}$"
        grams.update("#" + padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _grams(forms: Iterable[NameForm]) -> set[str]:
    grams: set[str] = set()
    for form in forms:
        if form.method in SKELETON_METHODS:
            grams |= _skeleton_grams(form.tokens)
            continue
        if form.method == "latin":
            grams |= _skeleton_grams(form.tokens)
        for token in form.tokens:
            variants = {token, japanese_key(token)} if form.method.startswith("ja") else {token}
            for word in variants:
                padded = f"^{word}$"
                if len(word) <= 2:
                    grams.add(padded)
                for i in range(len(padded) - 2):
                    grams.add(padded[i : i + 3])
    return grams


def _query_grams(forms: Iterable[NameForm]) -> set[str]:
    grams = _grams(forms)
    # Latin queries may be meeting romaji: add their Japanese sound-key grams too.
    for form in forms:
        if form.method in SKELETON_METHODS:
            continue
        for token in form.tokens:
            padded = f"^{japanese_key(token)}$"
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


@dataclass
class ScreeningIndex:
    """Entities of one or more lists with their name forms and the blocking postings."""

    entities: list[tuple[str, ListEntity]]  # (list name, entity)
    name_entity: npt.NDArray[np.int32]  # name row → entity position
    name_text: list[str]
    name_forms: list[tuple[NameForm, ...]]
    name_strings: list[tuple[str, ...]]  # each form's tokens joined by spaces (prefilter)
    postings: dict[str, npt.NDArray[np.int32]]
    max_df: int
    # "scheme:value" of each valid corporate number or LEI → entity positions, so a subject
    # whose identifier is listed is found whatever its name (identifiers.py).
    strong_ids: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, lists: Sequence[tuple[str, Sequence[ListEntity]]], *, max_df_share: float = 0.005
    ) -> ScreeningIndex:
        """Index every name and alias of every entity in ``lists`` ((list name, entities))."""
        entities: list[tuple[str, ListEntity]] = []
        name_entity: list[int] = []
        name_text: list[str] = []
        forms_out: list[tuple[NameForm, ...]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        strong_ids: dict[str, list[int]] = defaultdict(list)
        for list_name, items in lists:
            for entity in items:
                position = len(entities)
                entities.append((list_name, entity))
                for scheme, values in strong_identifiers(entity.identifiers).items():
                    for value in values:
                        strong_ids[f"{scheme}:{value}"].append(position)
                for name in entity.all_names():
                    forms = name_forms(name)
                    if not forms:
                        continue
                    row = len(name_text)
                    name_entity.append(position)
                    name_text.append(name)
                    forms_out.append(forms)
                    for gram in _grams(forms):
                        postings[gram].append(row)
        arrays = {g: np.asarray(rows, dtype=np.int32) for g, rows in postings.items()}
        max_df = max(50, int(max_df_share * max(1, len(name_text))))
        strings = [tuple(" ".join(f.tokens) for f in forms) for forms in forms_out]
        return cls(
            entities,
            np.asarray(name_entity, dtype=np.int32),
            name_text,
            forms_out,
            strings,
            arrays,
            max_df,
            dict(strong_ids),
        )

    def _prefilter(
        self, queries: list[str], rows: list[int], skeletal: bool, keep: int, floor: float
    ) -> list[int]:
        """The best ``keep`` rows by token-set ratio against any query form, if ≥ ``floor``.

        One ``cdist`` call scores every (query form, candidate form) pair in C.
        """
        if not rows:
            return rows
        flat: list[str] = []
        owner: list[int] = []
        for k, row in enumerate(rows):
            for text in self.name_strings[row]:
                flat.append(text)
                owner.append(k)
        if skeletal:
            flat = [" ".join(skeleton(t) for t in c.split()) for c in flat]
        scores = process.cdist(queries, flat, scorer=fuzz.token_set_ratio, dtype=np.float64)
        per_row = np.zeros(len(rows))
        np.maximum.at(per_row, np.asarray(owner), scores.max(axis=0))
        best = np.argsort(-per_row, kind="stable")[:keep]
        return [rows[int(i)] for i in best if per_row[i] >= floor]

    def __len__(self) -> int:
        return len(self.entities)

    def candidates(self, forms: Sequence[NameForm], limit: int) -> list[int]:
        """Name rows sharing the most trigrams with ``forms`` (frequent trigrams ignored)."""
        lists = []
        for gram in _query_grams(forms):
            rows = self.postings.get(gram)
            if rows is not None and len(rows) <= self.max_df:
                lists.append(rows)
        if not lists:
            return []
        rows, counts = np.unique(np.concatenate(lists), return_counts=True)
        if len(rows) > limit:
            keep = np.argpartition(-counts, limit - 1)[:limit]
            rows, counts = rows[keep], counts[keep]
        order = np.argsort(-counts, kind="stable")
        return [int(r) for r in rows[order]]

    def screen(
        self,
        subject: Subject,
        config: ScreeningConfig = DEFAULT_CONFIG,
        *,
        max_candidates: int = 25,
        all_above: float | None = None,
        prefilter_floor: float = 60.0,
        max_aligned: int = 6,
    ) -> list[Match]:
        """Matches for ``subject`` at or above each list's threshold, best first.

        ``all_above`` overrides the thresholds (e.g. 0.0 to see the near misses too).
        """
        best: dict[int, Match] = {}
        floor = all_above
        lowest = min([config.threshold, *(t for _, t in config.list_thresholds)])
        # Qualifiers can add at most the country bonus, unless identifiers may match.
        name_floor = 0.0 if floor is not None or subject.identifiers else lowest - 0.05
        for s_name in subject.all_names():
            s_forms = name_forms(s_name)
            if not s_forms:
                continue
            q_strings = [" ".join(f.tokens) for f in s_forms]
            skeletal = any(f.method in SKELETON_METHODS for f in s_forms)
            rows = self.candidates(s_forms, max_candidates)
            if name_floor > 0:
                # A cheap C-level token-set ratio ranks the candidates and weeds out most of
                # them before the alignment; it is generous (rarely below the alignment score
                # of a true match), and only the best ``max_aligned`` are aligned.
                rows = self._prefilter(q_strings, rows, skeletal, max_aligned, prefilter_floor)
            for row in rows:
                position = int(self.name_entity[row])
                list_name, entity = self.entities[position]
                kind = name_kind(subject.kind, entity.kind)
                result = compare_forms(s_forms, self.name_forms[row], config.name, kind)
                if result.score < name_floor:
                    continue
                match = qualify(
                    subject, entity, list_name, result, self.name_text[row], s_name, config
                )
                current = best.get(position)
                if current is None or match.score > current.score:
                    best[position] = match
        for scheme, values in strong_identifiers(subject.identifiers).items():
            for value in values:
                for position in self.strong_ids.get(f"{scheme}:{value}", []):
                    if position not in best:
                        list_name, entity = self.entities[position]
                        best[position] = score_entity(subject, entity, list_name, config)
        out = [
            m
            for m in best.values()
            if m.score >= (config.threshold_for(m.list_name) if floor is None else floor)
        ]
        out.sort(key=lambda m: (-m.score, m.list_name, m.entity_id))
        return out
