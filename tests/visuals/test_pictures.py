"""The map, flows and network data against independent computations on the mini chain.

Hand-worked: our plant J1 (JP) makes P (100/week at ¥10,000) from C (T1 in TW 70 %, K1 in KR
30 %) and M (N1 in CN only); T1 makes C from R bought from N1. Losing N1 alone stops P
(M has no other source); losing T1 or K1 does not (C has the other). Link values: T1→J1 ¥7m,
K1→J1 ¥3m, N1→J1 ¥5m, N1→T1 ¥2m.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from econsec.exposure.analyse import Options, analyse
from econsec.reports.assemble import country_exposure
from econsec.valuechain.compile import compile_tables
from econsec.visuals.flows import sankey, tier_flows
from econsec.visuals.network import cover_from_sweep, product_network, worst_cover
from econsec.visuals.sitemap import MapSite, clusters, site_map
from econsec.visuals.svgflows import flows_svg
from econsec.visuals.svgmap import map_svg
from tests.exposure.brute import lost_nodes
from tests.valuechain.minichain import mini_tables

GEO = {"J1": ("静岡県", None, None), "T1": ("", 24.8, 121.0), "K1": ("", 35.5, 129.3)}


@pytest.fixture(scope="module")
def analysed():  # type: ignore[no-untyped-def]
    chain = compile_tables(mini_tables())
    return chain, analyse(chain, Options())


def _brute_revenue(chain, site: int) -> float:  # type: ignore[no-untyped-def]
    lost = lost_nodes(chain, chain.node_site, site)
    return float(
        sum(
            d * p
            for n, d, p in zip(
                chain.demand_node, chain.demand_per_week, chain.demand_unit_price, strict=True
            )
            if int(n) in lost
        )
    )


def test_map_sites_revenue_and_spof_match_brute_force(analysed) -> None:  # type: ignore[no-untyped-def]
    chain, report = analysed
    data = site_map(chain, report, GEO, {"J1"})
    by_id = {s.site_id: s for s in data.sites}
    for i, site_id in enumerate(chain.site_ids):
        if site_id == "J1":
            continue
        expected = _brute_revenue(chain, i)
        assert by_id[site_id].revenue_at_risk_per_week == pytest.approx(expected), site_id
        assert (by_id[site_id].exposure == "spof") == (expected > 0), site_id
    assert by_id["N1"].revenue_at_risk_per_week == pytest.approx(1_000_000)  # by hand
    assert {s for s, m in by_id.items() if m.exposure == "spof"} == {"N1"}
    assert by_id["J1"].exposure == "own"
    # Placement: J1 at its prefecture (approximate), N1 at China's centre, T1 exact.
    assert (by_id["J1"].precision, by_id["J1"].lat) == ("region", 34.98)
    assert by_id["N1"].precision == "country" and by_id["T1"].precision == "exact"
    # Annual value each site supplies, summed from the raw tables.
    raw: dict[str, float] = {}
    for link in mini_tables()["supply_links"]:
        raw[link["supplier_site_id"]] = raw.get(link["supplier_site_id"], 0.0) + float(
            link["annual_value"]
        )
    assert {s: by_id[s].annual_value for s in raw} == pytest.approx(raw)
    # Country shading is the board report's revenue-weighted multi-tier share.
    assert data.countries == pytest.approx(country_exposure(report.products))
    assert sum(data.countries.values()) == pytest.approx(1.0)


def test_flows_by_step_and_country_equal_the_raw_links(analysed) -> None:  # type: ignore[no-untyped-def]
    chain, _ = analysed
    data = tier_flows(chain)
    assert data.into_step(0) == pytest.approx({"TW": 7e6, "KR": 3e6, "CN": 5e6})
    assert data.into_step(1) == pytest.approx({"CN": 2e6})
    assert data.depth == 2 and data.links_without_value == 0
    assert sum(data.step_totals.values()) == pytest.approx(
        sum(float(x["annual_value"]) for x in mini_tables()["supply_links"])
    )
    nodes, links = sankey(data)
    assert sum(v for s, t, v in links) == pytest.approx(17e6)
    assert set(nodes) == {"0:JP", "1:TW", "1:KR", "1:CN", "2:CN"}


def test_flows_count_links_without_value_instead_of_guessing() -> None:
    tables = mini_tables()
    tables["supply_links"][1]["annual_value"] = None
    data = tier_flows(compile_tables(tables))
    assert data.links_without_value == 1
    assert "KR" not in data.into_step(0)


def test_network_is_the_products_upstream_with_its_single_point(analysed) -> None:  # type: ignore[no-untyped-def]
    chain, report = analysed
    product = next(p for p in report.products if p.item_id == "P")
    net = product_network(chain, product)
    assert net is not None
    assert {n.id for n in net.nodes} == {"J1", "T1", "K1", "N1"}
    assert {n.id for n in net.nodes if n.spof} == {"N1"}
    edges = {(e.source, e.target): e.value for e in net.edges}
    assert edges == pytest.approx({("T1", "J1"): 7e6, ("K1", "J1"): 3e6, ("N1", "J1"): 5e6,
                                   ("N1", "T1"): 2e6})  # fmt: skip
    tiers = {n.id: n.tier for n in net.nodes}
    assert tiers == {"J1": 0, "T1": 1, "K1": 1, "N1": 1}  # N1 also supplies J1 directly
    pooled = product_network(chain, product, max_sites=2)
    assert pooled is not None and pooled.pooled
    assert {"N1", "J1"} <= {n.id for n in pooled.nodes}  # spof and product never pooled
    assert sum(n.sites for n in pooled.nodes) == 4


def test_cover_marks_only_a_survival_time_below_the_recovery_time(analysed) -> None:  # type: ignore[no-untyped-def]
    chain, report = analysed
    product = next(p for p in report.products if p.item_id == "P")
    sweep = {"rows": [
        {"kind": "site", "id": "N1", "status": "ok", "tts_weeks": 2.0, "ttr_weeks": 8.0},
        {"kind": "site", "id": "T1", "status": "ok", "tts_weeks": None, "ttr_weeks": 8.0},
        {"kind": "site", "id": "K1", "status": "ok", "tts_weeks": 8.0, "ttr_weeks": 8.0},
        {"kind": "site", "id": "J1", "status": "error", "tts_weeks": None, "ttr_weeks": 4.0},
    ]}  # fmt: skip
    cover = cover_from_sweep(sweep)
    assert set(cover) == {"N1", "T1", "K1"}  # a failed row is no figure
    net = product_network(chain, product, cover=cover)
    assert net is not None and net.swept and net.short == ("N1",)  # equal is not short
    nodes = {n.id: n for n in net.nodes}
    assert (nodes["N1"].tts_weeks, nodes["N1"].ttr_weeks) == (2.0, 8.0)
    assert nodes["T1"].tts_weeks is None and not nodes["T1"].short  # never runs short
    assert nodes["J1"].ttr_weeks is None and not nodes["J1"].short
    # A pool carries its worst member: T1 (unlimited) and K1 (no gap) pooled with a short one.
    assert worst_cover(["T1", "K1", "N1"], cover) == (2.0, 8.0)
    assert worst_cover(["T1", "K1"], cover) == (8.0, 8.0)
    assert worst_cover(["X"], cover) == (None, None)
    assert product_network(chain, product).swept is False  # type: ignore[union-attr]


def test_many_sites_are_clustered_under_the_marker_limit() -> None:
    rng = np.random.default_rng(1)
    sites = [
        MapSite(f"S{i}", "", "O", "CN", 1, float(lat), float(lon), "exact", 1.0, 0.0, 0, "none")
        for i, (lat, lon) in enumerate(zip(rng.uniform(-50, 60, 5000), rng.uniform(-170, 170, 5000), strict=True))
    ]  # fmt: skip
    assert clusters(sites[:100], max_markers=200) is None
    grouped = clusters(sites, max_markers=300)
    assert grouped is not None and len(grouped) <= 300
    assert sum(c.sites for c in grouped) == 5000


def test_report_svg_marks_the_single_point(analysed) -> None:  # type: ignore[no-untyped-def]
    chain, report = analysed
    svg = map_svg(site_map(chain, report, GEO, {"J1"}), "map")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 4 and svg.count('fill="#D55E00"') == 1
    assert "<script" not in svg


def test_report_sankey_is_small_valid_svg_with_the_flows_labels_and_heights(analysed) -> None:  # type: ignore[no-untyped-def]
    from defusedxml import ElementTree

    chain, _ = analysed
    svg = flows_svg(tier_flows(chain), "flows")
    assert len(svg.encode()) < 20_000 and "<script" not in svg
    root = ElementTree.fromstring(svg)  # parses, with entities and DTDs refused
    ns = "{http://www.w3.org/2000/svg}"
    texts = [e.text or "" for e in root.iter(f"{ns}text")]
    labels = {t.split()[0] for t in texts}
    assert {"T0", "T1", "T2", "JP", "TW", "KR", "CN"} <= labels
    # One band per flow; node heights proportional to the hand-worked link values.
    assert len(list(root.iter(f"{ns}path"))) == 4
    heights = {
        r.find(f"{ns}title").text.split(":")[0]: float(r.get("height"))  # type: ignore[union-attr]
        for r in root.iter(f"{ns}rect")
        if r.find(f"{ns}title") is not None
    }
    assert heights["T1 TW"] / heights["T1 KR"] == pytest.approx(7 / 3, rel=1e-2)
    assert heights["T0 JP"] / heights["T1 CN"] == pytest.approx(15 / 5, rel=1e-2)
    assert heights["T1 TW"] / heights["T2 CN"] == pytest.approx(7 / 2, rel=1e-2)  # out 7m, in 2m
    # Pooled countries are counted, not named in English.
    many = flows_svg(tier_flows(chain), "flows", top=1)
    assert "+2" in many and "Other" not in many


def test_report_map_groups_many_sites_per_cell_keeping_the_worst_class() -> None:
    from econsec.visuals.sitemap import SiteMapData

    rng = np.random.default_rng(3)
    sites = [
        MapSite(f"S{i}", "", "O", "CN", 1, float(lat), float(lon), "exact", 1.0, 0.0, 0,
                "spof" if i == 7 else "none")
        for i, (lat, lon) in enumerate(zip(rng.uniform(-40, 60, 5000), rng.uniform(-120, 150, 5000), strict=True))
    ]  # fmt: skip
    data = SiteMapData("v", "JPY", sites, {"CN": 1.0}, {}, [])
    svg = map_svg(data, "map")
    size = 2
    while len(cells := {(math.floor(s.lat / size), math.floor(s.lon / size)) for s in sites}) > 600:
        size *= 2
    assert size > 2 and svg.count("<circle") == len(cells)
    assert svg.count('fill="#D55E00"') == 1  # the cell holding the single point of failure
    assert "<title>S7</title>" not in svg  # cells, not sites


def test_demo_line_names_the_maps_figures(capsys: pytest.CaptureFixture[str], db: object) -> None:
    from econsec.reports.gather import compute_exposure
    from econsec.valuechain.cli import load_demo
    from econsec.visuals.demo import step

    step("en")  # nothing stored yet: silent
    assert "Map:" not in capsys.readouterr().out
    load_demo("en")
    compute_exposure()
    step("en")
    assert "184 sites in 28 countries" in capsys.readouterr().out
    # The board report's section carries the map and the company's tier flows, drawn here.
    from defusedxml import ElementTree

    from econsec.reports.gather import contributed_sections, current_version
    from econsec.visuals import gather

    section = next(s for s in contributed_sections(current_version()) if s.id == "visuals.map")
    charts = {c.id: c for c in section.charts}
    assert {c.kind for c in charts.values()} == {"svg"}
    svg = charts["visuals.tier_flows"].data["svg"]
    assert len(svg.encode()) < 60_000
    root = ElementTree.fromstring(svg)
    texts = " ".join(e.text or "" for e in root.iter("{http://www.w3.org/2000/svg}text"))
    flows = gather.flow_data()
    assert flows is not None
    bought = flows.into_step(0)
    biggest = sorted(bought, key=lambda c: -bought[c])[:3]
    assert all(f" {c} " in f" {texts} " for c in biggest), (biggest, texts)
    alt = charts["visuals.tier_flows"].alt
    assert alt["ja"] != alt["en"] and str(flows.depth) in alt["en"]
    table = section.tables[0]
    assert table.rows[0][3] == pytest.approx(max(f.value for f in flows.flows))
    Path("test-output").mkdir(exist_ok=True)
    Path("test-output/visuals-report-flows.svg").write_text(svg, encoding="utf-8")
    # The report's renderers take a report carrying the section (drawing contributed sections
    # is the reports package's part).
    from econsec.reports.gather import build_board_report
    from econsec.reports.html import board_html
    from econsec.reports.pdf import board_pdf

    board = build_board_report()
    for lang in ("ja", "en"):
        assert any(s.id == "visuals.map" for s in board.sections)
        assert board_html(board, lang).startswith("<!doctype html>")
        assert board_pdf(board, lang).startswith(b"%PDF")
