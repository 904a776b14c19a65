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
