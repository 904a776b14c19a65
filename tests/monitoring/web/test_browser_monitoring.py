"""Browser test of the monitoring pages: from the inbox to an event, then triage it; the event's
map of the affected sites and its footprint.

Playwright with Debian's Chromium against the live server (as in tests/web/test_browser.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401  (fixture)
from tests.monitoring.web.test_pages import _gallium
from tests.visuals.web.test_visuals_browser import tile_server  # noqa: F401  (fixture)
from tests.web.test_browser import browser, page, shot, sign_in, wait_until  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def gallium_event(db: Any, settings: Any, tmp_path: Path) -> int:
    from econsec.governance import risks

    settings.DATA_DIR = tmp_path / "data"
    made = _gallium(db)
    risks.create("R-GA", actor="t", title_ja="ガリウム調達リスク", title_en="Gallium supply")
    return made


def test_inbox_to_event_to_triage(page: Any, gallium_event: int) -> None:  # noqa: F811
    sign_in(page, "analyst")
    page.goto(page.base + "/monitoring/")
    table = page.get_by_test_id("alerts-table")
    assert "中国、ガリウム・ゲルマニウムの輸出規制" in table.inner_text()
    shot(page, "monitoring-01-inbox-ja")
    table.get_by_role("link").first.click()
    page.get_by_test_id("products-table").wait_for()
    assert "P-DCDC3" in page.get_by_test_id("products-table").inner_text()
    assert page.get_by_test_id("severity").inner_text() == "高"
    page.select_option("select[name=status]", "confirmed")
    page.fill("input[name=owner]", "資材部")
    page.fill("textarea[name=note]", "仕入先に影響を確認中")
    page.select_option("select[name=risk_ref]", label="R-GA ガリウム調達リスク")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "影響確認"
    assert "仕入先に影響を確認中" in page.get_by_test_id("timeline").inner_text()
    assert page.get_by_test_id("risk").inner_text() == "R-GA ガリウム調達リスク"
    assert "中国" in page.get_by_test_id("footprint").inner_text()
    shot(page, "monitoring-02-event-ja")


def test_the_event_page_maps_the_affected_sites_and_the_footprint(
    page: Any,  # noqa: F811
    analysed_chain: Any,  # noqa: F811
) -> None:
    from econsec.monitoring import service
    from econsec.valuechain.models import Site

    Site.objects.filter(site_id="S2").update(latitude=31.23, longitude=121.47)
    Site.objects.filter(site_id="S6").update(latitude=21.03, longitude=105.85)
    service._cache.clear()
    fp = {"kind": "natural_hazard",
          "point": {"latitude": 31.0, "longitude": 121.0, "radius_km": 150},
          "polygons": [[[20.5, 105.3], [21.6, 105.3], [21.6, 106.4], [20.5, 106.4]]]}  # fmt: skip
    event = service.record({"kind": "natural_hazard", "title_en": "Typhoon", "title_ja": "台風",
                            "footprint": fp}, actor="t")  # fmt: skip
    sign_in(page, "viewer")
    page.goto(page.base + f"/monitoring/events/{event.pk}/")
    wait_until(page, "window.econsecVisuals && window.econsecVisuals.eventMap")
    drawn = page.evaluate("() => window.econsecVisuals.eventMap")
    rows = page.locator('[data-testid="event-map-sites"] tbody tr').count()
    assert drawn["markers"] == rows == 2
    assert drawn["footprint"] == 2 and drawn["vertices"] == [64, 4]
    assert page.locator("#vis-event-map canvas").count() >= 1
    shot(page, "monitoring-03-event-map-ja")


def test_the_event_map_draws_tiles_when_a_tile_server_is_set(
    page: Any,  # noqa: F811
    analysed_chain: Any,  # noqa: F811
    tile_server: tuple[str, list[str]],  # noqa: F811
    settings: Any,
) -> None:
    """The panel asks the configured server for tiles, and the event page's policy lets them in
    (the page fixture fails the test on any CSP report)."""
    import re

    from econsec.monitoring import service

    origin, asked = tile_server
    settings.ECONSEC_MAP_TILES = origin + "/osm/{z}/{x}/{y}.png"
    service._cache.clear()
    event = service.record({"kind": "plant_incident", "title_en": "Fire", "title_ja": "火災",
                            "footprint": {"kind": "plant_incident", "sites": ["S4", "S5"]}},
                           actor="t")  # fmt: skip
    sign_in(page, "viewer")
    page.goto(page.base + f"/monitoring/events/{event.pk}/")
    wait_until(page, "window.econsecVisuals && window.econsecVisuals.eventMap")
    drawn = page.evaluate("() => window.econsecVisuals.eventMap")
    assert 0 < drawn["tiles"] <= 64 and drawn["markers"] == 2
    page.wait_for_timeout(500)  # the tile images load after the chart is drawn
    assert asked and all(re.fullmatch(r"/osm/[0-9]+/[0-9]+/[0-9]+\.png", p) for p in asked)
    shot(page, "monitoring-04-event-map-tiles-ja")
