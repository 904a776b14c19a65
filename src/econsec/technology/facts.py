"""One fact at a time instead of re-importing the whole workbook. About a technology (from its
page): where it is held, who has access (a group, its headcount and need-to-know reason), which
partners have access and its own controls on leakage routes. About an item we sell (from the
indispensability page): its market share in a year, with the source, and its customers.
(Controls for every technology stay with the workbook.)

A form field is checked by the workbook importer's own converter (:func:`workbook.convert`)
and against the value chain the way the importer's cross-check does, so a refusal reads like
the import's: "Field 'headcount' (value 'many'): expected a whole number of 0 or more." in the
user's language. Every problem of the form is reported together and nothing is written unless
all fields pass. The audit trail names the technology and the fact by database id and lists
the changed fields, never their values (it is read without need-to-know).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction

from econsec import trail
from econsec.characters import unwanted
from econsec.i18n import t
from econsec.technology import models as m
from econsec.technology import workbook
from econsec.technology.errors import TechnologyError
from econsec.technology.routes import load_routes
from econsec.technology.workbook import SHEETS, Column, convert

__all__ = [
    "ITEM_KINDS",
    "KINDS",
    "FactProblems",
    "FieldProblem",
    "Kind",
    "add",
    "change",
    "check",
    "convert",
    "find",
    "kind_of",
    "remove",
]


@dataclass(frozen=True)
class Kind:
    """A kind of fact: its name in URLs and audit events, its workbook sheet and its model."""

    name: str  # holding, access, partner, control; market_share, customer
    sheet: str  # the workbook sheet with the same columns
    model: type[models.Model]
    identifiers: tuple[str, ...] = ()  # value-chain ids: no joiners or format characters
    per_technology: bool = True  # else about an item (no technology)

    @property
    def columns(self) -> tuple[Column, ...]:
        # The route column's choices are the shipped routes (as the importer fills them in).
        return tuple(
            Column("route_id", "choice", True, tuple(r.id for r in load_routes()))
            if c.key == "route_id"
            else c
            for c in SHEETS[self.sheet]
            if c.key != "tech_id"
        )


KINDS: dict[str, Kind] = {
    "holding": Kind("holding", "holdings", m.Holding, ("site_id",)),
    "access": Kind("access", "access", m.AccessGroup),
    "partner": Kind("partner", "partners", m.PartnerAccess, ("org_id",)),
    "control": Kind("control", "controls", m.Control, ("route_id",)),
}
ITEM_KINDS: dict[str, Kind] = {
    "market_share": Kind("market_share", "market_shares", m.MarketShare, ("item_id",), False),
    "customer": Kind("customer", "customers", m.CustomerTie, ("item_id", "customer"), False),
}
TEXT_LIMIT = 10_000  # free text held in a TextField


@dataclass(frozen=True)
class FieldProblem:
    """One refused form field: which, the value given, and why (an import message key)."""

    field: str
    value: str
    key: str
    params: dict[str, Any]

    def message(self, lang: str | None = None) -> str:
        where = t("technology.facts.where", lang, field=self.field, value=self.value[:80])
        return where + t(self.key, lang, **self.params)


class FactProblems(Exception):
    """Every problem of one form; nothing was written."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")

    def messages(self, lang: str | None = None) -> list[str]:
        return [p.message(lang) for p in self.problems]


def kind_of(name: str) -> Kind:
    found = KINDS.get(name) or ITEM_KINDS.get(name)
    if found is None:
        raise TechnologyError("technology.facts.no_kind", kind=name[:40])
    return found


def _limit(kind: Kind, field: str) -> int:
    model_field = kind.model._meta.get_field(field)
    return getattr(model_field, "max_length", None) or TEXT_LIMIT


