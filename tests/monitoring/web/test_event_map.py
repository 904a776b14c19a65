"""The event page's map (the visuals capability's panel): the supplier map narrowed to the sites
the footprint hits, the footprint drawn as shapes, and the sites tabled as its text alternative."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.urls import reverse

from econsec.monitoring import match as matching
from econsec.monitoring import service
from tests.exposure.web.test_exposure import analysed_chain


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the spherical law of cosines (not the matcher's haversine)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, c)))


def _record(footprint: dict[str, Any], title: str = "Fire at two plants") -> int:
    service._cache.clear()
    event = service.record({"kind": footprint["kind"], "title_en": title, "title_ja": title,
                            "footprint": footprint}, actor="t")  # fmt: skip
    return int(event.pk)


def _map(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="vis-event-map-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, "the page carries the map's data"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _table(page: str) -> list[str]:
    body = page.split('data-testid="event-map-sites"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-site="([^"]+)"', body)


def test_named_sites_are_mapped_and_tabled(
    analysed_chain: Any,
    client_for: Any,
) -> None:
    event_id = _record({"kind": "plant_incident", "sites": ["S4", "S5"]})
    page = client_for("viewer").get(reverse("web:monitoring_event", args=[event_id])).content
    text = page.decode()
    data = _map(text)
    assert sorted(s["site_id"] for s in data["sites"]) == ["S4", "S5"] == sorted(_table(text))
    assert data["footprint"] == []  # named sites: no area to draw
    assert set(data["countries"]) <= {"CN"}
    assert 'data-testid="event-map"' in text and 'data-inline="vis-event-map-data"' in text


def test_a_circle_and_a_polygon_are_drawn_and_hold_their_sites(
    analysed_chain: Any,
    client_for: Any,
) -> None:
    from econsec.valuechain.models import Site

    Site.objects.filter(site_id="S2").update(latitude=31.23, longitude=121.47)  # Shanghai
    Site.objects.filter(site_id="S4").update(latitude=22.54, longitude=114.06)  # Shenzhen
    Site.objects.filter(site_id="S6").update(latitude=21.03, longitude=105.85)  # Hanoi
    ring = [[20.5, 105.3], [21.6, 105.3], [21.6, 106.4], [20.5, 106.4]]
    fp = {"kind": "natural_hazard",
          "point": {"latitude": 31.0, "longitude": 121.0, "radius_km": 150},
          "polygons": [ring]}  # fmt: skip
    event_id = _record(fp, "Typhoon")
    text = client_for("analyst").get(reverse("web:monitoring_event", args=[event_id])).content
    data = _map(text.decode())
    # Independently: the sites with coordinates within 150 km of the centre, and Hanoi's box.
    placed = {
        s.site_id: (float(s.latitude), float(s.longitude))
        for s in Site.objects.all()
        if s.latitude is not None and s.longitude is not None
    }
    near = {k for k, (la, lo) in placed.items() if _km(la, lo, 31.0, 121.0) <= 150}
    assert near == {"S2"}
    assert (
        sorted(s["site_id"] for s in data["sites"]) == ["S2", "S6"] == sorted(_table(text.decode()))
    )
    circle, polygon = data["footprint"]
    assert len(circle) == 64 and polygon == [[lo, la] for la, lo in ring]
    assert all(abs(_km(la, lo, 31.0, 121.0) - 150) < 0.01 for lo, la in circle)
    lo, la = data["view"]["center"]
    assert 105 < lo < 122 and 20 < la < 33  # the view is where the event is


def test_the_page_matches_the_footprint_once(
    analysed_chain: Any,
    client_for: Any,
    monkeypatch: Any,
) -> None:
    event_id = _record({"kind": "plant_incident", "sites": ["S4"]})
    calls = []
    real = matching.match

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "match", counted)
    page = client_for("viewer").get(reverse("web:monitoring_event", args=[event_id])).content
    assert len(calls) == 1
    suppliers = page.split(b'data-testid="suppliers-table"')[1].split(b"</table>")[0]
    assert b'data-org="SUP"' in suppliers  # the suppliers' table is drawn from the same match


def test_site_names_cannot_break_out_of_the_data_block(
    db: Any, chain: Any, client_for: Any
) -> None:
    from econsec.valuechain.models import Site

    Site.objects.filter(site_id="S4").update(name="</script><script>alert(1)</script>")
    analysed_chain.__wrapped__(chain)  # type: ignore[attr-defined]  # the analysis, stored now
    event_id = _record({"kind": "plant_incident", "sites": ["S4"]})
    text = client_for("viewer").get(reverse("web:monitoring_event", args=[event_id])).content
    assert b"<script>alert(1)" not in text
    assert _map(text.decode())["sites"][0]["name"] == "</script><script>alert(1)</script>"


def test_without_a_stored_exposure_analysis_the_page_says_when_the_map_appears(
    db: Any, chain: Any, client_for: Any
) -> None:
    event_id = _record({"kind": "plant_incident", "sites": ["S4"]})
    response = client_for("viewer").get(
        reverse("web:monitoring_event", args=[event_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert b'data-testid="event-map-missing"' in response.content
    assert b"The map appears once the exposure analysis has been stored." in response.content


def test_an_event_that_reaches_no_site_says_so(
    analysed_chain: Any,
    client_for: Any,
) -> None:
    event_id = _record({"kind": "natural_hazard", "countries": ["BR"]})
    text = (
        client_for("viewer")
        .get(reverse("web:monitoring_event", args=[event_id]), HTTP_ACCEPT_LANGUAGE="ja")
        .content.decode()
    )
    assert _map(text)["sites"] == [] and _table(text) == []
    assert "範囲内に自社・サプライヤーの拠点はありません。" in text


def test_the_event_map_draws_tiles_only_when_a_tile_server_is_set(
    analysed_chain: Any, client_for: Any, settings: Any
) -> None:
    """Off by default: the site-wide policy and no tiles. With ``ECONSEC_MAP_TILES`` the panel
    draws them and the event page's policy admits that origin, and only in img-src."""
    event_id = _record({"kind": "plant_incident", "sites": ["S4"]})
    url = reverse("web:monitoring_event", args=[event_id])
    plain = client_for("viewer").get(url)
    assert plain["Content-Security-Policy"] == settings.ECONSEC_CSP
    assert "data-tiles" not in plain.content.decode()
    settings.ECONSEC_MAP_TILES = "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png"
    settings.ECONSEC_MAP_TILES_ATTRIBUTION = "© OSM"
    tiled = client_for("viewer").get(url, HTTP_ACCEPT_LANGUAGE="en")
    csp = tiled["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org:8443;" in csp
    assert csp.replace(" https://tiles.example.org:8443", "") == settings.ECONSEC_CSP
    page = tiled.content.decode()
    assert f'data-tiles="{settings.ECONSEC_MAP_TILES}"' in page
    assert 'data-testid="event-map-tiles"' in page and "© OSM" in page
    # Another page keeps the site-wide policy.
    other = client_for("viewer").get(reverse("web:monitoring_inbox"))
    assert other["Content-Security-Policy"] == settings.ECONSEC_CSP
