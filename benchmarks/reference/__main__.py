"""Time the reference-data look-ups that analytics call once per supply link or item.

Prints medians. The baseline for country normalisation is a linear scan over every name
(what a naive implementation would do), run in the same process on the same inputs.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from econsec.reference import countries as countries_module
from econsec.reference.countries import all_countries, normalise_country
from econsec.reference.minerals import mineral_supply, production_rows
from econsec.reference.products import match_item

ROUNDS = 5


def _median_seconds(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _inputs(n: int) -> list[str]:
    rng = random.Random(7)
    pool: list[str] = []
    for c in all_countries():
        pool += [c.alpha_2, c.alpha_3.lower(), f" {c.name_en} ", c.name_ja]
    pool += ["ＪＰ", "米国", "台湾", "USA", "Viet Nam", "unknown place"]
    return [rng.choice(pool) for _ in range(n)]


def main() -> None:
    start = time.perf_counter()
    countries_module._index()
    print(f"country index build (cold): {time.perf_counter() - start:.3f} s")

    texts = _inputs(100_000)
    indexed = _median_seconds(lambda: [normalise_country(t) for t in texts])
    entries = [
        (countries_module._key(text), code) for text, code in countries_module._index_entries()
    ]

    def linear(text: str) -> str | None:
        key = countries_module._key(text)
        return next((code for k, code in entries if k == key), None)

    sample = texts[:2_000]
    naive = _median_seconds(lambda: [linear(t) for t in sample], rounds=3) * (
        len(texts) / len(sample)
    )
    print(
        f"normalise_country, 100k mixed inputs: {indexed:.3f} s median "
        f"({len(texts) / indexed:,.0f}/s); linear-scan baseline ≈ {naive:.1f} s "
        f"({naive / indexed:.0f}× slower)"
    )

    tag_sets = [["permanent_magnets"], ["dysprosium"], ["office_chairs"], []]
    hs_codes = ["8542.31", "8505.11", "9403.30", None]
    items = [(tag_sets[i % 4], hs_codes[(i // 4) % 4]) for i in range(20_000)]
    matched = _median_seconds(lambda: [match_item(t, h) for t, h in items])
    print(f"match_item, 20k items: {matched:.3f} s median ({len(items) / matched:,.0f}/s)")

    minerals = sorted({r.mineral for r in production_rows()})
    supply = _median_seconds(lambda: [mineral_supply(m) for m in minerals])
    print(f"mineral_supply for all {len(minerals)} minerals (warm): {supply * 1000:.2f} ms median")


if __name__ == "__main__":
    main()
