"""Explanations of stress results in the reader's language (from stored message ids)."""

from __future__ import annotations

from typing import Any

from econsec.i18n import t


def render_explanations(explanations: list[dict[str, Any]], lang: str) -> list[str]:
    """Stored ``{"key", "params"}`` explanations as sentences.

    A result stored by an older version may name a message that no longer exists or lacks a
    parameter: it is shown by its id rather than breaking the page.
    """
    out = []
    for entry in explanations:
        key = str(entry.get("key", ""))
        try:
            out.append(t(key, lang, **(entry.get("params") or {})))
        except (KeyError, ValueError, IndexError, TypeError):
            out.append(key)
    return out


def _weeks(value: Any) -> str:
    return "∞" if value is None else f"{float(value):.1f}"


def row_explanation(row: dict[str, Any], lang: str, currency: str) -> list[str]:
    """Why a sweep row ranks where it does: TTS vs TTR, lost margin, products, binding part."""
    if row.get("status") != "ok":
        error = row.get("error") or {}
        return render_explanations([error], lang) if error else []
    lines = []
    if not row.get("lost_margin"):
        lines.append(
            t("stress.web.row.no_loss", lang, tts=_weeks(row.get("tts_weeks")),
              ttr=f"{row['ttr_weeks']:g}")
        )  # fmt: skip
        return lines
    lines.append(
        t("stress.web.row.loss", lang, tts=_weeks(row.get("tts_weeks")), ttr=f"{row['ttr_weeks']:g}",
          margin=f"{row['lost_margin']:,.0f}", currency=currency)
    )  # fmt: skip
    detail = row.get("detail")
    if detail:
        products = detail.get("products", [])
        if products:
            names = ", ".join(f"{p['name']} ({p['item']})" for p in products[:3])
            more = len(products) - 3
            lines.append(
                t("stress.web.row.products", lang, count=len(products), names=names)
                + (t("stress.web.row.more", lang, count=more) if more > 0 else "")
            )
        binding = detail.get("binding") or []
        if binding:
            first = binding[0]
            part = first.get("item_name") or first.get("item", "")
            where = first.get("site", "")
            lines.append(t("stress.web.row.binding", lang, part=part, site=where))
    return lines
