"""Every chart kind a section may carry is drawn: in the PDF as vectors (more path operators
on the page than without it) and in the HTML as a data: image holding an SVG with shapes; and
the demo's pages 2–3, rendered to PNG, show chart colours."""

from __future__ import annotations

import base64
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.shapes import String

from econsec.exposure.results import ExposureReport
from econsec.reports.draw import TTR_COLOUR, TTS_COLOUR, draw, nice_peak
from econsec.reports.html import board_html
from econsec.reports.model import Chart, Section
from econsec.reports.pdf import board_pdf
from econsec.reports.svgdraw import UnreadableSvg, svg_to_drawing

from .test_board_pages import _board
from .test_exports import OUT, _poppler
from .test_names import SLUG

BI = {"ja": "図", "en": "Chart"}
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">'
       '<rect width="200" height="100" fill="#fff"/><path d="M10,10 60,10 60,60Z" fill="#999"/>'
       '<circle cx="150" cy="50" r="20" fill="#D55E00" stroke="#222"/></svg>')  # fmt: skip
KINDS = {
    "heatmap": {"rows": [{"ja": "発生可能性 2", "en": "L2"}, {"ja": "発生可能性 1", "en": "L1"}],
                "cols": [{"ja": "影響度 1", "en": "I1"}, {"ja": "影響度 2", "en": "I2"}],
                "values": [[0.0, 3.0], [1.0, 0.0]]},
    "line": {"series": [{"name": {"ja": "指標", "en": "KRI"}, "x": ["2026-01-01", "2026-02-01",
             "2026-03-01"], "y": [4.0, 6.0, 5.0]}], "x_label": {"ja": "日付", "en": "Date"},
             "y_label": {"ja": "値", "en": "Value"}},
    "svg": {"svg": SVG},
}  # fmt: skip
SHAPES = {"heatmap": "<rect", "line": "<polyline", "svg": "<circle"}


def _chart(kind: str) -> Chart:
    return Chart(id=f"k-{kind}", kind=kind, title=BI, data=KINDS[kind], alt=BI)


def _shapes(node: Any) -> int:
    """Shapes other than text in a drawing, groups opened."""
    if hasattr(node, "contents"):
        return sum(_shapes(child) for child in node.contents)
    return 0 if isinstance(node, String) else 1


