"""Contributed SVG pictures redrawn for the board report's PDF: entity tricks, oversized or
malformed documents and foreign elements are refused or skipped, fast, and the report still
builds with the chart's title and text alternative in its place."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import String

from econsec.reports.draw import draw
from econsec.reports.model import Chart
from econsec.reports.svgdraw import MAX_SVG_BYTES, UnreadableSvg, svg_to_drawing

from .budget import measured

BI = {"ja": "地図", "en": "Map"}
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">' for i in
              range(1, 10))
    + ']><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>&lol9;</title></svg>'
)  # fmt: skip
CASES = {
    "entities": BILLION_LAUGHS,
    "external": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    "too_large": "<svg>" + " " * (MAX_SVG_BYTES + 1) + "</svg>",
    "not_svg": "<html><body>hi</body></html>",
    "no_size": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
    "bad_path": '<svg viewBox="0 0 10 10"><path d="M 1 1 X 5 5"/></svg>',
    "truncated": '<svg viewBox="0 0 10 10"><path d="M1,1 L',
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_svg_is_refused_fast(case: str) -> None:
    chart = Chart(id="m", kind="svg", title=BI, data={"svg": CASES[case]}, alt=BI)
    with measured() as spent:
        with pytest.raises((UnreadableSvg, ValueError, IndexError)):
            svg_to_drawing(CASES[case], 400)
        drawing = draw(chart, "ja", 400)
    spent.check()
    # In the report: the title and the text alternative, nothing else.
    assert [type(s) for s in drawing.contents] == [String, String]


def test_foreign_elements_are_skipped() -> None:
    text = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
            '<image href="http://example.invalid/x.png"/><foreignObject><p>x</p></foreignObject>'
            '<rect width="5" height="5" fill="url(#g)"/></svg>')  # fmt: skip
    drawing = svg_to_drawing(text, 100)
    assert [type(s).__name__ for s in drawing.contents[0].contents] == ["Rect"]
    assert drawing.contents[0].contents[0].fillColor is None
