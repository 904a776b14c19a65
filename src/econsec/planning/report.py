"""The board section 「経済安全保障対策への投資」 / "Investment in economic-security measures".

Built from the latest stored optimisation run (``register_report_section``): the efficient
frontier, the loss-exceedance curve before and after the chosen portfolio, the portfolio with
its costs and the loss it avoids, the risks with their frequencies (defaults marked) and the
TTS before/after. Every figure comes from the stored run, and the section names that run, its
data version, seed and years, and each figure's scenario or measure, so the board can trace
it; a run made on an older data version is said to be so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from econsec.planning.errors import PlanningError
from econsec.reports.model import BI, CODE, MONEY, NUM, TEXT, Chart, Column, Section, Table
from econsec.reports.text import Bilingual, Money, both

FORMATS = ("html", "pdf", "xlsx")


def _run(run_id: int | None = None) -> Any:
    from econsec.planning.models import Run

    runs = Run.objects.filter(kind="optimisation")
    return runs.filter(pk=run_id).first() if run_id is not None else runs.first()


def _line(points: list[list[float]] | None) -> tuple[list[float], list[float]]:
    pts = [(float(x), float(y)) for x, y in points or []]
    return [x for x, _ in pts], [y for _, y in pts]


def _weeks(value: float | None) -> str:
    return "∞" if value is None else f"{value:.1f}"


def section_for(run: Any, current_version: str) -> Section:
    """The section of one stored optimisation run."""
    r = run.results
    cur = str(r.get("currency") or "JPY")
    p = r["portfolio"]
    trace = both("planning.report.trace", run=run.pk, version=run.data_version[:12],
                 seed=run.seed, years=run.years)  # fmt: skip
    paragraphs: list[Bilingual] = [
        both(
            "planning.report.lead",
            before=Money(p["eal_before"], cur),
            after=Money(p["eal_after"], cur),
            cost=Money(p["cost"], cur),
            count=len(p["chosen"]),
        ),
        trace,
    ]
    if run.data_version != current_version:
        paragraphs.append(both("planning.report.stale", version=current_version[:12]))
    case = r.get("case")
    if case:
        payback = case.get("payback_years")
        paragraphs.append(both(
            "planning.report.case", npv=Money(case["npv"], cur), horizon=case["horizon_years"],
            rate=case["discount_rate_pct"],
            payback="—" if payback is None else f"{payback:.1f}",
            avoided=Money(case["avoided_per_year"], cur),
        ))  # fmt: skip
    charts: list[Chart] = []
    if r.get("frontier"):
        charts.append(Chart(
            id="planning-frontier", kind="line", title=both("planning.web.frontier"),
            data={"series": [{"name": both("planning.col.eal_after"),
                              "x": [f["budget"] for f in r["frontier"]],
                              "y": [f["eal_after"] for f in r["frontier"]]}],
                  "x_label": both("planning.col.budget"),
                  "y_label": both("planning.col.eal_after")},
            alt=both("planning.report.frontier_alt", points=len(r["frontier"])),
        ))  # fmt: skip
    before, after = r.get("distribution_before"), r.get("distribution_after")
    if before:
        series = [{"name": both("planning.web.before"),
                   "x": _line(before["exceedance"])[0], "y": _line(before["exceedance"])[1]}]  # fmt: skip
        if after and r.get("case"):
            series.append({"name": both("planning.web.after"),
                           "x": _line(after["exceedance"])[0],
                           "y": _line(after["exceedance"])[1]})  # fmt: skip
        charts.append(Chart(
            id="planning-exceedance", kind="line", title=both("planning.web.exceedance"),
            data={"series": series, "x_label": both("planning.web.loss_axis"),
                  "y_label": both("planning.web.prob_axis")},
            alt=both("planning.report.exceedance_alt", before=Money(before["eal"], cur),
                     after=Money((after or before)["eal"], cur)),
        ))  # fmt: skip
    chosen = [m for m in r["measures"] if m["chosen"]]
    portfolio = Table(
        id="planning-portfolio", title=both("planning.cli.portfolio"),
        columns=[Column(both("planning.sheet.col.id"), CODE),
                 Column(both("planning.sheet.col.kind"), BI),
                 Column(both("planning.col.target"), CODE),
                 Column(both("planning.sheet.col.one_off_cost"), MONEY),
                 Column(both("planning.sheet.col.annual_cost"), MONEY),
                 Column(both("planning.col.cost"), MONEY),
                 Column(both("planning.col.marginal"), MONEY),
                 Column(both("planning.sheet.col.source"), TEXT)],
        rows=[[m["id"], both(f"planning.kind.{m['kind']}"),
               "/".join(m.get(k, "") for k in ("supplier_site", "site", "item", "chokepoint")
                        if m.get(k)),
               m.get("one_off_cost", 0.0), m.get("annual_cost", 0.0), m["annualised"],
               m.get("marginal"), m.get("source", "")] for m in chosen],
        note=both("planning.report.portfolio_note", version=run.data_version[:12],
                  avoided=Money(p["eal_before"] - p["eal_after"], cur))
        if chosen else both("planning.portfolio.none"),
    )  # fmt: skip
    risks = Table(
        id="planning-risks", title=both("planning.report.risks"),
        columns=[Column(both("planning.col.risk"), TEXT),
                 Column(both("planning.col.frequency"), NUM),
                 Column(both("planning.report.duration"), TEXT),
                 Column(both("planning.col.eal"), MONEY),
                 Column(both("planning.col.defaults"), TEXT),
                 Column(both("planning.sheet.col.source"), TEXT)],
        rows=[[x["label"], x["frequency_per_year"], _duration(x["duration"]),
               x.get("eal_contribution"), ", ".join(x["defaults"]), x.get("source", "")]
              for x in (before or {}).get("risks") or r.get("risks") or []],
        note=both("planning.report.defaults_note"),
    )  # fmt: skip
    tables = [portfolio, risks] if risks.rows else [portfolio]
    if r.get("tts"):
        tables.append(Table(
            id="planning-tts", title=both("planning.cli.tts_after"),
            columns=[Column(both("planning.col.scenario"), TEXT),
                     Column(both("planning.col.product"), CODE),
                     Column(both("planning.col.tts_before"), TEXT),
                     Column(both("planning.col.tts_after"), TEXT)],
            rows=[[x["scenario"], x["product"], _weeks(x["tts_before"]), _weeks(x["tts_after"])]
                  for x in r["tts"]],
        ))  # fmt: skip
    return Section(id="planning", title=both("planning.web.title"), paragraphs=paragraphs,
                   tables=tables, charts=charts)  # fmt: skip


def _duration(d: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in d.items())


def build(data_version: str) -> Section | None:
    run = _run()
    return None if run is None else section_for(run, data_version)


def write_standalone(outs: list[Path], lang: str, run_id: int | None = None) -> list[Path]:
    """The section on its own through the board report's renderers (by each file's suffix)."""
    from econsec.reports.cli import render
    from econsec.reports.model import BoardReport
    from econsec.valuechain.store_io import current_version

    for out in outs:
        if out.suffix.lower().lstrip(".") not in FORMATS:
            raise PlanningError("planning.report.bad_format", where=str(out), value=out.suffix)
    run = _run(run_id)
    if run is None:
        raise PlanningError("planning.report.no_run", where="plan report")
    section = section_for(run, current_version() or run.data_version)
    for out in outs:
        fmt = out.suffix.lower().lstrip(".")
        # The PDF draws capability sections; the HTML and xlsx renderers draw the report's own
        # tables, charts and notes, so there the section's content goes in those.
        drawn = fmt == "pdf"
        board = BoardReport(
            data_version=run.data_version, currency=str(run.results.get("currency") or "JPY"),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), summary=[],
            tables=[] if drawn else section.tables, scenarios=[], scenarios_missing=None,
            actions=[], sections=[section] if drawn else [],
            charts=[] if drawn else section.charts,
            notes=[] if drawn else [section.title, *section.paragraphs],
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(render(board, fmt, lang))
    return outs
