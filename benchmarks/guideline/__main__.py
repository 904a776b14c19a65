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

from econsec.guideline.checklist_import import import_checklist
from econsec.guideline.ciso import export_library, import_library
from econsec.guideline.editions import carry_forward, edition_mapping_from_dict
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
        checklist_import_figures(Path(tmp), rng)
    edition_figures(esmg, big_fw, answers, big_answers)


def _checklist(path: Path, rows: int, rng: random.Random) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["経済安全保障 チェックリスト"])
    ws.append(["No.", "区分", "項目", "チェック内容", "確認資料の例", "重要度"])
    for n in range(rows):
        area, item = n // 100, n // 5
        ws.append(
            [
                f"{area + 1}-{n + 1}",
                f"区分{area}" if n % 100 == 0 else None,
                f"項目{item}" if n % 5 == 0 else None,
                f"設問{n}を実施しているか",
                f"規程{rng.randint(0, 9)}",
                rng.choice(["高", "中", "低", None]),
            ]
        )
    wb.save(path)


def checklist_import_figures(folder: Path, rng: random.Random) -> None:
    """Import time of a guessed-heading checklist; baseline: the same rows 10x."""
    small, large = folder / "c100.xlsx", folder / "c1000.xlsx"
    _checklist(small, 100, rng)
    _checklist(large, 1000, rng)
    a = median_ms(lambda: import_checklist(small, framework_id="c"), 5)
    b = median_ms(lambda: import_checklist(large, framework_id="c"), 5)
    print(
        f"checklist import (guessed headings): 100 rows {a:.1f} ms; baseline 1000 rows {b:.1f} ms"
    )


def edition_figures(esmg, big_fw, answers, big_answers) -> None:  # type: ignore[no-untyped-def]
    """Carrying answers forward with an all-implicit mapping (every id flagged for review)."""

    def mapping_for(fw):  # type: ignore[no-untyped-def]
        return edition_mapping_from_dict(
            {
                "schema": "econsec.guideline.edition-mapping/1",
                "from": {"framework": fw.id, "version": fw.version},
                "to": {"framework": fw.id, "version": fw.version},
                "unlisted": "changed",
            }
        )

    small = {q: (r, "") for q, r in answers.items()}
    large = {q: (r, "") for q, r in big_answers.items()}
    m1, m2 = mapping_for(esmg), mapping_for(big_fw)
    a = median_ms(lambda: carry_forward(m1, esmg, esmg, small, {}))
    b = median_ms(lambda: carry_forward(m2, big_fw, big_fw, large, {}))
    print(f"carry answers forward: guideline {a:.3f} ms; baseline 10x framework {b:.3f} ms")


if __name__ == "__main__":
    main()
