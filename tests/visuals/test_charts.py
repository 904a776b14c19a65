"""The shared chart helper: the spec the page's module draws and the table beside it carry the
same numbers; bad numbers are refused; board-report charts convert in either language."""

from __future__ import annotations

import html
import json
import math

import pytest

from econsec.reports.model import Chart
from econsec.visuals.charts import bar, from_report, line


def test_bar_spec_and_table_carry_the_same_numbers() -> None:
    c = bar("c1", "Bought", ["中国", "<b>JP</b>", "??"], [1500.0, 2.5, None], "JPY", "alt",
            label_header="Country")  # fmt: skip
    spec = json.loads(c.json)
    assert spec == {"kind": "bar", "title": "Bought", "labels": ["中国", "<b>JP</b>", "??"],
                    "values": [1500.0, 2.5, None], "unit": "JPY"}  # fmt: skip
    assert c.headers == ["Country", "JPY"]
    assert c.rows == [["中国", "1,500"], ["<b>JP</b>", "2.5"], ["??", "—"]]
    with pytest.raises(ValueError, match="c2\\[1\\]"):
        bar("c2", "t", ["a", "b"], [1.0, math.nan], "u", "alt")
    with pytest.raises(ValueError, match="2 labels but 1 values"):
        bar("c3", "t", ["a", "b"], [1.0], "u", "alt")


def test_line_aligns_category_series_and_keeps_numeric_x_to_scale() -> None:
    c = line("k", "KRI", [{"name": "A", "x": ["2026-01", "2026-02"], "y": [1, 2]},
                          {"name": "B", "x": ["2026-02", "2026-03"], "y": [5, None]}],
             "month", "value", "alt")  # fmt: skip
    spec = json.loads(c.json)
    assert spec["x_type"] == "category"
    assert spec["categories"] == ["2026-01", "2026-02", "2026-03"]
    assert [s["data"] for s in spec["series"]] == [[1, 2, None], [None, 5, None]]
    assert c.rows == [["2026-01", "1", "—"], ["2026-02", "2", "5"], ["2026-03", "—", "—"]]
    curve = line("lec", "LEC", [{"name": "P", "x": [0.5, 0.1], "y": [10, 1000]}], "p", "¥", "a")
    spec = json.loads(curve.json)
    assert spec["x_type"] == "value" and spec["series"][0]["data"] == [[0.5, 10], [0.1, 1000]]
    assert curve.rows == [["0.1", "1,000"], ["0.5", "10"]]


def test_report_charts_convert_in_either_language() -> None:
    chart = Chart(
        id="country",
        kind="bar",
        title={"ja": "国別", "en": "By country"},
        data={"labels": [{"ja": "中国", "en": "China"}], "values": [0.4],
              "unit": {"ja": "割合", "en": "share"}},
        alt={"ja": "代替", "en": "alt"},
    )  # fmt: skip
    ja, en = from_report(chart, "ja"), from_report(chart, "en")
    assert json.loads(ja.json)["labels"] == ["中国"] and json.loads(en.json)["labels"] == ["China"]
    assert en.title == "By country" and en.headers[1] == "share"
    with pytest.raises(ValueError):
        from_report(Chart("m", "svg", chart.title, {"svg": ""}, chart.alt), "en")


def test_the_spec_is_inert_text_in_the_template() -> None:
    from django.template.loader import render_to_string

    c = bar("x", "t", ['"><script>alert(1)</script>'], [1.0], "u", "alt")
    page = render_to_string("visuals/_chart.html", {"chart": c})
    assert "<script>" not in page
    attribute = page.split('data-econsec-chart="', 1)[1].split('"', 1)[0]
    assert json.loads(html.unescape(attribute))["labels"] == ['"><script>alert(1)</script>']
