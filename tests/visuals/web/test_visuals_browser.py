"""Browser: the map, the Sankey and the network draw what the endpoints say, under the CSP
(the page fixture fails a test on any blocked inline script or style), with screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401  (fixture)
from tests.web.test_browser import browser, page, shot, sign_in, wait_until  # noqa: F401

pytestmark = pytest.mark.browser


def _drawn(page: Any, what: str) -> Any:  # noqa: F811
    wait_until(page, f"window.econsecVisuals && window.econsecVisuals.{what}")
    return page.evaluate(f"() => window.econsecVisuals.{what}")


def test_pictures_of_the_fixture_chain(page: Any, analysed_chain: Any) -> None:  # noqa: F811
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(page.base) else 0)
    sign_in(page, "viewer")
    page.goto(page.base + "/visuals/map/")
    drawn = _drawn(page, "map")
    api = page.evaluate("() => fetch('/api/visuals/map').then(r => r.json())")
    assert drawn["markers"] == len(api["sites"]) == 7
    assert sorted(drawn["spof"]) == sorted(
        s["site_id"] for s in api["sites"] if s["exposure"] == "spof"
    )
    assert page.locator("#vis-map canvas").count() >= 1
    shot(page, "60-visuals-map-ja")
    # A bookmarked filter: the chart draws the same selection its table lists.
    page.goto(page.base + "/visuals/map/?criticality=spof")
    page.evaluate("() => { delete window.econsecVisuals.map; }")
    page.reload()
    drawn = _drawn(page, "map")
    rows = page.locator('[data-testid="map-sites"] tbody tr').count()
    assert drawn["markers"] == rows == len(drawn["spof"]) > 0
    shot(page, "60b-visuals-map-filtered-ja")
    page.goto(page.base + "/visuals/flows/")
    sankey = _drawn(page, "sankey")
    flows = page.evaluate("() => fetch('/api/visuals/flows').then(r => r.json())")
    assert sankey["links"] == len(flows["sankey"]["links"])
    # The fixture's links carry no value: the page says so instead of drawing guesses.
    assert flows["links_without_value"] > 0 and page.get_by_test_id("flows-unknown").is_visible()
    shot(page, "61-visuals-flows-ja")
    page.goto(page.base + "/visuals/network/P1/CAR/")
    network = _drawn(page, "network")
    assert network["nodes"] >= 4 and network["spof"]
    shot(page, "62-visuals-network-ja")
    assert elsewhere == []  # by default no tile server, CDN or font host is asked anything


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """A local stand-in for an organisation's tile server: one grey PNG for every tile."""
    import io
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 235)).save(buffer, "PNG")
    png, asked = buffer.getvalue(), []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


def test_map_draws_tiles_under_the_outline_when_a_tile_server_is_set(
    page: Any,  # noqa: F811
    analysed_chain: Any,  # noqa: F811
    tile_server: tuple[str, list[str]],
    settings: Any,
) -> None:
    origin, asked = tile_server
    settings.ECONSEC_MAP_TILES = origin + "/osm/{z}/{x}/{y}.png"
    sign_in(page, "viewer")
    page.goto(page.base + "/visuals/map/")
    drawn = _drawn(page, "map")
    assert 0 < drawn["tiles"] <= 64 and drawn["markers"] == 7
    page.wait_for_timeout(500)  # the tile images load after the chart is drawn
    assert asked and all(re.fullmatch(r"/osm/[0-9]+/[0-9]+/[0-9]+\.png", p) for p in asked)
    # The page fixture fails the test on any CSP report: the tiles were allowed, nothing else.
    shot(page, "66-visuals-map-tiles-ja")


def test_demo_company_map_shows_its_countries_and_the_magnet_chain(page: Any) -> None:  # noqa: F811
    from econsec.demo_steps import site_sweep
    from econsec.reports.gather import compute_exposure
    from econsec.valuechain.cli import load_demo
    from econsec.valuechain.store_io import compile_store

    load_demo("en")
    compute_exposure()
    sweep = site_sweep(compile_store())
    sign_in(page, "viewer")
    page.goto(page.base + "/visuals/map/")
    drawn = _drawn(page, "map")
    assert drawn["countries"] >= 25
    assert "XIYAO-GZ" in drawn["spof"]
    shot(page, "63-visuals-demo-map-ja")
    page.goto(page.base + "/visuals/flows/")
    sankey = _drawn(page, "sankey")
    assert sankey["links"] > 20
    # The shared bar chart (visuals/charts.js) drew what our own sites buy, by country.
    wait_until(page, "window.econsecCharts && window.econsecCharts.drawn['vis-bought']")
    bars = page.evaluate("() => window.econsecCharts.drawn['vis-bought']")
    flows = page.evaluate("() => fetch('/api/visuals/flows').then(r => r.json())")
    top = sorted(flows["into_own"].values(), reverse=True)[:15]
    assert bars["kind"] == "bar" and bars["points"] == len(top)
    assert bars["total"] == pytest.approx(sum(top))
    rows = page.locator('[data-testid="chart-vis-bought"] tbody tr').count()
    assert rows == len(top)
    shot(page, "65-visuals-demo-flows-ja")
    page.goto(page.base + "/visuals/network/TOHO-HMM/P-EAX150/")
    network = _drawn(page, "network")
    assert "XIYAO-GZ" in network["spof"]
    # TTS < TTR as the stored site sweep says, for the sites this product's network shows.
    api = page.evaluate("() => fetch('/api/visuals/network/TOHO-HMM/P-EAX150').then(r => r.json())")
    rows = {r["id"]: r for r in sweep["rows"] if r["status"] == "ok"}
    expected = sorted(
        n["id"] for n in api["nodes"]
        if n["id"] in rows and rows[n["id"]]["tts_weeks"] is not None
        and rows[n["id"]]["tts_weeks"] < rows[n["id"]]["ttr_weeks"]
    )  # fmt: skip
    assert sorted(network["short"]) == expected and expected
    assert page.locator('[data-testid="network-sites"] tr[data-short="1"]').count() == len(expected)
    shot(page, "64-visuals-demo-network-ja")
