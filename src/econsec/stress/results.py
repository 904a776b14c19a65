"""Results as plain data (JSON-ready), with provenance, explanations and exports."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from econsec import tabular
from econsec.i18n import t
from econsec.stress.engine import Engine, Outcome
from econsec.stress.lp import solver_version
from econsec.stress.scenario import Scenario


def econsec_version() -> str:
    try:
        return version("econsec")
    except PackageNotFoundError:  # running from a source tree without metadata
        return "0+unknown"


def provenance(data_version: str) -> dict[str, Any]:
    """What a stored result must carry to be reproduced: data, solver and code versions, time."""
    return {
        "data_version": data_version,
        "solver_version": solver_version(),
        "econsec_version": econsec_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def weeks(value: float) -> float | None:
    """JSON has no infinity: an unlimited TTS is stored as null."""
    return None if math.isinf(value) else round(float(value), 9)


def explain(outcome: Outcome, currency: str) -> list[dict[str, Any]]:
    """Message keys and parameters that say why the scenario ends as it does."""
    out: list[dict[str, Any]] = []
    tts, ttr = outcome.tts_weeks, outcome.horizon_weeks
    if math.isinf(tts):
        out.append({"key": "stress.explain.unlimited", "params": {}})
    elif tts < ttr:
        out.append(
            {
                "key": "stress.explain.material",
                "params": {
                    "tts": tts,
                    "ttr": ttr,
                    "margin": outcome.lost_margin,
                    "currency": currency,
                },
            }
        )
    else:
        out.append(
            {"key": "stress.explain.not_material", "params": {"tts": f"{tts:.1f}", "ttr": ttr}}
        )
    keys = {
        "slot": "stress.explain.runs_out",
        "ncap": "stress.explain.capacity",
        "out": "stress.explain.finished_goods",
        "lcap": "stress.explain.link_capacity",
        "acap": "stress.explain.alt_capacity",
    }
    first_slot = True
    for entry in outcome.binding[:3]:
        key = keys.get(entry["kind"])
        if key is None:
            continue
        params = {k: v for k, v in entry.items() if k in ("site", "item", "to_site")}
        if "item_name" in entry:
            params["item"] = f"{entry['item_name']} ({entry['item']})"
        out.append({"key": key, "params": {**params, "week": tts}})
        if entry["kind"] == "slot":
            later = [a for a in entry.get("alternatives", []) if a["qualification_weeks"] > tts]
            if not entry.get("alternatives") and first_slot:
                out.append({"key": "stress.explain.no_alternative", "params": {}})
            first_slot = False
            for alt in later[:2]:
                out.append(
                    {
                        "key": "stress.explain.alternative_late",
                        "params": {"alt_site": alt["site"], "weeks": alt["qualification_weeks"]},
                    }
                )
    return out


def render(explanations: list[dict[str, Any]], lang: str | None) -> list[str]:
    return [t(e["key"], lang, **e["params"]) for e in explanations]


def scenario_result(engine: Engine, scenario: Scenario, outcome: Outcome) -> dict[str, Any]:
    """The JSON payload of one scenario run."""
    chain = engine.chain
    price = np.nan_to_num(chain.demand_unit_price, nan=0.0)
    margin = engine.prog.margin
    lost = outcome.lost_units
    demand = chain.demand_per_week * outcome.horizon_weeks
    items = chain.node_item[chain.demand_node]
    products = []
    for item in sorted(set(items.tolist()), key=lambda i: chain.item_ids[i]):
        rows = items == item
        products.append(
            {
                "item": chain.item_ids[item],
                "name": chain.item_names[item],
                "tts_weeks": weeks(outcome.product_tts.get(item, math.inf)),
                "demand_units": float(demand[rows].sum()),
                "lost_units": float(lost[rows].sum()),
                "lost_revenue": float(lost[rows] @ price[rows]),
                "lost_margin": float(lost[rows] @ margin[rows]),
            }
        )
    markets = []
    market_arr = np.array(chain.demand_market, dtype=object)
    for market in sorted(set(chain.demand_market)):
        rows = market_arr == market
        markets.append(
            {
                "market": market,
                "lost_units": float(lost[rows].sum()),
                "lost_revenue": float(lost[rows] @ price[rows]),
                "lost_margin": float(lost[rows] @ margin[rows]),
            }
        )
    explanations = explain(outcome, chain.currency)
    return {
        **provenance(chain.version),
        "scenario_hash": scenario.hash,
        "scenario_name": scenario.name("en"),
        "start_week": scenario.start_week,
        "ttr_weeks": outcome.horizon_weeks,
        "tts_weeks": weeks(outcome.tts_weeks),
        "material": outcome.material,
        "currency": chain.currency,
        "lost_units": float(lost.sum()),
        "lost_revenue": outcome.lost_revenue,
        "lost_margin": outcome.lost_margin,
        "normal_lost_margin": outcome.normal_lost_margin,
        "excess_lost_margin": outcome.excess_lost_margin,
        "products": products,
        "markets": markets,
        "binding": outcome.binding,
        "explanations": explanations,
        "notes": [{"key": k, "params": p} for k, p in outcome.notes],
        "solver": {"lp_solves": outcome.lp_solves, "free_columns": outcome.free_columns},
    }


# ---- exports ---------------------------------------------------------------------------
def _table(payload: dict[str, Any], lang: str | None) -> tuple[list[str], list[list[Any]]]:
    """The main table of a scenario result (per product) or of a sweep (per entity)."""
    if "rows" in payload:  # a sweep
        header = [
            t("stress.col.entity", lang), "id", t("stress.col.ttr", lang), t("stress.col.tts", lang),
            t("stress.col.lost_margin", lang), t("stress.col.lost_revenue", lang),
            t("stress.col.rei", lang), t("stress.col.material", lang),
        ]  # fmt: skip
        rows = [
            [r["kind"], r["id"], r["ttr_weeks"], "inf" if r["tts_weeks"] is None else r["tts_weeks"],
             r["lost_margin"], r["lost_revenue"], r["rei"], r["material"]]
            for r in payload["rows"]
        ]  # fmt: skip
        return header, rows
    header = [
        t("stress.col.product", lang), t("stress.col.tts", lang), t("stress.col.lost_units", lang),
        t("stress.col.lost_revenue", lang), t("stress.col.lost_margin", lang),
    ]  # fmt: skip
    rows = [
        [p["item"], "inf" if p["tts_weeks"] is None else p["tts_weeks"], p["lost_units"],
         p["lost_revenue"], p["lost_margin"]]
        for p in payload["products"]
    ]  # fmt: skip
    return header, rows


def export(payload: dict[str, Any], path: Path, lang: str | None = None) -> Path:
    """Write a scenario or sweep result as .json, .csv or .xlsx (chosen by the suffix).

    Spreadsheet cells are made inert (:mod:`econsec.tabular`); JSON keeps the values as they are.
    """
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    elif suffix == ".csv":
        header, rows = _table(payload, lang)
        tabular.write_csv(path, header, rows)
    elif suffix == ".xlsx":
        header, rows = _table(payload, lang)
        tables: list[tuple[str, list[Any], list[list[Any]]]] = [("Sheet", header, rows)]
        if "markets" in payload:
            market = t("stress.col.market", lang)
            tables.append(
                (market, [market, t("stress.col.lost_units", lang),
                          t("stress.col.lost_revenue", lang), t("stress.col.lost_margin", lang)],
                 [[m["market"], m["lost_units"], m["lost_revenue"], m["lost_margin"]]
                  for m in payload["markets"]])
            )  # fmt: skip
        keys = ("data_version", "scenario_hash", "solver_version", "econsec_version", "created_at")
        tables.append(("provenance", [], [[k, payload[k]] for k in keys if k in payload]))
        path.write_bytes(tabular.write_xlsx(tables))
    else:
        raise ValueError(f"unsupported export format {suffix!r} (use .json, .csv or .xlsx)")
    return path
