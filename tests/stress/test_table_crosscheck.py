"""Site sweeps on random patterned networks against an LP built straight from the tables.

``econsec``'s sweep (compile → programme → restricted solves with the certificate) is compared,
scenario by scenario, with ``table_reference`` — a separately written LP over the sheets'
rows — on lost margin (TTR) and time to survive (TTS).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from econsec.stress.engine import Engine
from econsec.stress.sweep import sweep
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables, with_patterns
from tests.stress.table_reference import normally_served, serves_best, table_ttr, table_tts


def _close(a: float | None, b: float) -> bool:
    a = math.inf if a is None else a
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def compare(seeds: range) -> dict[str, Any]:
    """Sweep every site of each network (default TTR 6 weeks) and solve each again from the
    tables. Where normal times can meet demand in more than one best way, the engine's choice
    is first checked to be one of them, then TTS is compared against it."""
    counts = {"scenarios": 0, "ttr_agree": 0, "tts_agree": 0, "chosen_service": 0}
    disagree: list[tuple[Any, ...]] = []
    for seed in seeds:
        tables = with_patterns(random_tables(seed, tight=bool(seed % 2)), seed)
        chain = compile_tables(tables)
        result = sweep(chain, "site", default_ttr_weeks=6.0)
        served = normally_served(tables)
        if served is None:
            served = Engine(chain).prog.served
            assert serves_best(tables, served), seed
            counts["chosen_service"] += len(result["rows"])
        for row in result["rows"]:
            counts["scenarios"] += 1
            down = {row["id"]}
            expected = table_ttr(tables, down, row["ttr_weeks"])
            if _close(row["lost_margin"], expected):
                counts["ttr_agree"] += 1
            else:
                disagree.append((seed, row["id"], "TTR", row["lost_margin"], expected))
            expected = table_tts(tables, down, served)
            if _close(row["tts_weeks"], expected):
                counts["tts_agree"] += 1
            else:
                disagree.append((seed, row["id"], "TTS", row["tts_weeks"], expected))
    counts["disagree"] = disagree  # type: ignore[assignment]
    return counts


def test_site_sweeps_match_the_table_lp() -> None:
    counts = compare(range(150))
    assert counts["disagree"] == []
    assert counts["scenarios"] == counts["ttr_agree"] == counts["tts_agree"] > 1_400


def test_the_patterns_occur() -> None:
    """The patterns occur: warehouses, distributors, contract makers and make-and-buy plants."""
    seen = np.zeros(4, dtype=int)
    for seed in range(150):
        tables = with_patterns(random_tables(seed, tight=bool(seed % 2)), seed)
        sites = {r["site_id"] for r in tables["sites"]}
        made = {(r["site_id"], r["item_id"]) for r in tables["production"]}
        bought = {(r["receiving_site_id"], r["item_id"]) for r in tables["supply_links"]}
        seen += ["W1" in sites, "D1" in sites, "C1" in sites,
                 any(k[0].startswith("J") for k in made & bought)]  # fmt: skip
    assert (seen > 20).all(), seen
