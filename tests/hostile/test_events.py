"""Hostile event files and feed files (`econsec events import`, `econsec events fetch --file`):
a located error in ja and en within the budget, nothing stored, the process alive."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring.feeds import MAX_FEED_BYTES
from econsec.monitoring.models import Event
from tests.hostile import files
from tests.hostile.budget import measured

runner = CliRunner()
FEEDS = Path(__file__).resolve().parents[1] / "monitoring" / "fixtures"
GOOD = "  - {title_en: ok, footprint: {kind: tariff, countries: [US]}}\n"
EVENT_CASES: dict[str, tuple[str, list[str]]] = {
    "aliases": (
        "events:\n  - &e {title_en: x, footprint: {kind: tariff, countries: ["
        + ", ".join(["US"] * 1000)
        + "]}}\n"
        + "  - *e\n" * 2000,
        ["ev.yaml"],
    ),
    "unknown kind": (
        "events:\n" + GOOD + "  - {title_en: y, footprint: {kind: meteor}}\n",
        ["events[1]", "meteor"],
    ),
    "bad date": (
        "events:\n  - {title_en: y, announced_on: 2026-13-45, footprint: {kind: tariff}}\n",
        ["ev.yaml", "month"],
    ),
    "not a list": ("events: 3\n", ["ev.yaml"]),
    "no title": ("events:\n  - {footprint: {kind: tariff}}\n", ["events[0]"]),
    **{
        name: (f'events:\n  - {{title_en: "a{text}b", footprint: {{kind: tariff}}}}\n', ["ev.yaml"])
        for name, text in files.CHARACTERS.items()
    },
}


@pytest.mark.parametrize("name", list(EVENT_CASES))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hostile_event_files(db: None, tmp_path: Path, name: str, lang: str) -> None:
    text, where = EVENT_CASES[name]
    path = tmp_path / "ev.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with measured() as spent:
        out = runner.invoke(app, ["events", "import", str(path), "--no-tts", "--lang", lang])
    spent.check()
    assert out.exit_code == 1, out.output
    for part in where:
        assert part in out.output, out.output
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "key_text"),
    [
        ("entities.rss", {"ja": "DOCTYPE", "en": "DOCTYPE"}),
        ("external.rss", {"ja": "DOCTYPE", "en": "DOCTYPE"}),
    ],
)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hostile_feed_files(db: None, name: str, key_text: dict[str, str], lang: str) -> None:
    with measured() as spent:
        out = runner.invoke(app, ["events", "fetch", "--file", str(FEEDS / name), "--lang", lang])
    spent.check()
    assert out.exit_code == 1 and key_text[lang] in out.output
    assert Event.objects.count() == 0


def test_oversized_feed_file(db: None, tmp_path: Path) -> None:
    path = files.oversized(tmp_path / "big.rss", MAX_FEED_BYTES + 1)
    with measured() as spent:
        out = runner.invoke(app, ["events", "fetch", "--file", str(path), "--lang", "en"])
    spent.check()
    assert out.exit_code == 1 and "too large" in out.output