def check(kind: Kind, form: Mapping[str, Any], *, fact_id: int | None = None) -> dict[str, Any]:
    """The form's fields as stored; raises :class:`FactProblems` with every problem found
    (``fact_id``: the fact being changed, which may keep its own key)."""
    from econsec.valuechain.models import Item, Organisation, Site

    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for column in kind.columns:
        raw = form.get(column.key)
        text = "" if raw is None else str(raw)
        found = unwanted(text, identifier=column.key in kind.identifiers)
        if found is not None:
            problems.append(FieldProblem(column.key, text, "technology.facts.bad_char",
                                         {"position": found[0], "char": found[1]}))  # fmt: skip
            continue
        if column.kind in ("text", "choice") and len(text.strip()) > _limit(kind, column.key):
            problems.append(FieldProblem(column.key, text, "technology.facts.too_long",
                                         {"limit": _limit(kind, column.key)}))  # fmt: skip
            continue
        bad: list[tuple[str, dict[str, Any]]] = []
        values[column.key] = convert(column, text, bad)
        problems += [FieldProblem(column.key, text, key, params) for key, params in bad]
    if kind.name == "holding" and "kind" in values:
        site_id, label = values.get("site_id", ""), values.get("label", "")
        if site_id and not Site.objects.filter(site_id=site_id).exists():
            problems.append(FieldProblem("site_id", site_id, "technology.xlsx.unknown_site", {}))
        if values["kind"] == "site" and not site_id and "site_id" in values:
            problems.append(FieldProblem("site_id", "", "technology.xlsx.site_needed", {}))
        if values["kind"] != "site" and not label and "label" in values:
            problems.append(FieldProblem("label", "", "technology.xlsx.required", {}))
    org_field = {"partner": "org_id", "customer": "customer"}.get(kind.name, "")
    org_id = values.get(org_field, "") if org_field else ""
    if org_id and not Organisation.objects.filter(org_id=org_id).exists():
        problems.append(FieldProblem(org_field, org_id, "technology.xlsx.unknown_org", {}))
    item_id = values.get("item_id", "")
    if item_id and not Item.objects.filter(item_id=item_id).exists():
        problems.append(FieldProblem("item_id", item_id, "technology.xlsx.unknown_item", {}))
    year = values.get("year")
    if kind.name == "market_share" and year is not None and not workbook.year_ok(year):
        problems.append(FieldProblem("year", str(year), "technology.xlsx.year", {}))
    if kind.name == "market_share" and item_id and values.get("year") is not None:
        taken = m.MarketShare.objects.filter(item_id=item_id, year=values["year"])
        if taken.exclude(pk=fact_id or 0).exists():
            problems.append(FieldProblem("year", str(values["year"]),
                                         "technology.facts.share_taken", {"item": item_id}))  # fmt: skip
    if problems:
        raise FactProblems(problems)
    return values


@contextmanager
def _share_race(kind: Kind, values: dict[str, Any]) -> Iterator[None]:
    """Another writer took the item's year between the check and the write: the same answer
    as when the check sees it."""
    try:
        yield
    except IntegrityError as exc:
        if kind.name != "market_share":
            raise
        raise FactProblems([FieldProblem("year", str(values.get("year")),
                                         "technology.facts.share_taken",
                                         {"item": values.get("item_id", "")})]) from exc  # fmt: skip


def _owned(tech: m.Technology | None, kind: Kind) -> dict[str, Any]:
    return {"technology": tech} if kind.per_technology else {}


def find(tech: m.Technology | None, kind: Kind, fact_id: int) -> Any:
    """The fact ``fact_id`` of this technology (a fact of another is not found either); for an
    item's fact ``tech`` is None."""
    rows = kind.model.objects.filter(**_owned(tech, kind))  # type: ignore[attr-defined]
    found = rows.filter(pk=fact_id).first() if 0 < fact_id < 2**63 else None
    if found is None:
        raise TechnologyError("technology.facts.no_fact", id=fact_id)
    return found


def _record(
    action: str, tech: m.Technology | None, kind: Kind, fact: Any, actor: str, **detail: Any
) -> None:
    ref = f"technology:{tech.pk}" if tech is not None else f"{kind.name}:{fact.pk}"
    trail.record(f"technology.{kind.name}.{action}", ref, actor=actor, fact=fact.pk, **detail)


def add(tech: m.Technology | None, kind: Kind, form: Mapping[str, Any], *, actor: str) -> Any:
    """Add a fact from the form's fields (all checked first; nothing written on a problem)."""
    values = check(kind, form)
    with _share_race(kind, values), transaction.atomic():
        fact = kind.model.objects.create(**_owned(tech, kind), **values)  # type: ignore[attr-defined]
        _record("added", tech, kind, fact, actor, fields=sorted(values))
    return fact


def change(
    tech: m.Technology | None, kind: Kind, fact_id: int, form: Mapping[str, Any], *, actor: str
) -> list[str]:
    """Set the fact's fields to the form's; the names of the fields that changed."""
    fact = find(tech, kind, fact_id)
    values = check(kind, form, fact_id=fact.pk)
    changed = sorted(k for k, v in values.items() if getattr(fact, k) != v)
    if changed:
        with _share_race(kind, values), transaction.atomic():
            for key in changed:
                setattr(fact, key, values[key])
            fact.save(update_fields=changed)
            _record("changed", tech, kind, fact, actor, fields=changed)
    return changed


def remove(tech: m.Technology | None, kind: Kind, fact_id: int, *, actor: str) -> None:
    fact = find(tech, kind, fact_id)
    with transaction.atomic():
        _record("removed", tech, kind, fact, actor)
        fact.delete()
