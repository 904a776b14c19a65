"""Campaigns in the store: choosing suppliers, upload tokens, and each supplier's brief."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec.survey import layout as lay
from econsec.survey.answers import Expect
from econsec.survey.models import Answer, Campaign, Request
from econsec.survey.questionnaire import SupplierBrief

CHINESE = frozenset({"CN", "TW", "HK", "MO"})


@dataclass(frozen=True)
class Selection:
    """Which suppliers a campaign asks: all given filters must hold (an empty one: any)."""

    tiers: tuple[int, ...] = (1,)
    tags: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    min_spend: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"tiers": list(self.tiers), "tags": list(self.tags),
                "countries": list(self.countries), "min_spend": self.min_spend}  # fmt: skip


def language_for(country: str) -> str:
    if country == "JP":
        return "ja"
    return "zh" if country in CHINESE else "en"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def select(selection: Selection) -> list[dict[str, Any]]:
    """The supplier organisations ``selection`` picks: org id, name, country, tier, spend."""
    from econsec.valuechain.store_io import compile_store

    chain = compile_store()
    tier_of: dict[int, int] = {}
    for site, tier in enumerate(chain.site_tier.tolist()):
        if tier > 0:
            org = int(chain.site_org[site])
            tier_of[org] = min(tier_of.get(org, tier), tier)
    spend: dict[int, float] = defaultdict(float)
    tags: dict[int, set[str]] = defaultdict(set)
    for link in range(chain.n_links):
        if chain.link_internal[link]:
            continue
        node = int(chain.link_src[link])
        org = int(chain.site_org[chain.node_site[node]])
        value = float(chain.link_value[link])
        spend[org] += value if value == value else 0.0
        item = int(chain.node_item[node])
        tags[org].update(chain.item_critical_tags[item], chain.item_mineral_tags[item])
    supplier = 1  # ORG_KINDS index of "supplier"
    out = []
    for org, tier in sorted(tier_of.items()):
        country = chain.countries[chain.org_country[org]]
        if int(chain.org_kind[org]) != supplier:
            continue
        if selection.tiers and tier not in selection.tiers:
            continue
        if selection.countries and country not in selection.countries:
            continue
        if selection.tags and not tags[org] & set(selection.tags):
            continue
        if spend[org] < selection.min_spend:
            continue
        out.append({"org_id": chain.org_ids[org], "name": chain.org_names[org],
                    "country": country, "tier": tier, "spend": spend[org]})  # fmt: skip
    return out


def create(
    name: str,
    year: int,
    selection: Selection,
    *,
    language: str | None = None,
    token_days: int = 60,
    created_by: str = "",
    only: set[str] | None = None,
    emails: dict[str, str] | None = None,
) -> Campaign:
    """A campaign asking every supplier ``selection`` picks (in its language unless given);
    ``only``: of those, just these org ids; ``emails``: addresses given now (else last year's)."""
    chosen = [s for s in select(selection) if only is None or s["org_id"] in only]
    emails = {**earlier_emails(), **(emails or {})}
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name[:200], year=year, selection=selection.as_json(),
            created_at=timezone.now(), created_by=created_by[:150], token_days=token_days,
        )  # fmt: skip
        expires = timezone.now() + dt.timedelta(days=token_days)
        Request.objects.bulk_create(
            Request(campaign=campaign, org_id=s["org_id"], org_name=s["name"][:500],
                    tier=s["tier"], language=language or language_for(s["country"]),
                    email=emails.get(s["org_id"], ""),
                    token_sha256=token_hash(secrets.token_urlsafe(32)), expires_at=expires)
            for s in chosen
        )  # fmt: skip
    return campaign


def earlier_emails() -> dict[str, str]:
    """Each supplier's contact address from its latest valid answer (the first one given)."""
    found: dict[str, str] = {}
    for answer in (
        Answer.objects.select_related("request").filter(ok=True).order_by("received_at", "id")
    ):
        for contact in answer.rows.get(lay.CONTACTS, []):
            if contact.get("email"):
                found[answer.request.org_id] = str(contact["email"])[:254]
                break
    return found


def issue_tokens(campaign: Campaign, org_ids: list[str] | None = None) -> dict[str, str]:
    """New upload tokens (the old ones stop working), org id → token; shown once, kept hashed."""
    expires = timezone.now() + dt.timedelta(days=campaign.token_days)
    requests = campaign.requests.all()
    if org_ids is not None:
        requests = requests.filter(org_id__in=org_ids)
    out: dict[str, str] = {}
    changed = []
    for request in requests:
        token = secrets.token_urlsafe(32)
        request.token_sha256, request.expires_at = token_hash(token), expires
        changed.append(request)
        out[request.org_id] = token
    Request.objects.bulk_update(changed, ["token_sha256", "expires_at"], batch_size=500)
    return out


