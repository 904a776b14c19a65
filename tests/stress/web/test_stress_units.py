"""Pure parts of the stress pages: chart geometry, label fitting, spreadsheet neutralising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.stress.web.chart import (
    LABEL_WIDTH,
    PLOT_WIDTH,
    Bar,
    axis_max_for_tts,
    fit_label,
    hbar_chart,
    nice_step,
)
from econsec.stress.web.export import neutralise
from econsec.stress.web.run import scenario_from_form, split_ids


def test_nice_steps() -> None:
    assert [nice_step(x) for x in (10, 12, 24, 1, 0.9, 1000)] == [2, 5, 5, 0.2, 0.2, 200]


def test_axis_covers_ttr_and_clips_far_tts() -> None:
    # 1.5 × TTR = 12 at least; the longest finite TTS (100) is capped at 3 × TTR = 24 → 25.
    assert axis_max_for_tts([2.5, None, 100.0], 8.0) == 25
    assert axis_max_for_tts([None, None], 8.0) == 15  # 12 rounded up to a step of 5
    assert axis_max_for_tts([15.0], 8.0) == 15


def test_bars_are_to_scale_with_the_marker_at_ttr() -> None:
    chart = hbar_chart(
        [Bar("A", 2.5, "2.5", "material"), Bar("B", None, "∞", "ok"), Bar("C", 100.0, "100")],
        25.0,
        marker=8.0,
        marker_label="TTR",
    )
    a, b, c = chart["rows"]
    assert a["width"] == 2.5 * PLOT_WIDTH / 25 and not a["clipped"]
    assert b["width"] == c["width"] == PLOT_WIDTH and b["clipped"] and c["clipped"]
    assert chart["marker"]["x"] == LABEL_WIDTH + 8.0 * PLOT_WIDTH / 25
    assert [t["label"] for t in chart["ticks"]] == ["0", "5", "10", "15", "20", "25"]
    assert b["y"] - a["y"] == c["y"] - b["y"] > 0


def test_labels_fit_by_display_width() -> None:
    assert fit_label("あ" * 30) == "あ" * 21 + "…"
    assert fit_label("x" * 50) == "x" * 43 + "…"
    assert fit_label("x" * 44) == "x" * 44
    assert fit_label("TJSC-HC") == "TJSC-HC"


def test_neutralise() -> None:
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [neutralise(v) for v in ("+1", "-1", "@SUM(A1)", "\t=1", "plain")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\t=1",
        "plain",
    ]
    assert neutralise(-5) == -5 and neutralise(2.5) == 2.5 and neutralise(None) is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_no_text_cell_starts_like_a_formula(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert out.removeprefix("'") == text or out == text


def test_form_to_scenario_document() -> None:
    assert split_ids("A, B\nC、A  D") == ["A", "B", "C", "D"]
    built = scenario_from_form(
        {
            "kind": "partial_capacity_loss",
            "targets": "S1 S2",
            "capacity_loss_pct": "40",
            "start_week": "2",
            "duration_weeks": "6",
            "hs_codes": "8505",
            "name": "half",
        },
        "en",
    )
    assert built.scenario is not None and not built.errors
    assert built.scenario.document == {
        "name": "half",
        "start_week": 2.0,
        "duration_weeks": 6.0,
        "events": [
            {
                "kind": "disruption",
                "sites": ["S1", "S2"],
                "capacity_loss": 0.4,
                "hs_codes": ["8505"],
            }
        ],
    }
    bad = scenario_from_form(
        {
            "kind": "partial_capacity_loss",
            "targets": "S1",
            "capacity_loss_pct": "150",
            "duration_weeks": "nan",
        },
        "en",
    )
    assert set(bad.errors) == {"capacity_loss_pct", "duration_weeks"}
    country = scenario_from_form(
        {"kind": "export_restriction", "targets": "C1", "duration_weeks": "4"}, "ja"
    )
    assert "form" in country.errors  # not an ISO code: the schema's message, located