def _operators(pdf: bytes, page: int) -> int:
    """Path-painting and path-building operators on ``page`` (0-based)."""
    data = PdfReader(BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")
    return len(re.findall(r"(?m)(?:^|\s)(?:re|l|c|f|S|B|f\*|B\*)(?=\s|$)", data))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_drawn_in_pdf_and_html(exposure: ExposureReport, kind: str) -> None:
    plain = _board(exposure)
    with_chart = _board(exposure)
    section = Section(id="extra", title={"ja": "追加", "en": "Extra"}, charts=[_chart(kind)])
    with_chart.sections = [section]  # type: ignore[attr-defined]
    for lang in ("ja", "en"):
        before = _operators(board_pdf(plain, lang), 1)  # type: ignore[arg-type]
        after = sum(_operators(board_pdf(with_chart, lang), p) for p in (1, 2))  # type: ignore[arg-type]
        assert after - before >= 4, (kind, before, after)
        html = board_html(with_chart, lang)  # type: ignore[arg-type]
        found = re.search(rf'<figure id="chart-k-{kind}" data-kind="{kind}"><img src="data:image/'
                          r'svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)  # fmt: skip
        assert found, kind
        assert SHAPES[kind] in base64.b64decode(found.group(1)).decode()
    # Drawn, not the placeholder that only repeats the title and the text alternative.
    assert _shapes(draw(_chart(kind), "ja", 300)) >= 3


def test_a_broken_contributed_chart_falls_back_to_words() -> None:
    broken = Chart(id="b", kind="heatmap", title=BI, data={"rows": []}, alt=BI)
    assert _shapes(draw(broken, "ja", 300)) == 0
    with pytest.raises(UnreadableSvg):
        svg_to_drawing('<!DOCTYPE x [<!ENTITY a "b">]><svg>&a;</svg>', 100)


def test_svg_subset_is_redrawn_to_scale() -> None:
    drawing = svg_to_drawing(SVG, 400)
    assert (drawing.width, drawing.height) == (400, 200)
    group = drawing.contents[0]
    # Flipped and scaled once: SVG's y runs down, the PDF's up.
    assert group.transform == (2.0, 0, 0, -2.0, 0, 200)
    kinds = [type(s).__name__ for s in group.contents]
    assert kinds == ["Rect", "Path", "Circle"]
    # "#999" is CSS's grey, not the number 0x999.
    assert group.contents[1].fillColor.hexval() == "0x999999"


def test_round_axis_ends() -> None:
    assert [nice_peak(v) for v in (1.0, 1.05, 14, 26.0, 49.0, 0.45, 0)] == pytest.approx(
        [1, 1.2, 16, 32, 60, 0.6, 1]
    )


def test_demo_pages_two_and_three_show_charts(tmp_path: Path) -> None:
    """The demo company with its example scenarios and a map: pages 2–3 rendered to PNG carry
    the charts' colours (written to test-output/report-pages/ for a person to look at)."""
    pdftoppm = _poppler("pdftoppm")
    from benchmarks.reports.__main__ import SCENARIOS, _tags
    from econsec.exposure.analyse import Options, analyse
    from econsec.reports.assemble import StoredScenario, assemble
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.engine import Engine
    from econsec.valuechain.compile import compile_tables
    from econsec.valuechain.generators.demo import demo_company
    from econsec.visuals.report import section_for
    from econsec.visuals.sitemap import site_map

    chain = compile_tables(demo_company())
    engine = Engine(chain)
    scenarios = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(str(path))
        names = {"ja": scenario.name("ja"), "en": scenario.name("en")}
        scenarios.append(StoredScenario(names, run_scenario(engine, scenario)))
    report = analyse(chain, Options())
    board = assemble(report, item_tags=_tags(chain), home={"JP"}, scenarios=scenarios,
                     created_at="demo", site_names=dict(zip(chain.site_ids, chain.site_names,
                     strict=True)))  # fmt: skip
    board.sections = [section_for(site_map(chain, report, {}, set()))]
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "board-ja.pdf"
    pdf.write_bytes(board_pdf(board, "ja"))
    assert len(board.findings) <= 5
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert not SLUG.findall(text), SLUG.findall(text)[:10]
    prefix = OUT / "demo-charts-ja"
    subprocess_run = __import__("subprocess").run
    subprocess_run([pdftoppm, "-r", "40", "-f", "2", "-l", "3", "-png", str(pdf), str(prefix)],
                   check=True)  # fmt: skip
    pages = sorted(OUT.glob("demo-charts-ja-*.png"))
    assert len(pages) == 2
    for page in pages:
        image = Image.open(page).convert("RGB")
        pixels = [image.getpixel((x, y)) for y in range(image.height) for x in range(image.width)]
        # Chart ink: coloured bars, dots and shaded countries (text is grey-scale), or a map's
        # light-grey land.
        coloured = sum(1 for p in pixels if max(p) - min(p) > 25)
        land = sum(1 for p in pixels if max(p) - min(p) < 6 and 225 <= min(p) <= 245)
        assert coloured > 300 or land > 5000, (page.name, coloured, land)
    page2 = Image.open(pages[0]).convert("RGB")
    wanted = [tuple(round(c * 255) for c in colour.rgb()) for colour in (TTS_COLOUR, TTR_COLOUR)]
    seen = {page2.getpixel((x, y)) for y in range(page2.height) for x in range(page2.width)}
    # Page 2 holds the time-to-survive against time-to-recover bars in their own colours.
    assert all(any(sum(abs(a - b) for a, b in zip(p, w, strict=True)) < 30 for p in seen)
               for w in wanted)  # fmt: skip


def test_svg_text_is_redrawn_upright_with_its_size_and_anchor() -> None:
    text = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
            '<g font-size="11" fill="#222"><text x="20" y="30" text-anchor="end">CN  '
            '¥1,200</text><text x="5" y="90" font-size="7">T2</text></g></svg>')  # fmt: skip
    drawing = svg_to_drawing(text, 400)
    (group,) = drawing.contents[0].contents
    first, second = group.contents
    label = first.contents[0]
    assert (label.text, label.fontSize, label.textAnchor) == ("CN ¥1,200", 11.0, "end")
    assert label.fillColor.hexval() == "0x222222"
    # Placed at (x, y) in SVG units and flipped back upright inside the flipped picture.
    assert first.transform == (1, 0, 0, -1, 20.0, 30.0)
    assert (second.contents[0].text, second.contents[0].fontSize) == ("T2", 7.0)


def _texts(node: Any) -> list[str]:
    if isinstance(node, String):
        return [node.text]
    return [t for child in getattr(node, "contents", []) for t in _texts(child)]


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("Largest flows: " + ", ".join(f"CN → JP {i},000 t of rare-earth oxide" for i in range(6)),
         " "),
        ("最大の流れ:" + "、".join(f"中国から日本へ希土類酸化物{i}千トン" for i in range(5)) + "。", ""),
    ],
)  # fmt: skip
def test_a_pictures_caption_is_wrapped_not_cut(text: str, sep: str) -> None:
    from econsec.reports.draw import FONT_SIZE, _width, wrap

    width = 240.0
    lines = wrap(text, FONT_SIZE, width)
    assert 1 < len(lines) <= 4
    assert all(_width(line, FONT_SIZE) <= width for line in lines)
    assert sep.join(lines) == " ".join(text.split())  # nothing lost, nothing cut
    assert not any(line[0] in "、。」" for line in lines)  # no line opens with closing marks
    chart = Chart(id="pic", kind="svg", title=BI, data={"svg": SVG},
                  alt={"ja": text, "en": text})  # fmt: skip
    drawn = "".join(_texts(draw(chart, "ja", width)))
    assert all(line.replace(" ", "") in drawn.replace(" ", "") for line in lines)


def test_a_caption_too_long_for_its_lines_ends_with_an_ellipsis() -> None:
    from econsec.reports.draw import CAPTION_LINES, FONT_SIZE, _width, wrap

    lines = wrap("希土類" * 400, FONT_SIZE, 200.0)
    assert len(lines) == CAPTION_LINES and lines[-1].endswith("…")
    assert all(_width(line, FONT_SIZE) <= 200.0 for line in lines)
