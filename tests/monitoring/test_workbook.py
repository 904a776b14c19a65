"""Events from a workbook (`econsec events import x.xlsx`): the gallium bar through a
workbook, and all-or-nothing located errors in ja and en."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring.models import Alert, Event
from econsec.monitoring.workbook import COLUMNS
from tests.monitoring.test_store_and_cli import demo

__all__ = ["demo"]
runner = CliRunner()
HEADER = [
    "key",
    "title_en",
    "title_ja",
    "kind",
    "countries",
    "mineral_tags",
    "effective_on",
    "expected_end_on",
    "latitude",
    "longitude",
    "radius_km",
]
GALLIUM = [
    "ga",
    "China restricts gallium and germanium exports",
    "中国、ガリウム・ゲルマニウムの輸出規制",
    "export_restriction",
    "CN",
    "gallium, germanium",
    "2026-03-01",
    "2026-08-31",
    None,
    None,
    None,
]
QUAKE = [
    "q",
    "Earthquake near Kumamoto",
    None,
    "natural_hazard",
    "JP",
    None,
    None,
    None,
    32.8,
    130.7,
    30,
]


def book(path: Path, *rows: list[Any], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "events"
    ws.append(header)
    ws.append(["(labels)"] * len(header))
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_workbook_import_lists_the_gallium_products(demo: None, tmp_path: Path) -> None:
    path = book(tmp_path / "events.xlsx", GALLIUM, QUAKE)
    out = runner.invoke(app, ["events", "import", str(path), "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert "2 events" in out.output
    for product in ("P-OBC11", "P-OBC22", "P-DCDC3", "P-SRV04", "P-SRV20"):
        assert product in out.output
    ga = Alert.objects.get(event__title_en=GALLIUM[1])
    assert {p["item"] for p in ga.impact["products"] if p["stopped"]} == {
        "P-OBC11",
        "P-OBC22",
        "P-DCDC3",
    }
    assert ga.impact["stress"]["weeks"] * 7 == 183  # 1 March to 31 August
    quake = Event.objects.get(title_en=QUAKE[1])
    assert quake.footprint["point"] == {"latitude": 32.8, "longitude": 130.7, "radius_km": 30.0}
    again = runner.invoke(app, ["events", "import", str(path), "--lang", "en", "--no-tts"])
    assert "(2 already there)" in again.output and Event.objects.count() == 2
    assert set(HEADER) <= set(COLUMNS)


def test_every_problem_is_located_and_nothing_is_written(demo: None, tmp_path: Path) -> None:
    bad_country = [*GALLIUM[:4], "China", *GALLIUM[5:]]
    bad_date = [*QUAKE[:6], "2026-02-30", *QUAKE[7:]]
    bad_lat = [*QUAKE[:8], "north", *QUAKE[9:]]
    path = book(tmp_path / "bad.xlsx", GALLIUM, bad_country, bad_date, bad_lat)
    for lang, words in (
        ("en", ["row 4", "countries", "CHINA", "row 5", "2026-02-30", "row 6", "north", "number"]),
        ("ja", ["4 行", "countries", "5 行", "2026-02-30", "6 行", "数値"]),
    ):
        out = runner.invoke(app, ["events", "import", str(path), "--lang", lang])
        assert out.exit_code == 1
        for word in words:
            assert word in out.output, (lang, word, out.output)
    assert Event.objects.count() == 0
    unknown = book(tmp_path / "h.xlsx", GALLIUM, header=[*HEADER[:-1], "radius"])
    out = runner.invoke(app, ["events", "import", str(unknown), "--lang", "en"])
    assert out.exit_code == 1 and "radius" in out.output and "K" in out.output
    assert Event.objects.count() == 0
