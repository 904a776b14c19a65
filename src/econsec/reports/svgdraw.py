"""A contributed SVG picture (the supplier map) redrawn as ReportLab vectors for the PDF.

Only the plain subset such pictures use is read — ``rect``, ``path`` (straight segments; a
curve is drawn as the line to its end point), ``circle``, ``line``, ``polyline``/``polygon``,
``g`` with a ``translate``, ``text`` (its characters, size, weight and anchor) — with fill,
stroke and stroke width from attributes or an inline style. Images, scripts and anything else
are skipped. The document is parsed with
defusedxml (no entities, no external references) and its size is capped.
"""

from __future__ import annotations

import re
from typing import Any

from defusedxml import ElementTree
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Path,
    Polygon,
    PolyLine,
    Rect,
    String,
)  # fmt: skip
from reportlab.lib import colors

MAX_SVG_BYTES = 5_000_000
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[MmLlHhVvZzCcSsQqTtAa]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TEXT = re.compile(r"[\sMmLlHhVvZzCcSsQqTtAa0-9eE.,+-]*")
# Numbers each path command takes; the end point is the last pair.
_ARITY = {"c": 6, "s": 4, "q": 4, "t": 2, "a": 7}


class UnreadableSvg(ValueError):
    """The picture is not an SVG document this reader can draw."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _colour(value: str | None) -> Any:
    if value is None or value.strip() in ("", "none", "transparent"):
        return None
    value = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        # ReportLab reads "#999" as the number 0x999 (a dark blue), not as CSS's #999999.
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        return colors.toColor(value)
    except (ValueError, TypeError):
        return None


def _style(el: Any, inherited: dict[str, str]) -> dict[str, str]:
    out = dict(inherited)
    for key in (
        "fill",
        "stroke",
        "stroke-width",
        "opacity",
        "fill-opacity",
        "font-size",
        "text-anchor",
    ):
        if el.get(key) is not None:
            out[key] = el.get(key)
    for part in (el.get("style") or "").split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            out[key.strip()] = value.strip()
    return out


def _paint(shape: Any, style: dict[str, str], scale: float) -> Any:
    shape.fillColor = _colour(style.get("fill", "black"))
    shape.strokeColor = _colour(style.get("stroke"))
    try:
        shape.strokeWidth = float(style.get("stroke-width", "1")) * scale
    except ValueError:
        shape.strokeWidth = scale
    return shape


def _f(el: Any, key: str) -> float:
    return float(el.get(key) or 0.0)


def _path(d: str) -> list[list[tuple[float, float]]]:
    """Sub-paths of absolute points (a closed one repeats its start at the end)."""
    if not _PATH_TEXT.fullmatch(d):
        raise UnreadableSvg("path data")
    tokens = _TOKEN.findall(d)
    paths: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    x = y = 0.0
    command = "M"
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if current:
                    current.append(current[0])
                    paths.append(current)
                    x, y = current[0]
                current = []
                continue
        lower = command.lower()
        relative = command.islower()
        if lower in ("m", "l"):
            nx, ny = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + nx, y + ny) if relative else (nx, ny)
            if lower == "m":
                if current:
                    paths.append(current)
                current = [(x, y)]
                command = "l" if relative else "L"  # later pairs are line-tos
            else:
                current.append((x, y))
        elif lower in ("h", "v"):
            value = float(tokens[i])
            i += 1
            if lower == "h":
                x = x + value if relative else value
            else:
                y = y + value if relative else value
            current.append((x, y))
        elif lower in _ARITY:
            args = [float(v) for v in tokens[i : i + _ARITY[lower]]]
            i += _ARITY[lower]
            x, y = (x + args[-2], y + args[-1]) if relative else (args[-2], args[-1])
            current.append((x, y))
        else:
            raise UnreadableSvg(command)
    if current:
        paths.append(current)
    return paths


def svg_to_drawing(text: str, width: float, font: str = "Helvetica") -> Drawing:
    """The SVG document ``text`` as a drawing ``width`` points wide (aspect kept)."""
    if len(text) > MAX_SVG_BYTES:
        raise UnreadableSvg("too large")
    try:
        root = ElementTree.fromstring(text)
    except Exception as exc:  # defusedxml's refusals and plain syntax errors alike
        raise UnreadableSvg(str(exc)) from exc
    if _local(root.tag) != "svg":
        raise UnreadableSvg(root.tag)
    box = [float(v) for v in _NUMBER.findall(root.get("viewBox") or "")]
    if len(box) != 4:
        box = [0.0, 0.0, float(_NUMBER.findall(root.get("width") or "0")[0] or 0),
               float(_NUMBER.findall(root.get("height") or "0")[0] or 0)]  # fmt: skip
    bx, by, bw, bh = box
    if bw <= 0 or bh <= 0:
        raise UnreadableSvg("no size")
    scale = width / bw
    height = bh * scale
    drawing = Drawing(width, height)
    # SVG's y runs down, ReportLab's up: flip once for the whole picture.
    top = Group(transform=(scale, 0, 0, -scale, -bx * scale, height + by * scale))
    try:
        _children(root, top, _style(root, {}), 1.0 / scale, font)
    except (IndexError, ValueError) as exc:  # a number missing or unreadable
        raise UnreadableSvg(str(exc)) from exc
    drawing.add(top)
    return drawing


def _children(parent: Any, group: Group, inherited: dict[str, str], unit: float, font: str) -> None:
    for el in parent:
        tag = _local(el.tag)
        style = _style(el, inherited)
        if tag == "g":
            sub = Group()
            match = re.match(r"\s*translate\(([^)]*)\)", el.get("transform") or "")
            if match:
                nums = [float(v) for v in _NUMBER.findall(match.group(1))] + [0.0, 0.0]
                sub.translate(nums[0], nums[1])
            _children(el, sub, style, unit, font)
            group.add(sub)
        elif tag == "rect":
            group.add(_paint(Rect(_f(el, "x"), _f(el, "y"), _f(el, "width"), _f(el, "height")),
                             style, 1.0))  # fmt: skip
        elif tag == "circle":
            group.add(_paint(Circle(_f(el, "cx"), _f(el, "cy"), _f(el, "r")), style, 1.0))
        elif tag == "line":
            line = Line(_f(el, "x1"), _f(el, "y1"), _f(el, "x2"), _f(el, "y2"))
            line.strokeColor = _colour(style.get("stroke"))
            group.add(line)
        elif tag in ("polyline", "polygon"):
            points = [float(v) for v in _NUMBER.findall(el.get("points") or "")]
            shape = Polygon(points) if tag == "polygon" else PolyLine(points)
            group.add(_paint(shape, style, 1.0))
        elif tag == "text":
            group.add(_text(el, style, font))
        elif tag == "path":
            shape = Path()
            for sub in _path(el.get("d") or ""):
                shape.moveTo(*sub[0])
                for point in sub[1:]:
                    shape.lineTo(*point)
                if len(sub) > 2 and sub[-1] == sub[0]:
                    shape.closePath()
            group.add(_paint(shape, style, 1.0))


_ANCHORS = {"start": "start", "middle": "middle", "end": "end"}


def _text(el: Any, style: dict[str, str], font: str) -> Group:
    size = [float(v) for v in _NUMBER.findall(style.get("font-size", ""))] or [10.0]
    label = String(0, 0, " ".join("".join(el.itertext()).split()), fontName=font,
                   fontSize=size[0], fillColor=_colour(style.get("fill", "black")),
                   textAnchor=_ANCHORS.get(style.get("text-anchor", ""), "start"))  # fmt: skip
    # The picture is flipped once for SVG's downward y; the letters are flipped back upright.
    return Group(label, transform=(1, 0, 0, -1, _f(el, "x"), _f(el, "y")))
