"""Stress results as CSV, XLSX or JSON downloads.

Ids, names and scenario titles come from user data: the spreadsheets are written through
:mod:`econsec.tabular`, so no cell runs as a formula.
"""

from __future__ import annotations

import io
import json
from typing import Any

from econsec import tabular
from econsec.i18n import t
from econsec.stress.web.explain import render_explanations
from econsec.tabular import neutralise

__all__ = ["CONTENT_TYPES", "neutralise", "tables", "to_csv", "to_json", "to_xlsx"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
_PROVENANCE = (
    "data_version",
    "scenario_hash",
    "scenario_name",
    "by",
    "solver_version",
    "econsec_version",
    "created_at",
)


def _tts(row: dict[str, Any]) -> Any:
    """∞ when unlimited; a dash where no demand is met in normal times (TTS does not apply)."""
    if row.get("tts_applies") is False:
        return "—"
    value = row.get("tts_weeks")
    return "∞" if value is None else value


def tables(payload: dict[str, Any], lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet title, header, rows) for every table of a scenario or sweep result."""
    out: list[tuple[str, list[str], list[list[Any]]]] = []
    if "rows" in payload:
        header = [
            t("stress.web.col.rank", lang), t("stress.col.entity", lang), "id",
            t("stress.col.ttr", lang), t("stress.col.tts", lang), t("stress.col.lost_margin", lang),
            t("stress.col.lost_revenue", lang), t("stress.col.rei", lang),
            t("stress.col.material", lang), t("stress.web.col.explanation", lang),
        ]  # fmt: skip
        rows = []
        for rank, r in enumerate(payload["rows"], start=1):
            detail = r.get("detail") or {}
            rows.append(
                [rank, r["kind"], r["id"], r["ttr_weeks"], _tts(r),
                 r.get("lost_margin"), r.get("lost_revenue"), r.get("rei"), bool(r.get("material")),
                 " / ".join(render_explanations(detail.get("explanations", []), lang))]
            )  # fmt: skip
        out.append((t("stress.web.sheet.ranking", lang), header, rows))
    else:
        header = [
            t("stress.col.product", lang), t("stress.web.col.name", lang), t("stress.col.tts", lang),
            t("stress.web.col.demand_units", lang), t("stress.col.lost_units", lang),
            t("stress.col.lost_revenue", lang), t("stress.col.lost_margin", lang),
        ]  # fmt: skip
        rows = [
            [p["item"], p["name"], _tts(p), p["demand_units"], p["lost_units"],
             p["lost_revenue"], p["lost_margin"]]
            for p in payload["products"]
        ]  # fmt: skip
        out.append((t("stress.web.sheet.products", lang), header, rows))
        header = [
            t("stress.col.market", lang), t("stress.col.lost_units", lang),
            t("stress.col.lost_revenue", lang), t("stress.col.lost_margin", lang),
        ]  # fmt: skip
        rows = [
            [m["market"], m["lost_units"], m["lost_revenue"], m["lost_margin"]]
            for m in payload["markets"]
        ]
        out.append((t("stress.web.sheet.markets", lang), header, rows))
        explanations = render_explanations(payload.get("explanations", []), lang)
        out.append(
            (t("stress.web.sheet.explanations", lang), [t("stress.web.col.explanation", lang)],
             [[line] for line in explanations])
        )  # fmt: skip
    info = [[key, payload[key]] for key in _PROVENANCE if key in payload]
    out.append(("provenance", ["key", "value"], info))
    return out


def to_csv(payload: dict[str, Any], lang: str) -> bytes:
    """The main table (ranking or products) as UTF-8 CSV with a BOM (Excel reads it as UTF-8)."""
    _title, header, rows = tables(payload, lang)[0]
    buf = io.StringIO()
    writer = tabular.csv_writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(payload: dict[str, Any], lang: str) -> bytes:
    """Every table on its own sheet, provenance last."""
    return tabular.write_xlsx(tables(payload, lang))


def to_json(payload: dict[str, Any]) -> bytes:
    """The stored payload as is (JSON is data: nothing in it runs)."""
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
