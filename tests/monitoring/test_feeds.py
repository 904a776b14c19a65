"""Feeds: RSS and Atom read item by item; hostile documents refused with the source named."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.monitoring.classify import classify
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.feeds import MAX_FEED_BYTES, parse_feed

FIXTURES = Path(__file__).with_name("fixtures")


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss_items_and_a_refused_item() -> None:
    result = parse_feed(_read("good.rss"), "trade")
    assert [i.title for i in result.items] == [
        "China restricts gallium and germanium exports",
        "Taiwan Strait closed to shipping after drills",
    ]
    assert [p.key for p in result.problems] == ["monitoring.feed.item_no_title"]
    assert "3" in result.problems[0].message("en") and "trade" in result.problems[0].message("ja")
    assert result.items[0].published is not None and result.items[0].published.year == 2026
    again = parse_feed(_read("good.rss"), "trade")
    assert [i.key for i in again.items] == [i.key for i in result.items]  # stable keys: dedup


def test_atom() -> None:
    result = parse_feed(_read("good.atom"), "jp")
    assert [i.url for i in result.items] == ["https://jp.example/a1"] and not result.problems


@pytest.mark.parametrize("name", ["entities.rss", "external.rss"])
def test_document_type_declarations_are_refused(name: str) -> None:
    with pytest.raises(MonitoringError) as caught:
        parse_feed(_read(name), "evil")
    assert caught.value.key == "monitoring.feed.doctype"
    assert "evil" in caught.value.message("ja")


def test_doctype_in_utf16_is_refused() -> None:
    body = _read("entities.rss").decode().replace('encoding="utf-8"', "").encode("utf-16")
    with pytest.raises(MonitoringError):
        parse_feed(body, "evil")


def test_oversized_body_is_refused_before_parsing() -> None:
    body = b"<rss>" + b" " * (MAX_FEED_BYTES + 1) + b"</rss>"
    with pytest.raises(MonitoringError) as caught:
        parse_feed(body, "big")
    assert caught.value.key == "monitoring.feed.too_large"


def test_odd_unicode_and_bad_links_refuse_only_their_item() -> None:
    result = parse_feed(_read("unicode.rss"), "u")
    assert [i.title for i in result.items] == ["Fine item"]
    keys = [(p.key, p.params.get("position"), p.params.get("char", "")) for p in result.problems]
    assert keys[0][:2] == ("monitoring.feed.item_bad_character", 2) and "U+202E" in keys[0][2]
    assert keys[1][:2] == ("monitoring.feed.item_bad_character", 3) and "U+200B" in keys[1][2]
    assert keys[2][:2] == ("monitoring.feed.item_bad_link", 4)


def test_malformed_xml_keeps_the_good_items_and_says_so() -> None:
    result = parse_feed(_read("malformed.rss"), "m")
    titles = [i.title for i in result.items]
    assert "First good" in titles and "Second good" in titles
    assert result.problems[0].key == "monitoring.feed.not_well_formed"


def test_garbage_is_an_error_not_a_crash() -> None:
    with pytest.raises(MonitoringError):
        parse_feed(b"\x00\x01 not a feed <<<", "g")


@pytest.mark.parametrize(
    ("text", "kind", "countries", "minerals", "chokepoints"),
    [
        (
            "China restricts gallium and germanium exports",
            "export_restriction",
            ("CN",),
            ("gallium", "germanium"),
            (),
        ),
        (
            "中国、ガリウムとゲルマニウムの輸出規制を発表",
            "export_restriction",
            ("CN",),
            ("gallium", "germanium"),
            (),
        ),
        (
            "商务部：对镓、锗相关物项实施出口管制",
            "export_restriction",
            ("CN",),
            ("gallium", "germanium"),
            (),
        ),
        ("Taiwan Strait closed to shipping after drills", "closure", (), (), ("taiwan_strait",)),
        ("静岡県西部で地震", "natural_hazard", ("JP",), (), ()),
        ("Local festival draws crowds", "regulation", (), (), ()),
    ],
)
def test_classification_with_reasons(
    text: str, kind: str, countries: tuple, minerals: tuple, chokepoints: tuple
) -> None:
    result = classify(text)
    fp = result.footprint
    assert (fp.kind, fp.countries, fp.mineral_tags, fp.chokepoints) == (
        kind,
        countries,
        minerals,
        chokepoints,
    )
    for field_name, _value, word in result.inferences:
        assert word.casefold() in text.casefold() or field_name == "countries"


def test_counterparty_names_become_orgs() -> None:
    result = classify(
        "US adds Xinli Semiconductor to the entity list", "", {"Xinli Semiconductor": "XINLI"}
    )
    assert result.footprint.kind == "sanction" and result.footprint.orgs == ("XINLI",)
