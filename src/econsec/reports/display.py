"""Report tables and shares made ready for a page: cells formatted, bar widths computed."""

from __future__ import annotations

from typing import Any

from .model import MONEY, NUM, PCT, SCORE, Table
from .pdf import format_cell


def display_table(table: Table, lang: str, currency: str) -> dict[str, Any]:
    """A report table with every cell formatted for ``lang`` (autoescaped by the template)."""
    numeric = {NUM, SCORE, PCT, MONEY}
    return {
        "id": table.id,
        "title": table.title[lang],
        "note": table.note[lang] if table.note else "",
        "columns": [{"label": c.label[lang], "num": c.kind in numeric} for c in table.columns],
        "rows": [
            [
                {"text": format_cell(v, c.kind, lang, currency), "num": c.kind in numeric}
                for v, c in zip(row, table.columns, strict=True)
            ]
            for row in table.rows
        ],
    }


def bars(shares: dict[str, float], top: int = 12) -> list[dict[str, Any]]:
    """Rows of a horizontal bar chart: label, width in percent of the largest, share."""
    items = list(shares.items())[:top]
    peak = max((s for _, s in items), default=0.0) or 1.0
    return [{"label": k, "width": round(100 * s / peak, 2), "share": s} for k, s in items]
