"""A generated questionnaire, filled from a known sub-tier network, merges back to exactly it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from econsec.survey.campaigns import brief, load_chain
from econsec.survey.merge import merge, preview
from econsec.survey.models import Provenance, Request
from econsec.survey.questionnaire import fill
from econsec.survey.returns import receive
from econsec.valuechain.store_io import read_tables
from tests.survey.filler import fill_workbook

# What Korea Supplier (K1) knows and we do not: the raw material R of its component C comes
# 60/40 from two sites, one of a company we know (China Supplier, Baotou) and one we do not.
K1_SOURCES = [
    {"item_id": "C", "your_site_id": "K1", "input_item_id": "R", "source_company": "China Supplier",
     "source_company_country": "CN", "source_site": "Baotou", "source_site_country": "CN",
     "share": 0.6, "sourcing": "multi", "lead_time_days": 30},
    {"item_id": "C", "your_site_id": "K1", "input_item_id": "R",
     "source_company": "Pohang Rare Metals", "source_company_country": "KR",
     "source_site": "Pohang Works", "source_site_country": "KR", "source_region": "Gyeongbuk",
     "share": 0.4, "sourcing": "multi", "lead_time_days": 12},
]  # fmt: skip


def test_selection_picks_the_tier_one_suppliers(campaign: Any) -> None:
    orgs = sorted(campaign.requests.values_list("org_id", "language"))
    # TWS, KRS and CNS all ship to our plant J1; CNS also ships R to TWS (tier 2 there).
    assert orgs == [("CNS", "zh"), ("KRS", "en"), ("TWS", "zh")]


def test_round_trip_merges_exactly_the_stated_network(campaign: Any, tmp_path: Path) -> None:
    request = campaign.requests.get(org_id="KRS")
    data = fill(brief(request, load_chain()))
    returned = fill_workbook(data, tmp_path / "k.xlsx", sources=K1_SOURCES,
                             continuity=[{"site_id": "K1", "recovery_weeks": 9,
                                          "inventory_cover_weeks": 3, "bcp_in_place": "yes"}])  # fmt: skip
    answer = receive(request, returned, via="test")
    assert answer.ok, answer.errors
    plan = preview(campaign)
    assert plan.counts() == {"new_org": 1, "new_site": 1, "new_link": 2, "new_recovery": 1}
    assert not plan.conflicts
    merge(campaign)
    tables = read_tables()
    into_k1 = sorted(
        (r["supplier_site_id"], r["item_id"], r["share"], r["lead_time_days"])
        for r in tables["supply_links"] if r["receiving_site_id"] == "K1"
    )  # fmt: skip
    sites = {r["site_id"]: r for r in tables["sites"]}
    orgs = {r["org_id"]: r for r in tables["organisations"]}
    stated = sorted(
        ((orgs[sites[s]["org_id"]]["name"], sites[s]["name"], sites[s]["country"]), i, share, lt)
        for s, i, share, lt in into_k1
    )  # fmt: skip
    assert stated == [
        (("China Supplier", "Baotou", "CN"), "R", 0.6, 30.0),
        (("Pohang Rare Metals", "Pohang Works", "KR"), "R", 0.4, 12.0),
    ]
    assert {r["site_id"]: r["ttr_weeks"] for r in tables["recovery"]}["K1"] == 9.0
    # Every merged row names who said it.
    said = set(Provenance.objects.values_list("org_id", "sheet"))
    assert said == {("KRS", "organisations"), ("KRS", "sites"), ("KRS", "supply_links"),
                    ("KRS", "recovery")}  # fmt: skip
    assert campaign.requests.get(org_id="KRS").status == Request.Status.MERGED
    # Merging the same answers again changes nothing.
    assert preview(campaign, []).changes == []
