"""The register as arrays for the engines (the only module here that reads the ORM for them).

Sites, partners and countries resolve through the value chain: a holding's country is its
site's, a partner's country and name are its organisation's, "overseas" means outside the
countries of our own sites, and a partner's screening hits are those of ``org:<org_id>`` that
are open or confirmed. Countries of concern are the company's own list (the register's
``ConcernCountry`` rows and the ``countries_of_concern`` group of its reference file).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from econsec.technology import exposure as ex
from econsec.technology.assessed import assessed_controls
from econsec.technology.routes import matrix, route_index


@dataclass
class Compiled:
    tech_ids: list[str]
    names: dict[str, tuple[str, str]]  # tech_id → (ja, en)
    facts: ex.Facts
    routes: ex.Routes
    version: str
    unresolved: list[str] = field(default_factory=list)  # ids that no longer resolve


def concern_countries() -> set[str]:
    from econsec.technology.countries import group_countries
    from econsec.technology.models import ConcernCountry

    return set(ConcernCountry.objects.values_list("country", flat=True)) | group_countries()


def home_countries() -> set[str]:
    from econsec.valuechain.models import Site

    return set(
        Site.objects.filter(organisation__kind="self").values_list("country", flat=True).distinct()
    ) or {"JP"}


def flagged_orgs() -> set[str]:
    """Organisations with an open or confirmed screening hit."""
    from econsec.screening.models import Hit

    refs = Hit.objects.filter(
        subject_ref__startswith="org:", status__in=[Hit.OPEN, Hit.CONFIRMED]
    ).values_list("subject_ref", flat=True)
    return {ref[4:] for ref in refs}


def compile_register() -> Compiled:
    from econsec.technology import models as m
    from econsec.valuechain.models import Organisation, Site

    techs = list(m.Technology.objects.order_by("tech_id"))
    index = {t.pk: i for i, t in enumerate(techs)}
    concern, home, hits = concern_countries(), home_countries(), flagged_orgs()
    sites = {s: (n, c) for s, n, c in Site.objects.values_list("site_id", "name", "country")}
    unresolved: list[str] = []
    cols: dict[str, list[Any]] = {k: [] for k in ex.Facts.__dataclass_fields__ if k != "n_tech"}
    cols["exhibited"] = [t.exhibited for t in techs]
    digest = hashlib.sha256()

    def note(*row: Any) -> None:
        digest.update(json.dumps(row, default=str, ensure_ascii=False).encode("utf-8"))

    # The list changes the ratings, so it is part of the register's version.
    note("concern", sorted(concern), sorted(home))
    for t in techs:
        note("t", t.tech_id, t.exhibited, t.market, t.strategic, t.catch_up_years, t.damage)
    for h in m.Holding.objects.order_by("id"):
        label, country = h.label, h.country
        if h.site_id:
            if h.site_id in sites:
                site_name, country = sites[h.site_id]
                label = label or site_name
            else:
                unresolved.append(f"site:{h.site_id}")
        cols["hold_tech"].append(index[h.technology_id])
        cols["hold_kind"].append(ex.HOLDING_KINDS.index(h.kind))
        cols["hold_overseas"].append(bool(country) and country not in home)
        cols["hold_concern"].append(country in concern)
        cols["hold_label"].append(label)
        cols["hold_country"].append(country)
        note("h", h.technology_id, h.kind, h.site_id, label, country)
    for a in m.AccessGroup.objects.order_by("id"):
        cols["acc_tech"].append(index[a.technology_id])
        cols["acc_headcount"].append(a.headcount)
        cols["acc_key"].append(a.key_people)
        cols["acc_reason"].append(bool(a.need_to_know.strip()))
        cols["acc_label"].append(a.name)
        note("a", a.technology_id, a.name, a.headcount, a.key_people, bool(a.need_to_know))
    links = list(m.PartnerAccess.objects.order_by("id"))
    org_ids = sorted({p.org_id for p in links})
    orgs = {
        o: (n or e, e, c)
        for o, n, e, c in Organisation.objects.filter(org_id__in=org_ids).values_list(
            "org_id", "name", "name_en", "country"
        )
    }
    org_pos = {o: i for i, o in enumerate(org_ids)}
    for o in org_ids:
        name, _en, country = orgs.get(o, (o, "", ""))
        if o not in orgs:
            unresolved.append(f"org:{o}")
        cols["org_concern"].append(country in concern)
        cols["org_hit"].append(o in hits)
        cols["org_label"].append(name)
        cols["org_country"].append(country)
        note("o", o, country in concern, o in hits)
    for p in links:
        cols["pl_tech"].append(index[p.technology_id])
        cols["pl_org"].append(org_pos[p.org_id])
        cols["pl_role"].append(ex.PARTNER_ROLES.index(p.role))
        cols["pl_nda"].append(p.nda)
        cols["pl_exit"].append(p.exit_clause)
        note("p", p.technology_id, p.org_id, p.role, p.nda, p.exit_clause)
    routes = route_index()
    for c in m.Control.objects.order_by("id"):
        if c.route_id not in routes:
            unresolved.append(f"route:{c.route_id}")
            continue
        cols["ctl_tech"].append(index[c.technology_id] if c.technology_id else -1)
        cols["ctl_route"].append(routes[c.route_id])
        cols["ctl_status"].append(ex.CONTROL_STATUSES.index(c.status))
        cols["ctl_label"].append(c.description)
        note("c", c.route_id, c.technology_id, c.status)
    # The self-assessment's answers count as controls for every technology (their reason is
    # the answer, in both languages).
    for answer in assessed_controls():
        cols["ctl_tech"].append(-1)
        cols["ctl_route"].append(routes[answer.route_id])
        cols["ctl_status"].append(ex.CONTROL_STATUSES.index(answer.status))
        cols["ctl_label"].append(answer.label)
        note(*answer.key, answer.route_id)
    for inc in m.Incident.objects.prefetch_related("technologies").order_by("id"):
        for t in inc.technologies.all():
            for r in inc.routes:
                if r in routes:
                    cols["inc_tech"].append(index[t.pk])
                    cols["inc_route"].append(routes[r])
                    cols["inc_open"].append(inc.status != "remediated")
                    note("i", inc.code, t.pk, r, inc.status)
    facts = ex.Facts.build(len(techs), **cols)
    return Compiled(
        [t.tech_id for t in techs],
        {t.tech_id: (t.name_ja, t.name_en) for t in techs},
        facts,
        matrix(),
        digest.hexdigest(),
        sorted(set(unresolved)),
    )
