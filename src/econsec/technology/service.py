"""What the CLI, the pages and the API do with the register: rate, compute exposure, explain,
store runs, run the incident workflow, and grant need-to-know.

Audit records name a technology by its database id only ("technology:<pk>"): the audit trail is
readable by auditors who may not hold need-to-know.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from econsec import trail
from econsec.characters import unwanted
from econsec.i18n import t
from econsec.technology import exposure as ex
from econsec.technology.compile import Compiled, compile_register
from econsec.technology.errors import TechnologyError
from econsec.technology.importance import Importance, importance
from econsec.technology.models import (
    INCIDENT_STATUSES,
    ExposureRun,
    Incident,
    IncidentEvent,
    IncidentEvidence,
    Technology,
)
from econsec.technology.routes import load_routes

PERMISSION = "technology.need_to_know"


def may_see(user: Any) -> bool:
    """Whether ``user`` holds need-to-know (superusers do; roles alone do not)."""
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


def grant(username: str, *, allow: bool, actor: str = "") -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TechnologyError("technology.grant.no_user", user=username)
    perm = Permission.objects.get(codename="need_to_know", content_type__app_label="technology")
    if allow:
        user.user_permissions.add(perm)
    else:
        user.user_permissions.remove(perm)
    trail.record("technology.need_to_know." + ("granted" if allow else "revoked"),
                 f"user:{username}", actor=actor)  # fmt: skip


# ------------------------------------------------------------------------- rendering


def render(reason: ex.Reason, lang: str) -> str:
    params = {}
    for key, value in reason.params.items():
        if isinstance(value, dict):  # a text given in both languages
            value = value.get(lang) or value.get("en") or ""
        if isinstance(value, float) and key in ("share", "before", "now"):
            params[key] = f"{value * 100:.0f}%"
        elif isinstance(value, float):
            params[key] = f"{value:g}"
        else:
            params[key] = "—" if value in (None, "") else value
    return t(reason.key, lang, **params)


def tech_name(tech: Technology, lang: str) -> str:
    return tech.name_ja if lang == "ja" else tech.name_en


# ------------------------------------------------------------------------- importance


def critical_tags(tech: Technology) -> list[str]:
    from econsec.valuechain.models import Item

    tags: list[str] = []
    for row in Item.objects.filter(item_id__in=tech.items).values_list("critical_tags", flat=True):
        tags += list(row or [])
    return tags


def rate(tech: Technology) -> Importance:
    return importance(tech.market, tech.strategic, tech.catch_up_years, tech.damage,
                      critical_tags(tech))  # fmt: skip


# --------------------------------------------------------------------------- exposure


@dataclass
class Matrix:
    compiled: Compiled
    result: ex.Exposure
    explainer: ex.Explainer

    def reasons(self, tech_id: str, route_id: str, lang: str) -> list[str]:
        t_i = self.compiled.tech_ids.index(tech_id)
        r_i = self.compiled.routes.ids.index(route_id)
        return [render(r, lang) for r in self.explainer.cell_reasons(t_i, r_i)]

    def row(self, tech_id: str) -> list[tuple[str, float, str]]:
        t_i = self.compiled.tech_ids.index(tech_id)
        return [
            (rid, float(self.result.score[t_i, j]), ex.LEVELS[int(self.result.level[t_i, j])])
            for j, rid in enumerate(self.compiled.routes.ids)
        ]

    def counts(self) -> dict[str, int]:
        levels = self.result.level.ravel()
        return {name: int((levels == i).sum()) for i, name in enumerate(ex.LEVELS)}


def compute() -> Matrix:
    compiled = compile_register()
    result = ex.exposure(compiled.facts, compiled.routes)
    return Matrix(compiled, result, ex.Explainer(compiled.facts, compiled.routes, result))


def store_run(matrix: Matrix) -> ExposureRun:
    """Store the matrix once per register version (the assessment cites the stored run)."""
    found = ExposureRun.objects.filter(register_version=matrix.compiled.version).first()
    if found is not None:
        return found
    res, comp = matrix.result, matrix.compiled
    cells = [
        [
            comp.tech_ids[i],
            comp.routes.ids[j],
            round(float(res.score[i, j]), 4),
            int(res.level[i, j]),
        ]
        for i, j in zip(*res.level.nonzero(), strict=True)
    ]
    summary = {"technologies": len(comp.tech_ids), "routes": len(comp.routes.ids),
               "levels": matrix.counts(), "gaps": len(res.gaps())}  # fmt: skip
    return ExposureRun.objects.create(computed_at=timezone.now(), register_version=comp.version,
                                      summary=summary, cells=cells)  # fmt: skip


def route_label(route_id: str, lang: str) -> str:
    for route in load_routes():
        if route.id == route_id:
            return route.label(lang)
    return route_id


# --------------------------------------------------------------------------- incidents


def open_incident(code: str, title: str, detected_on: Any, tech_ids: list[str],
                  route_ids: list[str], *, actor: str, description: str = "") -> Incident:  # fmt: skip
    code = code.strip()
    if not code or not title.strip():
        raise TechnologyError("technology.incident.required")
    for field, value, limit in (("code", code, 40), ("title", title, 300)):
        found = unwanted(value, identifier=field == "code")
        if found is not None:
            raise TechnologyError("technology.api.bad_char", field=field, position=found[0],
                                  char=found[1])  # fmt: skip
        if len(value) > limit:
            raise TechnologyError("technology.api.bad_field", field=field, value=value[:80],
                                  expected=f"≤ {limit}")  # fmt: skip
    if Incident.objects.filter(code=code).exists():
        raise TechnologyError("technology.incident.exists", code=code)
    known = {r.id for r in load_routes()}
    for r in route_ids:
        if r not in known:
            raise TechnologyError("technology.unknown_route", route=r)
    techs = list(Technology.objects.filter(tech_id__in=tech_ids))
    missing = sorted(set(tech_ids) - {x.tech_id for x in techs})
    if missing:
        raise TechnologyError("technology.unknown_tech", tech=", ".join(missing))
    with transaction.atomic():
        incident = Incident.objects.create(code=code, title=title.strip(), description=description,
                                           detected_on=detected_on, routes=route_ids)  # fmt: skip
        incident.technologies.set(techs)
        IncidentEvent.objects.create(incident=incident, at=timezone.now(), status="detected",
                                     actor=actor, note=description)  # fmt: skip
        trail.record("technology.incident.detected", f"incident:{incident.pk}", actor=actor)
    return incident


def advance(incident: Incident, status: str, *, actor: str, note: str = "") -> Incident:
    """Move the response on: only forward, one step or more (a step may be skipped only with a
    note saying why)."""
    if status not in INCIDENT_STATUSES:
        raise TechnologyError("technology.incident.bad_status", status=status,
                              known=", ".join(INCIDENT_STATUSES))  # fmt: skip
    now, to = INCIDENT_STATUSES.index(incident.status), INCIDENT_STATUSES.index(status)
    if to <= now:
        raise TechnologyError("technology.incident.backwards", now=incident.status, to=status)
    if to > now + 1 and not note.strip():
        raise TechnologyError("technology.incident.skip_needs_note", now=incident.status, to=status)
    with transaction.atomic():
        incident.status = status
        incident.save(update_fields=["status"])
        IncidentEvent.objects.create(incident=incident, at=timezone.now(), status=status,
                                     actor=actor, note=note)  # fmt: skip
        # The note stays in the incident's own timeline (need-to-know): it may name the
        # technology, and the audit trail is read by auditors without need-to-know.
        trail.record(f"technology.incident.{status}", f"incident:{incident.pk}", actor=actor,
                     noted=bool(note.strip()))  # fmt: skip
    return incident


def add_note(incident: Incident, note: str, *, actor: str) -> IncidentEvent:
    """A progress update that does not change the status (it joins the timeline)."""
    if not note.strip():
        raise TechnologyError("technology.incident.note_required")
    with transaction.atomic():
        event = IncidentEvent.objects.create(incident=incident, at=timezone.now(),
                                             status=incident.status, actor=actor, note=note)  # fmt: skip
        trail.record("technology.incident.note", f"incident:{incident.pk}", actor=actor)
    return event


def add_evidence(
    incident: Incident, name: str, stream: BinaryIO, *, actor: str, description: str = ""
) -> IncidentEvidence:
    """Keep an evidence file by its hash (see :mod:`econsec.technology.evidence`)."""
    from econsec.technology import evidence

    return evidence.add(incident, name, stream, actor=actor, description=description)
