"""Filtered pictures on the web fixture chain: the endpoint and the page's table show the same
selection, recomputed here from the store and the exposure report; bad values are a 400 with a
located ja/en message."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.urls import reverse

from econsec.valuechain.models import Site, SupplyLink
from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401

pytestmark = pytest.mark.db


def _table_sites(page: str) -> set[str]:
    body = page.split('data-testid="map-sites"', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r"<code>([^<]+)</code>", body))


def _sites(**where: Any) -> set[str]:
    return set(Site.objects.filter(**where).values_list("site_id", flat=True))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("tier=1", lambda report, spof: {"S1", "S2", "S3"}),
        ("country=CN", lambda report, spof: _sites(country="CN")),
        ("region=030", lambda report, spof: _sites(country__in=["CN", "JP", "KR"])),  # E. Asia
        ("criticality=spof", lambda report, spof: spof),
        ("product=P1%2FCAR", lambda report, spof: {"P1", "S1", "S2", "S3", "S4", "S5"}),
        ("product=P1%2FCAR&country=CN&tier=2", lambda report, spof: {"S4"}),
    ],
)
def test_map_endpoint_and_table_show_the_same_filtered_sites(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
    query: str,
    expected: Any,
) -> None:
    report = analysed_chain["exposure"]
    spof = {s for p in report.products for s in p.single_points_of_failure}
    want = expected(report, spof)
    client = client_for("viewer")
    api = client.get(reverse("api:visuals_map") + "?" + query).json()
    assert {s["site_id"] for s in api["sites"]} == want
    page = client.get(reverse("web:visuals_map") + "?" + query).content.decode()
    assert _table_sites(page) == want
    # The chart fetches the same selection: its endpoint carries the query.
    assert f'data-src="{reverse("api:visuals_map")}?' in page
    assert 'data-testid="visuals-filter-clear"' in page


def test_product_filter_shades_countries_by_the_products_own_shares(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
) -> None:
    car = next(p for p in analysed_chain["exposure"].products if p.item_id == "CAR")
    api = client_for("viewer").get(reverse("api:visuals_map") + "?product=P1/CAR").json()
    assert api["countries"] == pytest.approx(car.country_shares)


def test_flows_filtered_by_country_and_tier_sum_the_stored_links(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
) -> None:
    from econsec.reports.gather import compute_exposure
    from econsec.valuechain.models import ImportRun

    for link in SupplyLink.objects.all():  # give every link a value, so flows have figures
        link.annual_value = 1000 * (link.pk or 1)
        link.save()
    run = ImportRun.objects.latest("started_at")
    run.data_version = uuid.uuid4().hex * 2  # a compiled chain is cached per version on disk
    run.save()
    compute_exposure()  # a new data version, so the pictures are drawn afresh
    client = client_for("viewer")
    got = client.get(reverse("api:visuals_flows") + "?country=CN").json()
    expected: dict[str, float] = {}
    for link in SupplyLink.objects.select_related("supplier_site", "receiving_site"):
        if "CN" in (link.supplier_site.country, link.receiving_site.country):
            c = link.supplier_site.country
            expected[c] = expected.get(c, 0.0) + float(link.annual_value)
    flowed: dict[str, float] = {}
    for f in got["flows"]:
        flowed[f["source_country"]] = flowed.get(f["source_country"], 0.0) + f["value"]
    assert flowed == pytest.approx(expected)
    # tier=1: links whose supplier is at tier 1, i.e. what our own plant buys.
    into_p1 = {}
    for link in SupplyLink.objects.filter(receiving_site__site_id="P1").select_related(
        "supplier_site"
    ):
        c = link.supplier_site.country
        into_p1[c] = into_p1.get(c, 0.0) + float(link.annual_value)
    got = client.get(reverse("api:visuals_flows") + "?tier=1").json()
    assert {f["step"] for f in got["flows"]} == {0}
    assert got["into_own"] == pytest.approx(into_p1)
    page = client.get(reverse("web:visuals_flows") + "?tier=1").content.decode()
    assert page.count('<td class="num">1 → 0</td>') == len(got["flows"])


def test_network_filtered_by_country_keeps_only_those_suppliers(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
) -> None:
    client = client_for("viewer")
    url = reverse("api:visuals_network", args=["P1", "CAR"])
    got = client.get(url + "?country=CN").json()
    china = _sites(country="CN")
    assert {e["source"] for e in got["edges"]} <= china and got["edges"]
    page = client.get(reverse("web:visuals_network", args=["P1", "CAR"]) + "?country=CN")
    assert page.status_code == 200
    assert "S1" not in {e["source"] for e in got["edges"]}


@pytest.mark.parametrize(
    "query,lang,words",
    [
        ("tier=abc", "en", ["tier", "abc", "not a tier number"]),
        ("tier=abc", "ja", ["tier", "abc", "階層の番号"]),
        ("country=ZZ", "en", ["country", "ZZ"]),
        ("product=P1/NOPE", "ja", ["product", "P1/NOPE", "製品はありません"]),
        ("criticality=%3Cscript%3E", "en", ["criticality", "&lt;script&gt;"]),
    ],
)
def test_bad_values_get_a_400_with_a_located_message(
    client_for: Any,
    analysed_chain: Any,  # noqa: F811
    query: str,
    lang: str,
    words: list[str],
) -> None:
    client = client_for("viewer")
    for name in ("web:visuals_map", "web:visuals_flows", "api:visuals_map", "api:visuals_flows"):
        response = client.get(reverse(name) + "?" + query, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 400, name
        text = response.content.decode()
        if name.startswith("api:"):
            text = response.json()["detail"].replace("<", "&lt;").replace(">", "&gt;")
        else:
            assert 'data-testid="visuals-filter-error"' in text and "<script>" not in text
        for word in words:
            assert word in text, (name, word)
    network = client.get(
        reverse("web:visuals_network", args=["P1", "CAR"]) + "?" + query,
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert network.status_code == 400
