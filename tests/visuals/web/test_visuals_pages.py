"""Visuals pages and endpoints on the web fixture chain with its exposure analysis stored: the
numbers they serve are the exposure engine's, recomputed here from the stored report and
the store itself, and every page shows them as a table too."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from econsec.reports.assemble import country_exposure
from econsec.valuechain.models import SupplyLink
from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401

pytestmark = pytest.mark.db


def test_map_endpoint_equals_the_exposure_engine(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    report = analysed_chain["exposure"]
    got = client_for("viewer").get(reverse("api:visuals_map")).json()
    assert got["data_version"] == report.data_version
    assert got["countries"] == pytest.approx(country_exposure(report.products))
    losses = {e.element_id: e.revenue_per_week for e in report.losses["site"]}
    spof = {s for p in report.products for s in p.single_points_of_failure}
    sites = {s["site_id"]: s for s in got["sites"]}
    assert set(sites) == {"P1", "S1", "S2", "S3", "S4", "S5", "S6"}
    for site_id, s in sites.items():
        assert s["revenue_at_risk_per_week"] == pytest.approx(losses.get(site_id, 0.0))
        assert (s["exposure"] == "spof") == (site_id in spof)
    assert got["spof_count"] == len(spof) > 0
    # Annual value supplied, summed from the stored links (not the compiled arrays).
    for site_id, s in sites.items():
        stored = sum(
            float(v or 0)
            for v in SupplyLink.objects.filter(supplier_site__site_id=site_id).values_list(
                "annual_value", flat=True
            )
        )
        assert s["annual_value"] == pytest.approx(stored), site_id


def test_flows_endpoint_sums_the_stored_links(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    got = client_for("viewer").get(reverse("api:visuals_flows")).json()
    into_own: dict[str, float] = {}
    for link in SupplyLink.objects.filter(receiving_site__site_id="P1").select_related(
        "supplier_site"
    ):
        if link.annual_value is not None:
            c = link.supplier_site.country
            into_own[c] = into_own.get(c, 0.0) + float(link.annual_value)
    assert got["into_own"] == pytest.approx(into_own)


def test_pages_draw_from_their_endpoints_and_list_the_figures(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
) -> None:
    client = client_for("viewer")
    page = client.get(reverse("web:visuals_map")).content.decode()
    assert 'data-chart="map"' in page and "echarts.min.js" in page
    assert 'data-testid="map-sites"' in page and "S1" in page
    assert "<script>alert(1)</script>" not in page  # the fixture's evil name stays text
    flows = client.get(reverse("web:visuals_flows")).content.decode()
    assert 'data-chart="sankey"' in flows and 'data-testid="flows-table"' in flows
    listing = client.get(reverse("web:visuals_networks")).content.decode()
    assert reverse("web:visuals_network", args=["P1", "CAR"]) in listing
    network = client.get(reverse("web:visuals_network", args=["P1", "CAR"]))
    assert network.status_code == 200 and 'data-chart="network"' in network.content.decode()
    api = client.get(reverse("api:visuals_network", args=["P1", "CAR"])).json()
    report = analysed_chain["exposure"]
    car = next(p for p in report.products if p.item_id == "CAR")
    assert set(api["spof"]) == set(car.single_points_of_failure)
    assert {n["id"] for n in api["nodes"] if n["spof"]} == set(car.single_points_of_failure)
    assert client.get(reverse("web:visuals_network", args=["P1", "NOPE"])).status_code == 404
    assert client.get(reverse("api:visuals_network", args=["P1", "NOPE"])).status_code == 404


def test_report_section_carries_the_map_in_both_languages(analysed_chain: Any) -> None:  # noqa: F811
    from econsec.reports.gather import contributed_sections

    sections = [
        s for s in contributed_sections(analysed_chain["exposure"].data_version)
        if s.id == "visuals.map"
    ]  # fmt: skip
    assert len(sections) == 1
    chart = sections[0].charts[0]
    assert chart.kind == "svg" and chart.data["svg"].startswith("<svg")
    assert chart.alt["ja"] and chart.alt["en"] and chart.alt["ja"] != chart.alt["en"]
    assert contributed_sections("another-version") == [] or all(
        s.id != "visuals.map" for s in contributed_sections("another-version")
    )


@pytest.mark.parametrize(
    "site_id,item_id",
    [("<script>", "CAR"), ("P1", "x" * 5000), ("P1", "%00"), ("Ｐ１", "ＣＡＲ"), ("..", "..")],
)
def test_hostile_product_ids_get_a_plain_404(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
    site_id: str,
    item_id: str,
) -> None:
    client = client_for("viewer")
    for name in ("web:visuals_network", "api:visuals_network"):
        response = client.get(reverse(name, args=[site_id, item_id]))
        assert response.status_code == 404, (name, site_id)
        if name.startswith("api:"):
            assert response["Content-Type"].startswith("application/json")
        else:
            assert b"<script>" not in response.content


def test_network_marks_time_to_survive_below_time_to_recover_as_the_stress_engine_finds(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
) -> None:
    import math

    from econsec.stress.engine import Engine
    from econsec.stress.scenario import resolve, scenario_from_document
    from econsec.stress.store import save_result
    from econsec.stress.sweep import sweep
    from econsec.valuechain.store_io import compile_store

    client = client_for("viewer")
    url = reverse("api:visuals_network", args=["P1", "CAR"])
    before = client.get(url).json()
    assert before["swept"] is False and before["short"] == []
    assert (
        'data-testid="network-unswept"'
        in client.get(reverse("web:visuals_network", args=["P1", "CAR"])).content.decode()
    )

    chain = compile_store()
    ttr = 6.0
    save_result(sweep(chain, "site", default_ttr_weeks=ttr))
    got = client.get(url).json()  # the sweep stored after the first request shows at once
    assert got["swept"] is True

    # Each site of the network lost alone for its recovery time, as a hand-written scenario
    # solved by the stress engine (not through the sweep's workers).
    engine = Engine(chain)
    expected = {}
    for node in got["nodes"]:
        document = {
            "name": f"{node['id']} down",
            "duration_weeks": ttr,
            "events": [{"kind": "disruption", "sites": [node["id"]]}],
        }
        outcome = engine.run(
            resolve(scenario_from_document(document), chain), ttr, per_product=False
        )
        tts = outcome.tts_weeks
        expected[node["id"]] = tts < ttr
        assert node["ttr_weeks"] == pytest.approx(ttr)
        assert (node["tts_weeks"] is None) == math.isinf(tts)
        if not math.isinf(tts):
            assert node["tts_weeks"] == pytest.approx(tts)
            assert f"{tts:.1f}" in node["cover"]
    assert set(got["short"]) == {k for k, v in expected.items() if v}
    assert {n["id"] for n in got["nodes"] if n["short"]} == set(got["short"])
    assert got["short"], "the fixture's sole magnet supplier cannot be covered without stock"

    page = client.get(reverse("web:visuals_network", args=["P1", "CAR"])).content.decode()
    assert 'data-testid="network-short"' in page and 'data-testid="network-sites"' in page
    for site_id in got["short"]:
        assert f'data-site="{site_id}" data-short="1"' in page
    for site_id in set(expected) - set(got["short"]):
        assert f'data-site="{site_id}" data-short' not in page
