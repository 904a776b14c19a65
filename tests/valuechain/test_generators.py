"""The demo company and the synthetic network generator: validity, size, shape, weak points.

Tiers, volumes and sourcing are recomputed here from the raw tables (breadth-first search over
supply links, hand-worked bill-of-materials arithmetic), independently of the generators.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter, defaultdict, deque
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec.valuechain.generators import demo_company
from econsec.valuechain.generators.synthetic import generate_network
from econsec.valuechain.intake import validate_source, validate_tables

Tables = dict[str, list[dict[str, Any]]]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo-company.xlsx"


def _canonical(tables: Tables) -> str:
    return hashlib.sha256(
        json.dumps(tables, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _own_sites(tables: Tables) -> set[str]:
    own_orgs = {o["org_id"] for o in tables["organisations"] if o["kind"] == "self"}
    return {s["site_id"] for s in tables["sites"] if s["org_id"] in own_orgs}


def _tiers(tables: Tables) -> dict[str, int]:
    """Supplier tier of every reachable site: BFS from our own sites against the flow."""
    suppliers_of: dict[str, set[str]] = defaultdict(set)
    for link in tables["supply_links"]:
        suppliers_of[link["receiving_site_id"]].add(link["supplier_site_id"])
    tier = dict.fromkeys(_own_sites(tables), 0)
    queue = deque(tier)
    while queue:
        site = queue.popleft()
        for supplier in suppliers_of[site]:
            if supplier not in tier:
                tier[supplier] = tier[site] + 1
                queue.append(supplier)
    return tier


def _supplier_sites(tables: Tables) -> list[dict[str, Any]]:
    kinds = {o["org_id"]: o["kind"] for o in tables["organisations"]}
    return [s for s in tables["sites"] if kinds[s["org_id"]] == "supplier"]


def _qualified_sources(tables: Tables, item: str, receiver: str) -> list[dict[str, Any]]:
    return [
        link
        for link in tables["supply_links"]
        if link["item_id"] == item and link["receiving_site_id"] == receiver and link["qualified"]
    ]


@pytest.fixture(scope="module")
def demo() -> Tables:
    return demo_company()


# ---- demo company -----------------------------------------------------------------------------


def test_demo_is_identical_across_calls_and_interpreters(demo: Tables) -> None:
    assert demo_company() == demo
    # A fresh interpreter with another hash seed catches any dependence on set/dict order.
    script = (
        "import hashlib, json; from econsec.valuechain.generators import demo_company; "
        "print(hashlib.sha256(json.dumps(demo_company(), sort_keys=True, ensure_ascii=False,"
        " default=str).encode()).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert out.stdout.strip() == _canonical(demo)


def test_demo_validates_without_errors_or_warnings(demo: Tables) -> None:
    validation = validate_tables(demo)
    assert [str(i) for i in validation.errors] == []
    assert [str(i) for i in validation.warnings] == []


def test_demo_size_and_countries(demo: Tables) -> None:
    assert len(demo["items"]) >= 300
    tier = _tiers(demo)
    linked = [s for s in _supplier_sites(demo) if s["site_id"] in tier]
    assert len(linked) >= 120
    countries = Counter(s["country"] for s in linked)
    assert {"JP", "CN", "TW", "KR", "VN", "TH", "MY", "US", "DE"} <= set(countries)
    others = set(countries) - {"JP", "CN", "TW", "KR", "VN", "TH", "MY", "US", "DE"}
    assert len(others) >= 8  # e.g. AU, CL, CD, ID, PH, IN, MX, CH, ZA…


def test_demo_has_tiers_one_to_four(demo: Tables) -> None:
    tiers = Counter(_tiers(demo).values())
    assert {1, 2, 3, 4} <= set(tiers)
    assert tiers[1] > tiers[2] > tiers[3] > tiers[4] > 0


def test_demo_every_producer_gets_every_input(demo: Tables) -> None:
    """Failure propagation needs complete inputs: a site making X receives or makes each child."""
    children: dict[str, set[str]] = defaultdict(set)
    for line in demo["bom"]:
        children[line["parent_item_id"]].add(line["child_item_id"])
    made = {(p["site_id"], p["item_id"]) for p in demo["production"]}
    received = {(s["receiving_site_id"], s["item_id"]) for s in demo["supply_links"]}
    missing = [
        (site, item, child)
        for site, item in made
        for child in children[item]
        if (site, child) not in made and (site, child) not in received
    ]
    assert missing == []


def test_demo_volumes_follow_demand_down_the_bom(demo: Tables) -> None:
    """Hand-worked: the Dy magnet goes only into the 150 kW rotor, 1.9 kg per e-axle."""
    weekly_axles = sum(d["demand_per_week"] for d in demo["demand"] if d["item_id"] == "P-EAX150")
    assert weekly_axles == 1850 + 720 + 430
    (link,) = _qualified_sources(demo, "C-MAG-NDFEB-DY", "TOHO-HMM")
    assert link["annual_volume"] == pytest.approx(weekly_axles * 1.9 * 52, rel=1e-6)
    # value: 31,000 JPY/kg
    assert link["annual_value"] == Decimal(round(weekly_axles * 1.9 * 52 * 31000))
    # the alloy behind it: 1.25 kg per kg of magnet, all from Xiyao's Baotou alloy plant
    (alloy,) = _qualified_sources(demo, "M-NDFEB-ALLOY", "XIYAO-GZ")
    assert alloy["supplier_site_id"] == "XIYAO-BT"
    assert alloy["annual_volume"] == pytest.approx(weekly_axles * 1.9 * 1.25 * 52, rel=1e-6)


def test_demo_weak_points(demo: Tables) -> None:
    country = {s["site_id"]: s["country"] for s in demo["sites"]}
    # Dy-grade magnet: exactly one qualified source, in China, with an alternative in Japan
    (magnet,) = _qualified_sources(demo, "C-MAG-NDFEB-DY", "TOHO-HMM")
    assert country[magnet["supplier_site_id"]] == "CN"
    alternatives = [a for a in demo["alternatives"] if a["item_id"] == "C-MAG-NDFEB-DY"]
    assert [country[a["alt_supplier_site_id"]] for a in alternatives] == ["JP"]
    assert alternatives[0]["qualification_weeks"] > 0
    # its inputs are Chinese too, down to tier 4 (Myanmar heavy rare earths)
    (dy,) = _qualified_sources(demo, "M-DY-OXIDE", "XIYAO-GZ")
    assert country[dy["supplier_site_id"]] == "CN"
    (ore,) = _qualified_sources(demo, "M-HRE-CONC", dy["supplier_site_id"])
    assert country[ore["supplier_site_id"]] == "MM"
    # MCU: one foundry fab in Taiwan, across the Taiwan Strait
    (mcu,) = _qualified_sources(demo, "C-MCU-A", "TOHO-KMM")
    (die,) = _qualified_sources(demo, "D-MCU-A-DIE", mcu["supplier_site_id"])
    assert country[die["supplier_site_id"]] == "TW"
    assert "taiwan_strait" in die["chokepoints"]
    # gallium and germanium mostly from China for every buyer
    for mineral in ("M-GALLIUM", "M-GERMANIUM"):
        shares: dict[str, float] = defaultdict(float)
        for link in demo["supply_links"]:
            if link["item_id"] == mineral and country[link["supplier_site_id"]] == "CN":
                shares[link["receiving_site_id"]] += link["share"]
        assert shares and min(shares.values()) >= 0.85
    # several single-sourced critical parts at our plants have an alternative on file
    own = _own_sites(demo)
    critical = {i["item_id"] for i in demo["items"] if i["critical_tags"]}
    sources: dict[tuple[str, str], int] = Counter(
        (link["receiving_site_id"], link["item_id"])
        for link in demo["supply_links"]
        if link["qualified"]
    )
    single = {k for k, n in sources.items() if n == 1 and k[0] in own and k[1] in critical}
    with_alternative = {(a["receiving_site_id"], a["item_id"]) for a in demo["alternatives"]}
    assert len(single & with_alternative) >= 5
    assert len(single - with_alternative) >= 5


def test_demo_chokepoints_on_the_right_routes(demo: Tables) -> None:
    country = {s["site_id"]: s["country"] for s in demo["sites"]}
    europe = {"DE", "FR", "NL", "BE", "CH", "FI", "HU", "SK", "BG"}
    seen = set()
    for link in demo["supply_links"]:
        a, b = country[link["supplier_site_id"]], country[link["receiving_site_id"]]
        item_kind = link["item_id"].split("-")[0]
        if item_kind == "V":  # services travel by wire
            assert link["chokepoints"] == []
            continue
        if a == "TW" and b == "JP":
            assert "taiwan_strait" in link["chokepoints"]
        if a in europe and b in {"JP", "CN", "TW", "KR", "TH", "VN", "MY", "PH"}:
            assert "suez_red_sea" in link["chokepoints"]
        if a == "QA":
            assert "hormuz" in link["chokepoints"]
        if a == b:
            assert link["chokepoints"] == []
        seen.update(link["chokepoints"])
    assert seen == {"taiwan_strait", "malacca_strait", "south_china_sea", "hormuz", "suez_red_sea"}


def test_demo_financials_and_stock_look_real(demo: Tables) -> None:
    for row in demo["demand"]:
        assert isinstance(row["unit_price"], Decimal) and isinstance(row["unit_margin"], Decimal)
        assert 0 < row["unit_margin"] < row["unit_price"]
    assert all(isinstance(link["annual_value"], Decimal) for link in demo["supply_links"])
    plants = [s for s in demo["sites"] if s["kind"] == "plant"]
    ttr = {r["site_id"]: r["ttr_weeks"] for r in demo["recovery"]}
    assert all(
        8 <= ttr[s["site_id"]] <= 52
        for s in plants
        if s["site_id"]
        not in {
            "ENSHUGAS-HMM",
            "HINOKUNI-KMM",  # gas supply centres recover in weeks
        }
    )
    # weeks of cover at our plants vary, and the Dy magnet is among the thinnest
    need = {
        (link["receiving_site_id"], link["item_id"]): link["annual_volume"] / 52
        for link in demo["supply_links"]
        if link["share"] == 1.0
    }
    cover = {
        (r["site_id"], r["item_id"]): r["on_hand_units"] / need[(r["site_id"], r["item_id"])]
        for r in demo["inventory"]
        if (r["site_id"], r["item_id"]) in need and r["site_id"] in _own_sites(demo)
    }
    assert cover[("TOHO-HMM", "C-MAG-NDFEB-DY")] == pytest.approx(1.5, rel=1e-3)
    assert max(cover.values()) / min(cover.values()) > 3


def test_example_workbook_matches_the_generator(demo: Tables) -> None:
    validation = validate_source(EXAMPLE)
    assert validation.errors == []
    for sheet, rows in demo.items():
        assert len(validation.tables[sheet]) == len(rows), sheet
    keys = {
        (r["supplier_site_id"], r["item_id"], r["receiving_site_id"]) for r in demo["supply_links"]
    }
    stored = {
        (r["supplier_site_id"], r["item_id"], r["receiving_site_id"]): r
        for r in validation.tables["supply_links"]
    }
    assert set(stored) == keys
    for row in demo["supply_links"]:  # the shipped file is not stale
        kept = stored[(row["supplier_site_id"], row["item_id"], row["receiving_site_id"])]
        assert kept["annual_volume"] == pytest.approx(row["annual_volume"])
        assert kept["annual_value"] == row["annual_value"]
        assert kept["currency"] == row["currency"] == "JPY"


# ---- synthetic networks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sites", "parts", "tiers", "seed"),
    [(30, 120, 4, 1), (12, 12, 6, 3), (5, 5, 5, 2), (3, 1, 1, 0), (60, 400, 10, 9)],
)
def test_synthetic_validates_and_has_the_requested_size(
    sites: int, parts: int, tiers: int, seed: int
) -> None:
    tables = generate_network(sites, parts, tiers, seed)
    validation = validate_tables(tables)
    assert [str(i) for i in validation.errors] == []
    supplier_sites = _supplier_sites(tables)
    assert len(supplier_sites) == sites
    assert sum(1 for i in tables["items"] if i["kind"] != "product") == parts
    tier = _tiers(tables)
    assert all(s["site_id"] in tier for s in supplier_sites)  # nobody is disconnected
    assert set(tier.values()) == set(range(tiers + 1))


def test_synthetic_is_deterministic_per_seed() -> None:
    first = generate_network(40, 300, 4, seed=7)
    assert _canonical(generate_network(40, 300, 4, seed=7)) == _canonical(first)
    assert _canonical(generate_network(40, 300, 4, seed=8)) != _canonical(first)


def test_synthetic_bom_is_layered_and_volumes_add_up() -> None:
    tables = generate_network(80, 900, 5, seed=11)
    depth: dict[str, int] = {i["item_id"]: 0 for i in tables["items"] if i["kind"] == "product"}
    children: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for line in tables["bom"]:
        children[line["parent_item_id"]].append((line["child_item_id"], line["quantity_per_unit"]))
    queue = deque(depth)
    while queue:
        item = queue.popleft()
        for child, _ in children[item]:
            if child not in depth:
                depth[child] = depth[item] + 1
                queue.append(child)
    for line in tables["bom"]:  # every edge goes exactly one tier down
        assert depth[line["child_item_id"]] == depth[line["parent_item_id"]] + 1
    # what suppliers ship of a part = what its parents' producers consume (weekly, all sites)
    shipped: dict[str, float] = defaultdict(float)
    for link in tables["supply_links"]:
        shipped[link["item_id"]] += link["annual_volume"] / 52
    produced: dict[str, float] = defaultdict(float)
    for row in tables["demand"]:
        produced[row["item_id"]] += row["demand_per_week"]
    produced.update(shipped)
    expected: dict[str, float] = defaultdict(float)
    for parent, lines in children.items():
        for child, qty in lines:
            expected[child] += produced[parent] * qty
    for item, volume in shipped.items():
        assert volume == pytest.approx(expected[item], rel=2e-3, abs=0.05), item


def test_synthetic_shape_heavy_tail_multisourcing_country_mix() -> None:
    tables = generate_network(400, 6000, 6, seed=3)
    supplier_ids = {s["site_id"] for s in _supplier_sites(tables)}
    degree = Counter(p["site_id"] for p in tables["production"] if p["site_id"] in supplier_ids)
    ranked = sorted(degree.values(), reverse=True)
    median = ranked[len(ranked) // 2]
    assert ranked[0] >= 10 * median  # a few suppliers make many parts
    top = sum(ranked[: len(ranked) // 20])
    assert top / sum(ranked) > 0.25
    sources = Counter(p["item_id"] for p in tables["production"] if p["site_id"] in supplier_ids)
    multi = sum(1 for n in sources.values() if n > 1) / len(sources)
    assert 0.18 <= multi <= 0.35
    countries = Counter(s["country"] for s in tables["sites"] if s["site_id"] in supplier_ids)
    assert countries.most_common(2)[0][0] in {"JP", "CN"}
    assert len(countries) >= 15
    links_per_part = len(tables["supply_links"]) / 6000
    assert 1.5 <= links_per_part <= 3.0
    assert tables["alternatives"] and any(link["chokepoints"] for link in tables["supply_links"])


@pytest.mark.parametrize(("sites", "parts", "tiers"), [(2, 10, 3), (10, 2, 3), (5, 5, 0)])
def test_synthetic_refuses_impossible_sizes(sites: int, parts: int, tiers: int) -> None:
    with pytest.raises(ValueError, match=str(tiers)):
        generate_network(sites, parts, tiers, seed=1)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_generate_command_writes_a_valid_workbook(tmp_path: Path, fmt: str) -> None:
    from econsec.cli import app

    out = tmp_path / ("net.xlsx" if fmt == "xlsx" else "net")
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--sites",
            "25",
            "--parts",
            "150",
            "--tiers",
            "3",
            "--seed",
            "4",
            "--out",
            str(out),
            "--format",
            fmt,
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    validation = validate_source(out)
    assert validation.errors == []
    assert sum(1 for i in validation.tables["items"] if i["kind"] != "product") == 150
    assert len(_supplier_sites(validation.tables)) == 25


def test_generate_command_rejects_bad_sizes_in_japanese(tmp_path: Path) -> None:
    from econsec.cli import app

    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--sites",
            "1",
            "--parts",
            "1",
            "--tiers",
            "3",
            "--out",
            str(tmp_path / "x.xlsx"),
            "--lang",
            "ja",
        ],
    )
    assert result.exit_code == 2
    assert "生成できない" in result.output
    assert not (tmp_path / "x.xlsx").exists()
