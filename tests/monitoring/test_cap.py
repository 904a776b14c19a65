"""CAP 1.2 alerts (JMA- and GDACS-shaped fixtures written for these tests) into events: areas
to places checked against a plain geometric computation on the demo sites, language blocks,
dates, severity, exercises skipped, a broken alert refused while the others come in."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring import service
from econsec.monitoring.cap import parse_cap
from econsec.monitoring.match import match, site_mask
from econsec.monitoring.models import Event
from econsec.valuechain.generators.demo import demo_company
from tests.monitoring.independent import supply_graph, touched_by_walk
from tests.monitoring.test_store_and_cli import _Handler, demo, server

__all__ = ["demo", "server"]
CAP = Path(__file__).with_name("fixtures") / "cap"
runner = CliRunner()


def _demo_sites() -> list[dict[str, Any]]:
    return list(demo_company()["sites"])


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_jma_alert_reads_both_languages_dates_and_places() -> None:
    result = parse_cap((CAP / "jma_kumamoto.xml").read_bytes(), "jma")
    assert result.problems == [] and result.skipped == 0
    (alert,) = result.events
    assert alert.titles == {
        "ja": "熊本県熊本地方で震度7の地震",
        "en": "Seismic intensity 7 earthquake in Kumamoto",
    }
    assert alert.sent is not None and alert.sent.isoformat() == "2026-04-16T01:25:00+09:00"
    assert alert.expires is not None and alert.expires.date().isoformat() == "2026-05-14"
    fp = alert.footprint
    assert (fp.kind, alert.severity) == ("natural_hazard", "Extreme")
    assert fp.countries == ("JP",) and fp.regions == ("熊本県",)
    # Two info blocks with the same polygon; the closing vertex is dropped.
    assert len(fp.polygons) == 2 and len(fp.polygons[0]) == 4
    assert ("cap_severity", "Extreme", "<severity>Extreme</severity>") in alert.inferences


def test_jma_alert_on_the_demo_hits_the_sites_inside(demo: None) -> None:
    report = service.ingest(None, (CAP / "jma_kumamoto.xml").read_bytes(), "jma")
    assert report.new == 1 and report.problems == []
    event = Event.objects.get()
    assert event.title_ja.startswith("熊本県") and str(event.expected_end_on) == "2026-05-14"
    index, _ = service.chain_index()
    fp = service.footprint_of(event)
    got = {index.chain.site_ids[i] for i in np.flatnonzero(site_mask(index, fp))}
    # Independently: in Japan, and inside the rectangle or in Kumamoto prefecture.
    want = {
        s["site_id"]
        for s in _demo_sites()
        if s.get("country") == "JP"
        and (
            (
                32.6 <= float(s.get("latitude") or 0) <= 33.1
                and 130.5 <= float(s.get("longitude") or 0) <= 131.0
            )
            or s.get("region") == "熊本県"
        )
    }
    assert got == want and {"TOHO-KMM", "HYUGA-KMT"} <= got
    hits = match(index, fp)
    chain = index.chain
    walked = touched_by_walk(chain, supply_graph(chain), hits.nodes.tolist(), hits.links.tolist())
    products = {(p["item"], p["site"]) for p in event.alert.impact["products"]}
    assert products == {
        (chain.item_ids[chain.node_item[n]], chain.site_ids[chain.node_site[n]]) for n in walked
    }
    assert products and event.alert.severity != "none"
    reasons = [k for p in event.alert.impact["products"] for k, _ in p["reasons"]]
    assert "monitoring.reason.site_in_area" in reasons
    again = service.ingest(None, (CAP / "jma_kumamoto.xml").read_bytes(), "jma")
    assert (again.new, again.duplicates) == (0, 1)


def test_gdacs_feed_circle_exercise_and_a_broken_alert(demo: None) -> None:
    out = runner.invoke(
        app,
        [
            "events",
            "fetch",
            "--cap",
            "--file",
            str(CAP / "gdacs_mixed.xml"),
            "--source",
            "gdacs",
            "--lang",
            "en",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "alert 3 cannot be read" in out.output and "polygon" in out.output
    event = Event.objects.get()
    assert event.url.endswith("eventid=1400001") and event.footprint["countries"] == ["TW"]
    index, _ = service.chain_index()
    got = {
        index.chain.site_ids[i]
        for i in np.flatnonzero(site_mask(index, service.footprint_of(event)))
    }
    want = {
        s["site_id"]
        for s in _demo_sites()
        if s.get("country") == "TW"
        and s.get("latitude") is not None
        and _haversine(24.8, 121.0, float(s["latitude"]), float(s["longitude"])) <= 40
    }
    assert got == want and "TJSC-HC" in got and "TJSC-TN" not in got


def test_a_cap_source_is_polled_like_a_feed(demo: None, server: str) -> None:
    from econsec.monitoring.models import Source

    body = (CAP / "jma_kumamoto.xml").read_bytes()
    _Handler.routes = {"/cap": lambda req: (200, {"Content-Type": "application/xml"}, body)}
    source = service.add_source("JMA", f"{server}/cap", kind="cap", interval_minutes=5)
    report = service.fetch_source(source)
    assert report.new == 1 and report.error is None
    assert Event.objects.get().source == Source.objects.get(name="JMA")
