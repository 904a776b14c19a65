"""Guideline self-assessment timings: framework load, scoring, xlsx and CISO round trips.

Run: .venv/bin/python -m benchmarks.guideline  (prints medians; no database needed).
Baseline in the same process: scoring a synthetic framework 10x the guideline's size.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from econsec.guideline.ciso import export_library, import_library
from econsec.guideline.frameworks import builtin_frameworks, framework_from_dict, framework_to_dict
from econsec.guideline.scoring import Result, gap_list, score_assessment
from econsec.guideline.xlsx_io import export_workbook, read_workbook


def median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    esmg = builtin_frameworks()["esmg-1.0-draft"]
    raw = framework_to_dict(esmg)
    rng = random.Random(7)
    answers = {q.id: rng.choice(list(Result)) for _, _, q in esmg.questions()}
    maturity = {item.id: rng.randint(0, 4) for _, item in esmg.items()}
    # A synthetic framework ten times larger (areas repeated with new ids).
    big = dict(raw)
    big["id"] = "big"
    big["areas"] = []
    for copy in range(10):
        for area in raw["areas"]:
            a = {**area, "id": f"{area['id']}{copy}", "items": []}
            for item in area["items"]:
                a["items"].append(
                    {
                        **item,
                        "id": f"{item['id']}{copy}",
                        "questions": [{**q, "id": f"{q['id']}-{copy}"} for q in item["questions"]],
                    }
                )
            big["areas"].append(a)
    big_fw = framework_from_dict(big)
    big_answers = {q.id: rng.choice(list(Result)) for _, _, q in big_fw.questions()}
    big_maturity = {item.id: rng.randint(0, 4) for _, item in big_fw.items()}

    print(f"guideline: {len(esmg.item_index)} items, {len(esmg.question_index)} questions")
    print(
        f"validate+build framework (schema + semantic): {median_ms(lambda: framework_from_dict(raw)):.2f} ms"
    )
    score = median_ms(lambda: gap_list(esmg, score_assessment(esmg, answers, maturity)))
    big_score = median_ms(
        lambda: gap_list(big_fw, score_assessment(big_fw, big_answers, big_maturity))
    )
    print(
        f"score + gap list: {score:.3f} ms; baseline 10x framework ({len(big_fw.question_index)} questions): {big_score:.3f} ms"
    )
    print(f"CISO export+import: {median_ms(lambda: import_library(export_library(esmg))):.2f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.xlsx"
        print(f"xlsx export: {median_ms(lambda: export_workbook(esmg, path, 'ja'), 5):.1f} ms")
        print(f"xlsx read+validate: {median_ms(lambda: read_workbook(esmg, path), 5):.1f} ms")


if __name__ == "__main__":
    main()
