"""A static SVG of the tier flows (a Sankey) for the board report: no browser, no scripts.

Columns are the tier steps, the deepest on the left and our own sites (step 0) on the right;
each node is a country at a step, as tall as the value through it; bands join supplier and
receiver countries with the value of the links between them. Labels are language-neutral
(ISO country codes, ``T1``…, ``+N`` for the N countries pooled as "other") so one drawing
serves both editions; the chart's text alternative says the rest in each language.
"""

from __future__ import annotations

from html import escape

from econsec.visuals.flows import FlowData, sankey

WIDTH, HEIGHT = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 20.0, 70.0, 28.0, 8.0
NODE_WIDTH = 14.0
GAP = 6.0
# Bands thinner than this are invisible on paper and are not drawn (their value is still in
# the nodes' heights, the table and the text alternative); it keeps a Ford-scale chart small.
THINNEST = 0.3
# Okabe-Ito, cycled over the supplier countries of the bands.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")


def _money(value: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def flows_svg(data: FlowData, title: str, top: int = 8) -> str:
    """The tier flows as one self-contained SVG document (``top`` countries per step)."""
    nodes, links = sankey(data, top=top)
    pooled: dict[int, int] = {}
    for step in {int(n.split(":")[0]) for n in nodes}:
        present = {f.source_country for f in data.flows if f.step + 1 == step} | {
            f.target_country for f in data.flows if f.step == step
        }
        kept = {n.split(":", 1)[1] for n in nodes if int(n.split(":")[0]) == step}
        pooled[step] = len(present - kept)
    inflow: dict[str, float] = {}
    outflow: dict[str, float] = {}
    for source, target, value in links:
        outflow[source] = outflow.get(source, 0.0) + value
        inflow[target] = inflow.get(target, 0.0) + value
    size = {n: max(inflow.get(n, 0.0), outflow.get(n, 0.0)) for n in nodes}
    depth = max((int(n.split(":")[0]) for n in nodes), default=0)
    columns: dict[int, list[str]] = {}
    for n in sorted(nodes, key=lambda n: -size[n]):
        columns.setdefault(int(n.split(":")[0]), []).append(n)
    height = HEIGHT - TOP - BOTTOM
    busiest = max(
        (
            sum(size[n] for n in col) / max(1.0, height - GAP * (len(col) - 1))
            for col in columns.values()
        ),
        default=1.0,
    )
    scale = 1.0 / busiest if busiest > 0 else 0.0
    span = WIDTH - LEFT - RIGHT - NODE_WIDTH
    place: dict[str, tuple[float, float, float]] = {}  # node → x, y, height
    for step, col in columns.items():
        x = LEFT + (span * (depth - step) / depth if depth else span)
        y = TOP
        for n in col:
            h = max(1.0, size[n] * scale)
            place[n] = (x, y, h)
            y += h + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img"><title>{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        '<g font-family="sans-serif" font-size="11" fill="#222">'
    ]
    for step in sorted(columns):
        x = place[columns[step][0]][0]
        parts.append(f'<text x="{x:.1f}" y="16" font-weight="bold">T{step}</text>')
    colours: dict[str, str] = {}
    out_used: dict[str, float] = {}
    in_used: dict[str, float] = {}
    for source, target, value in sorted(links, key=lambda link: -link[2]):
        sx, sy, _ = place[source]
        tx, ty, _ = place[target]
        h = value * scale
        if h < THINNEST:  # the rest are ranked by value: all thinner still
            break
        y0 = sy + out_used.get(source, 0.0)
        y1 = ty + in_used.get(target, 0.0)
        out_used[source] = out_used.get(source, 0.0) + h
        in_used[target] = in_used.get(target, 0.0) + h
        x0, x1 = sx + NODE_WIDTH, tx
        mid = (x0 + x1) / 2
        country = source.split(":", 1)[1]
        colour = colours.setdefault(country, PALETTE[len(colours) % len(PALETTE)])
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f}C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}'
            f"L{x1:.1f},{y1 + h:.1f}C{mid:.1f},{y1 + h:.1f} {mid:.1f},{y0 + h:.1f} "
            f'{x0:.1f},{y0 + h:.1f}Z" fill="{colour}" fill-opacity="0.45">'
            f"<title>{escape(_label(source, pooled))} → {escape(_label(target, pooled))}: "
            f"{_money(value)} {escape(data.currency)}</title></path>"
        )
    for n, (x, y, h) in place.items():
        label = escape(_label(n, pooled))
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_WIDTH}" height="{h:.1f}" fill="#444">'
            f"<title>T{n.split(':')[0]} {label}: {_money(size[n])} {escape(data.currency)}"
            "</title></rect>"
        )
        if h >= 9:  # a label on a sliver would overlap its neighbours
            parts.append(
                f'<text x="{x + NODE_WIDTH + 3:.1f}" y="{y + h / 2 + 4:.1f}">{label} '
                f"{_money(size[n])}</text>"
            )
    parts.append("</g></svg>")
    return "".join(parts)


def _label(node: str, pooled: dict[int, int]) -> str:
    step, country = node.split(":", 1)
    if country == "*":
        return f"+{pooled.get(int(step), 0)}"
    return country