def find_by_token(token: str) -> Request | None:
    """The request whose upload token is ``token``, if any (expired ones too: the page says so)."""
    if not token or len(token) > 100:
        return None
    return Request.objects.select_related("campaign").filter(token_sha256=token_hash(token)).first()


# ---- briefs ---------------------------------------------------------------------------------


@dataclass
class _Chain:
    """The stored tables a campaign's briefs are cut from, indexed once."""

    tables: dict[str, list[dict[str, Any]]]

    def __post_init__(self) -> None:
        t = self.tables
        self.orgs = {r["org_id"]: r for r in t["organisations"]}
        self.sites = {r["site_id"]: r for r in t["sites"]}
        self.items = {r["item_id"]: r for r in t["items"]}
        self.sites_of: dict[str, list[str]] = defaultdict(list)
        for r in t["sites"]:
            self.sites_of[r["org_id"]].append(r["site_id"])
        self.out_links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.in_links: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in t["supply_links"]:
            self.out_links[r["supplier_site_id"]].append(r)
            self.in_links[(r["receiving_site_id"], r["item_id"])].append(r)
        self.children: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for r in t["bom"]:
            self.children[r["parent_item_id"]].append((r["child_item_id"], r["quantity_per_unit"]))
        self.recovery = {r["site_id"]: r for r in t["recovery"]}


def load_chain() -> _Chain:
    from econsec.valuechain.store_io import read_tables

    return _Chain(read_tables(["organisations", "sites", "items", "bom", "supply_links",
                               "recovery"]))  # fmt: skip


def brief(request: Request, chain: _Chain, last: Answer | None = None) -> SupplierBrief:
    """What ``request``'s workbook holds: the supplier's own sites, what they ship, the inputs
    of those items with the sources we know (or last year's answers), continuity, contacts."""
    supplied, sources, continuity = [], [], []
    seen: set[tuple[str, str]] = set()
    for site_id in sorted(chain.sites_of.get(request.org_id, [])):
        site = chain.sites[site_id]
        for link in sorted(chain.out_links.get(site_id, []), key=lambda r: (r["item_id"],
                                                                             r["receiving_site_id"])):  # fmt: skip
            item = chain.items[link["item_id"]]
            supplied.append({"item_id": item["item_id"], "item_name": item["name"],
                             "your_site_id": site_id, "your_site_name": site["name"],
                             "your_site_country": site["country"],
                             "our_site_id": link["receiving_site_id"]})  # fmt: skip
            if (site_id, item["item_id"]) in seen:
                continue
            seen.add((site_id, item["item_id"]))
            for child, qty in sorted(chain.children.get(item["item_id"], [])):
                # Qualified sources only: their shares add up to 1, which the answer must keep.
                known = [r for r in chain.in_links.get((site_id, child), []) if r["qualified"]]
                base = {"item_id": item["item_id"], "your_site_id": site_id,
                        "input_item_id": child, "input_name": chain.items[child]["name"],
                        "quantity_per_unit": qty}  # fmt: skip
                if not known:
                    sources.append(base)
                for src in known:
                    src_site = chain.sites[src["supplier_site_id"]]
                    src_org = chain.orgs[src_site["org_id"]]
                    sources.append({**base, "source_company": src_org["name"],
                                    "source_company_country": src_org["country"],
                                    "source_site": src_site["name"],
                                    "source_site_country": src_site["country"],
                                    "source_region": src_site.get("region"),
                                    "share": src["share"],
                                    "sourcing": "single" if len(known) == 1 else "multi",
                                    "lead_time_days": src.get("lead_time_days")})  # fmt: skip
        recovery = chain.recovery.get(site_id) or {}
        continuity.append({"site_id": site_id, "recovery_weeks": recovery.get("ttr_weeks"),
                           "alternate_bringup_weeks": recovery.get("alternate_bringup_weeks")})  # fmt: skip
    contacts: list[dict[str, Any]] = []
    if last is not None:  # last time's answers where the store does not hold them
        contacts = list(last.rows.get(lay.CONTACTS, []))
        said = {r["site_id"]: r for r in last.rows.get(lay.CONTINUITY, [])}
        for row in continuity:
            before = said.get(row["site_id"], {})
            row["inventory_cover_weeks"] = before.get("inventory_cover_weeks")
            row["bcp_in_place"] = before.get("bcp_in_place")
    due = request.expires_at.date().isoformat()
    return SupplierBrief(request.campaign_id, request.org_id, request.org_name, request.language,
                         due, supplied, sources, continuity, contacts)  # fmt: skip


def expectation(request: Request, chain: _Chain) -> Expect:
    """What ``request``'s returned workbook may name."""
    sites = frozenset(chain.sites_of.get(request.org_id, []))
    items = frozenset(r["item_id"] for s in sites for r in chain.out_links.get(s, []))
    inputs = frozenset(c for i in items for c, _ in chain.children.get(i, []))
    return Expect(request.campaign_id, request.org_id, items, sites, inputs)
