"""The board report as one self-contained HTML file (what ``econsec report --format html``
writes): the same sections as the report page, no server, scripts or outside files needed."""

from __future__ import annotations

from html import escape

from econsec.i18n import t
from econsec.reports.display import display_table
from econsec.reports.draw import svg_data_uri
from econsec.reports.model import BoardReport, Chart, Section

_STYLE = """
body{font-family:"Noto Sans JP","Hiragino Sans","Yu Gothic",sans-serif;margin:2rem;color:#1d2733}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #ccd;padding:.6rem;width:16rem}
.label{font-size:.85rem;color:#556}.value{font-size:1.4rem;font-weight:bold;display:block}
.note{font-size:.8rem;color:#556;display:block}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccd;padding:.2rem .4rem;font-size:.85rem;vertical-align:top}
td.num{text-align:right}.muted{color:#667}.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0;width:34rem}figure img{width:100%}figcaption{font-size:.8rem;color:#556}
"""


def _table(table: dict[str, object]) -> str:
    columns = table["columns"]
    rows = table["rows"]
    assert isinstance(columns, list) and isinstance(rows, list)
    head = "".join(f"<th>{escape(str(c['label']))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if cell['num'] else ''}>{escape(str(cell['text']))}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    note = f'<p class="muted">{escape(str(table["note"]))}</p>' if table["note"] else ""
    return (
        f'<section id="{escape(str(table["id"]))}"><h2>{escape(str(table["title"]))}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</section>"
    )


def _figure(chart: Chart, lang: str) -> str:
    # Every kind, a contributed SVG included, goes in as a data: image: no script in it runs.
    return (
        f'<figure id="chart-{escape(chart.id)}" data-kind="{escape(chart.kind)}">'
        f'<img src="{svg_data_uri(chart, lang)}" alt="{escape(chart.alt[lang])}">'
        f"<figcaption>{escape(chart.title[lang])} — {escape(chart.alt[lang])}</figcaption></figure>"
    )


def _section(section: Section, lang: str, currency: str) -> str:
    parts = [f'<section id="section-{escape(section.id)}"><h2>{escape(section.title[lang])}</h2>']
    parts.extend(f"<p>{escape(p[lang])}</p>" for p in section.paragraphs)
    if section.charts:
        parts.append("<div class=charts>")
        parts.extend(_figure(c, lang) for c in section.charts)
        parts.append("</div>")
    parts.extend(_table(display_table(t, lang, currency)) for t in section.tables)
    parts.append("</section>")
    return "".join(parts)


def board_html(report: BoardReport, lang: str) -> str:
    """The whole report in ``lang`` as an HTML document."""
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(t('reports.title', lang))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(t('reports.title', lang))}</h1>",
        '<p class="muted">'
        + escape(
            t("reports.subtitle", lang, version=report.data_version[:12], when=report.created_at)
        )
        + "</p>",
    ]
    parts.append(f"<h2>{escape(t('reports.section.findings', lang))}</h2><ol class=findings>")
    parts.extend(
        f"<li><strong>{escape(f.text[lang])}</strong><br>{escape(f.meaning[lang])}</li>"
        for f in report.findings
    )
    parts.append(f"</ol><h2>{escape(t('reports.section.decisions', lang))}</h2><ul>")
    parts.extend(
        f"<li><strong>{escape(t('reports.decision.kind.' + d.kind, lang))}</strong> "
        f"{escape(d.text[lang])}<br><span class=muted>{escape(d.basis[lang])}</span></li>"
        for d in report.decisions
    )
    parts.append(f"</ul><h2>{escape(t('reports.section.changes', lang))}</h2><ul>")
    parts.extend(f"<li>{escape(c.text[lang])}</li>" for c in report.changes)
    parts.append(f"</ul><h2>{escape(t('reports.section.pictures', lang))}</h2><div class=charts>")
    parts.extend(_figure(c, lang) for c in report.charts)
    parts.append("</div>")
    parts.extend(_section(x, lang, report.currency) for x in report.sections if not x.appendix)
    parts.append(f"<h2>{escape(t('reports.section.figures', lang))}</h2><div class=cards>")
    for figure in report.summary:
        notes = "".join(f'<span class="note">{escape(r[lang])}</span>' for r in figure.reasons)
        parts.append(
            f'<div class="card"><span class="label">{escape(figure.label[lang])}</span>'
            f'<span class="value">{escape(figure.display[lang])}</span>{notes}</div>'
        )
    parts.append("</div>")
    for table in report.tables:
        parts.append(_table(display_table(table, lang, report.currency)))
    parts.append(f"<h2>{escape(t('reports.section.scenarios', lang))}</h2>")
    if report.scenarios_missing:
        parts.append(f"<p>{escape(report.scenarios_missing[lang])}</p>")
    for scenario in report.scenarios:
        items = "".join(f"<li>{escape(e[lang])}</li>" for e in scenario.explanations)
        parts.append(f"<h3>{escape(scenario.name[lang])}</h3><ul>{items}</ul>")
    parts.extend(_section(x, lang, report.currency) for x in report.sections if x.appendix)
    parts.append(f"<h2>{escape(t('reports.section.method', lang))}</h2>")
    parts.append(f"<p>{escape(t('reports.method', lang))}</p>")
    if report.notes:
        parts.append(f"<h3>{escape(t('reports.section.notes', lang))}</h3><ul>")
        parts.extend(f"<li>{escape(n[lang])}</li>" for n in report.notes)
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
