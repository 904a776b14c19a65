"""The board report's governance section: heat map, indicators with trends, top risks with
owners and residual ratings, overdue actions, the RACI (``register_report_section``)."""

from __future__ import annotations

from econsec import safe_yaml
from econsec.governance import actions, kri, risks, structure
from econsec.governance.models import Risk
from econsec.i18n import label
from econsec.reports.model import BI, CODE, NUM, TEXT, Chart, Column, Section, Table
from econsec.reports.text import Bilingual, both

TOP = 10


def _bi(ja: str, en: str) -> Bilingual:
    return {"ja": ja, "en": en}


def _link(risk: Risk, fallback: str) -> Bilingual:
    # The stored label is the scenario's English name; the Japanese edition needs its own.
    if risk.link_kind == "scenario":
        from econsec.stress.models import Scenario

        record = Scenario.objects.filter(content_hash=risk.link_ref).first()
        if record is not None:
            document, _ = safe_yaml.load(record.yaml, source="scenario")
            name = document.get("name") if isinstance(document, dict) else None
            if isinstance(name, dict):
                return _bi(label(name, "ja"), label(name, "en"))
    text = risk.link_label or fallback or "-"
    return _bi(text, text)


def build(data_version: str) -> Section | None:
    rated = risks.rate_all(Risk.objects.all())
    latest = kri.latest()
    if not rated and all(v is None for _, v in latest):
        return None
    cells = risks.heat_map(rated, residual=True)
    levels = [str(n) for n in range(1, 6)]
    heat = Chart(
        id="governance-heatmap", kind="heatmap", title=both("governance.report.heatmap"),
        data={"rows": [both("governance.report.likelihood", level=lv) for lv in reversed(levels)],
              "cols": [both("governance.report.impact", level=lv) for lv in levels],
              "values": [[float(len(cells[li][ii])) for ii in range(5)] for li in reversed(range(5))]},
        alt=both("governance.report.heatmap_alt", count=len(rated)),
    )  # fmt: skip
    top = sorted(rated, key=lambda r: (-(r.residual or 0), r.risk.code))[:TOP]
    risk_table = Table(
        id="governance-risks", title=both("governance.report.top_risks"),
        columns=[Column(both("governance.risk.col.code"), CODE),
                 Column(both("governance.risk.col.title"), BI),
                 Column(both("governance.risk.col.owner"), TEXT),
                 Column(both("governance.risk.col.inherent"), NUM),
                 Column(both("governance.risk.col.residual"), NUM),
                 Column(both("governance.risk.col.link"), BI)],
        rows=[[r.risk.code, _bi(r.risk.title_ja, r.risk.title_en), r.risk.owner,
               r.inherent, r.residual, _link(r.risk, r.impact.source)]
              for r in top],
    )  # fmt: skip
    kri_rows = []
    charts = [heat]
    for d, v in latest:
        if v is None:
            continue
        series = kri.trend(d.key)
        kri_rows.append([_bi(d.label("ja"), d.label("en")), v.value,
                         both(f"governance.kri.status.{v.status}"), len(series)])  # fmt: skip
        if len(series) > 1:
            charts.append(Chart(
                id=f"governance-kri-{d.key}", kind="line", title=_bi(d.label("ja"), d.label("en")),
                data={"series": [{"name": _bi(d.label("ja"), d.label("en")),
                                  "x": [s.computed_at.date().isoformat() for s in series],
                                  "y": [s.value for s in series]}],
                      "x_label": both("governance.report.date"),
                      "y_label": both("governance.kri.col.value")},
                alt=both("governance.report.trend_alt", points=len(series)),
            ))  # fmt: skip
    kri_table = Table(
        id="governance-kris", title=both("governance.report.indicators"),
        columns=[Column(both("governance.kri.col.indicator"), BI),
                 Column(both("governance.kri.col.value"), NUM),
                 Column(both("governance.kri.col.status"), BI),
                 Column(both("governance.report.points"), NUM)],
        rows=kri_rows,
    )  # fmt: skip
    late = list(actions.overdue())
    action_table = Table(
        id="governance-overdue", title=both("governance.report.overdue"),
        columns=[Column(both("governance.action.col.title"), BI),
                 Column(both("governance.action.col.owner"), TEXT),
                 Column(both("governance.action.col.due"), TEXT),
                 Column(both("governance.risk.col.code"), CODE)],
        rows=[[_bi(a.title_ja, a.title_en), a.owner, a.due.isoformat(),
               a.risk.code if a.risk else ""] for a in late],
        note=None if late else both("governance.report.none_overdue"),
    )  # fmt: skip
    table = structure.raci()
    raci_table = Table(
        id="governance-raci", title=both("governance.report.raci"),
        columns=[Column(both("governance.raci.col.area"), CODE)]
        + [Column(both(f"governance.raci.letter.{k}"), TEXT) for k in ("R", "A", "C", "I")],
        rows=[[area, *(", ".join(row[k]) for k in ("R", "A", "C", "I"))]
              for area, row in table.items()],
    )  # fmt: skip
    red = sum(1 for _, v in latest if v is not None and v.status == "red")
    return Section(
        id="governance",
        title=both("governance.report.title"),
        paragraphs=[both("governance.report.lead", risks=len(rated), red=red, overdue=len(late))],
        tables=[risk_table, kri_table, action_table, raci_table],
        charts=charts,
    )
