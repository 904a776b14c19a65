"""Results as plain data (JSON-ready), with provenance, explanations and exports."""

from __future__ import annotations

import json
import math
import os
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec import tabular
from econsec.i18n import t
from econsec.stress.allocation import allocation_explanations, takers_payload
from econsec.stress.engine import Engine, Outcome
from econsec.stress.errors import StressError
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
    """JSON has no infinity: an unlimited TTS is stored as null (and 0 never as -0.0)."""
    return None if math.isinf(value) else round(float(value), 9) + 0.0


def explain(
    outcome: Outcome, currency: str, served: npt.NDArray[np.bool_] | None = None
) -> list[dict[str, Any]]:
    """Message keys and parameters that say why the scenario ends as it does.

    ``served`` marks the demand rows met in full in normal times (all when None). TTS measures
    how long that normal service lasts, so where some demand is short even undisrupted the
    verdict says so instead of claiming that demand is met.
    """
    out: list[dict[str, Any]] = []
    tts, ttr = outcome.tts_weeks, outcome.horizon_weeks
    all_served = served is None or bool(served.all())
    if served is not None and not served.any():
        out.append({"key": "stress.explain.nothing_served", "params": {}})
    elif math.isinf(tts):
        verdict = "stress.explain.unlimited" if all_served else "stress.explain.unlimited_served"
        out.append({"key": verdict, "params": {}})
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
    full = outcome.full_service_weeks
    if not all_served and full is not None and full > 0:
        lasts = "full_service_unlimited" if math.isinf(full) else "full_service"
        out.append({"key": f"stress.explain.{lasts}", "params": {"weeks": full}})
    if outcome.normal_lost_margin > 0:
        out.append(
            {
                "key": "stress.explain.normal_shortfall",
                "params": {
                    "normal": outcome.normal_lost_margin,
                    "excess": outcome.excess_lost_margin,
                    "currency": currency,
                },
            }
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
    served = engine.prog.served
    index = {item_id: k for k, item_id in enumerate(chain.item_ids)}
    bottlenecks = {index[b["item"]] for b in outcome.binding if b.get("item") in index}
    takers = takers_payload(
        chain, lost, demand, np.asarray(margin), outcome.reached_items, bottlenecks
    )
    products = []
    for item in sorted(set(items.tolist()), key=lambda i: chain.item_ids[i]):
        rows = items == item
        products.append(
            {
                "item": chain.item_ids[item],
                "name": chain.item_names[item],
                "tts_weeks": weeks(outcome.product_tts.get(item, math.inf)),
                # False when none of the product's demand is met in full in normal times: there
                # is then no normal service whose time to survive TTS could measure.
                "tts_applies": bool(served[rows].any()),
                "demand_units": float(demand[rows].sum()),
                "lost_units": float(lost[rows].sum()),
                "lost_revenue": float(lost[rows] @ price[rows]),
                "lost_margin": float(lost[rows] @ margin[rows]),
                "parts_taken_by": takers.get(chain.item_ids[item], []),
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
    explanations = explain(outcome, chain.currency, served) + allocation_explanations(products)
    return {
        **provenance(chain.version),
        "scenario_hash": scenario.hash,
        "scenario_name": scenario.name("en"),
        "start_week": scenario.start_week,
        "ttr_weeks": outcome.horizon_weeks,
        "tts_weeks": weeks(outcome.tts_weeks),
        "tts_applies": bool(served.any()),
        "full_service_weeks": None
        if outcome.full_service_weeks is None
        else weeks(outcome.full_service_weeks),
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
def _tts_cell(row: dict[str, Any]) -> Any:
    """ "inf" when unlimited; empty where no demand is met in normal times (TTS does not apply)."""
    if row.get("tts_applies") is False:
        return ""
    return "inf" if row["tts_weeks"] is None else row["tts_weeks"]


def _table(payload: dict[str, Any], lang: str | None) -> tuple[list[str], list[list[Any]]]:
    """The main table of a scenario result (per product) or of a sweep (per entity)."""
    if "rows" in payload:  # a sweep
        header = [
            t("stress.col.entity", lang), "id", t("stress.col.ttr", lang), t("stress.col.tts", lang),
            t("stress.col.lost_margin", lang), t("stress.col.lost_revenue", lang),
            t("stress.col.rei", lang), t("stress.col.material", lang),
        ]  # fmt: skip
        rows = [
            [r["kind"], r["id"], r["ttr_weeks"], _tts_cell(r),
             r["lost_margin"], r["lost_revenue"], r["rei"], r["material"]]
            for r in payload["rows"]
        ]  # fmt: skip
        return header, rows
    header = [
        t("stress.col.product", lang), t("stress.col.tts", lang), t("stress.col.lost_units", lang),
        t("stress.col.lost_revenue", lang), t("stress.col.lost_margin", lang),
    ]  # fmt: skip
    rows = [
        [p["item"], _tts_cell(p), p["lost_units"],
         p["lost_revenue"], p["lost_margin"]]
        for p in payload["products"]
    ]  # fmt: skip
    return header, rows


EXPORT_SUFFIXES = (".json", ".csv", ".xlsx")


def check_export_path(path: Path) -> None:
    """Raise a :class:`StressError` naming ``path`` if a result could not be written there.

    Callers check before solving, so a long sweep never ends in a failed write.
    """
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise StressError("stress.export.bad_suffix", path=str(path), suffix=path.suffix or "-")
    folder = path.parent
    if not folder.is_dir():
        raise StressError("stress.export.no_folder", path=str(path), folder=str(folder))
    if (
        path.is_dir()
        or not os.access(folder, os.W_OK)
        or (path.exists() and not os.access(path, os.W_OK))
    ):
        raise StressError("stress.export.not_writable", path=str(path))


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
        raise StressError("stress.export.bad_suffix", path=str(path), suffix=suffix or "-")
    return path
