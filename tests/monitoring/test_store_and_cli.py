"""Events in the store on the demo company: `econsec events`, feeds from a local server,
all-or-nothing imports, the response room, the report section."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring import service
from econsec.monitoring.models import Alert, AlertNote, Event, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).with_name("fixtures")
runner = CliRunner()

GALLIUM = """
events:
  - key: ga
    title_en: China restricts gallium and germanium exports
    expected_end_on: 2026-08-31
    effective_on: 2026-03-01
    footprint: {kind: export_restriction, countries: [CN], mineral_tags: [gallium, germanium]}
"""


@pytest.fixture
def demo(db: None) -> None:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    service._cache.clear()


def test_import_lists_gallium_products_with_revenue_and_tts(demo: None, tmp_path: Path) -> None:
    path = tmp_path / "ga.yaml"
    path.write_text(GALLIUM, encoding="utf-8")
    out = runner.invoke(app, ["events", "import", str(path), "--lang", "en"])
    assert out.exit_code == 0, out.output
    for product in ("P-OBC11", "P-OBC22", "P-DCDC3", "P-SRV04", "P-SRV20"):
        assert product in out.output
    assert "TTS" in out.output and "Stress test: TTS" in out.output
    alert = Alert.objects.get()
    assert alert.severity == "high" and alert.impact["stress"]["weeks"] == pytest.approx(183 / 7)
    stopped = {p["item"] for p in alert.impact["products"] if p["stopped"]}
    assert stopped == {"P-OBC11", "P-OBC22", "P-DCDC3"}
    assert alert.impact["revenue_stopped"] > 0
    again = runner.invoke(app, ["events", "import", str(path), "--lang", "en", "--no-tts"])
    assert "0 events (1 already there)" in again.output and Event.objects.count() == 1


def test_import_is_all_or_nothing_with_a_located_error(demo: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        GALLIUM + "  - title_en: Bad\n    footprint: {kind: meteor}\n", encoding="utf-8"
    )
    out = runner.invoke(app, ["events", "import", str(path), "--lang", "ja"])
    assert out.exit_code == 1
    assert "bad.yaml: events[1].footprint" in out.output and "meteor" in out.output
    assert Event.objects.count() == 0


def test_triage_keeps_a_timeline(demo: None, tmp_path: Path) -> None:
    path = tmp_path / "ga.yaml"
    path.write_text(GALLIUM, encoding="utf-8")
    runner.invoke(app, ["events", "import", str(path), "--no-tts"])
    event = Event.objects.get()
    out = runner.invoke(
        app,
        ["events", "triage", str(event.pk), "--status", "confirmed", "--owner", "調達部",
         "--risk", "R-002", "--note", "supplier asked", "--actor", "analyst", "--lang", "en"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    alert = Alert.objects.get()
    assert (alert.status, alert.owner, alert.risk_ref) == ("confirmed", "調達部", "R-002")
    kinds = list(AlertNote.objects.filter(alert=alert).values_list("kind", flat=True))
    assert kinds == ["created", "status", "owner", "risk", "note"]
    bad = runner.invoke(app, ["events", "triage", str(event.pk), "--status", "done"])
    assert bad.exit_code == 1


def test_correction_keeps_the_inferred_footprint(demo: None) -> None:
    created, _ = service.import_events(
        [{"title_en": "x", "footprint": {"kind": "regulation", "countries": ["CN"]}}], "t"
    )
    event = service.correct(
        created[0], {"kind": "export_restriction", "countries": ["CN"], "mineral_tags": ["gallium"]},
        actor="analyst",
    )  # fmt: skip
    assert event.inferred == {"kind": "regulation", "countries": ["CN"]}
    assert event.alert.impact["products"]


def test_report_section(demo: None, tmp_path: Path) -> None:
    from econsec.monitoring.report import section

    assert section("v") is None
    path = tmp_path / "ga.yaml"
    path.write_text(GALLIUM, encoding="utf-8")
    runner.invoke(app, ["events", "import", str(path), "--no-tts"])
    built = section("v" * 64)
    assert built is not None and built.tables[0].rows[0][2]["ja"] == "高"
    stopped = built.tables[0].rows[0][5]
    from econsec.valuechain.models import Item

    item = Item.objects.get(item_id="P-OBC11")
    assert f"{item.name} (P-OBC11)" in stopped["ja"]  # named, with the code beside
    assert f"{item.name_en or item.name} (P-OBC11)" in stopped["en"]


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Any] = {}

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body = route(self)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _feed(name: str) -> Any:
    body = (FIXTURES / name).read_bytes()

    def route(req: Any) -> tuple[int, dict[str, str], bytes]:
        if req.headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}, body

    return route


def test_fetch_from_a_local_server(demo: None, server: str) -> None:
    _Handler.routes = {
        "/malformed": _feed("malformed_item.rss"),
        "/good": _feed("good.rss"),
        "/evil": _feed("entities.rss"),
        "/away": lambda req: (302, {"Location": "http://example.invalid/feed"}, b""),
    }
    for name in ("malformed", "good", "evil", "away"):
        Source.objects.create(name=name, url=f"{server}/{name}")
    reports = {r.source: r for r in service.fetch_due()}
    # One malformed item between two good ones: the good ones come in, the error is shown.
    assert reports["malformed"].new == 2 and reports["malformed"].problems
    assert "item 2 has no title" in Source.objects.get(name="malformed").last_error
    assert reports["good"].new == 2
    assert (
        reports["evil"].error is not None and reports["evil"].error.key == "monitoring.feed.doctype"
    )
    assert (
        reports["away"].error is not None
        and reports["away"].error.key == "monitoring.fetch.redirect"
    )
    evil = Source.objects.get(name="evil")
    assert evil.failures == 1 and evil.next_run_at is not None
    ga = Event.objects.get(title_en="China restricts gallium and germanium exports")
    assert ga.kind == "export_restriction" and ga.alert.severity == "high"
    assert ["mineral_tags", "gallium", "gallium"] in ga.inferences
    # Polite: the second run sends the ETag, the server answers 304, nothing is duplicated.
    again = {r.source: r for r in service.fetch_due(force=True)}
    assert again["good"].not_modified and Event.objects.count() == 4
    out = runner.invoke(app, ["events", "sources", "--lang", "en"])
    assert "evil" in out.output and "document type" in out.output
