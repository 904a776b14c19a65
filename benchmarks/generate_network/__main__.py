"""Synthetic network generation at Ford scale: time, memory and rows; the demo company.

Ford scale (Simchi-Levi et al., Interfaces 2015): 4,400 supplier sites, 55,000 part types,
10 tiers. The baseline, run in the same process, is the same generator at a tenth of the size:
per-link time should stay flat (linear scaling). Goal: a few seconds and well under 1 GB.

    python -m benchmarks.generate_network [--sites 4400 --parts 55000 --tiers 10 --repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import psutil


def _timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from econsec.valuechain.generators import demo_company, generate_network
    from econsec.valuechain.workbook import write_csv_folder

    process = psutil.Process()
    rss_before = process.memory_info().rss

    def run(scale: int) -> dict[str, list[dict[str, object]]]:
        return generate_network(
            max(args.tiers, args.sites // scale),
            max(args.tiers, args.parts // scale),
            args.tiers,
            args.seed,
        )

    base_s, base = _timed(lambda: run(10), args.repeat)
    full_s, full = _timed(lambda: run(1), args.repeat)
    rss_after = process.memory_info().rss
    base_links = len(base["supply_links"])  # type: ignore[index]
    full_links = len(full["supply_links"])  # type: ignore[index]
    rows = sum(len(r) for r in full.values())  # type: ignore[union-attr]
    print(
        f"baseline 1/10 scale: median {base_s:.3f} s, {base_links} links, "
        f"{1e6 * base_s / base_links:.1f} µs per link"
    )
    print(
        f"full {args.sites} sites / {args.parts} parts / {args.tiers} tiers: median "
        f"{full_s:.3f} s, {full_links} links ({full_links / args.parts:.2f} per part), "
        f"{rows} rows, {1e6 * full_s / full_links:.1f} µs per link "
        f"(x{(full_s / full_links) / (base_s / base_links):.2f} the baseline per link)"
    )
    print(
        f"resident memory grew by {(rss_after - rss_before) / 2**20:.0f} MB "
        f"(holding both networks' tables)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_csv_folder(full, Path(tmp) / "ford")  # type: ignore[arg-type]
        print(f"writing the CSV folder: {time.perf_counter() - start:.2f} s (once)")
    demo_s, demo = _timed(demo_company, args.repeat)
    print(
        f"demo company: median {demo_s:.3f} s, {len(demo['items'])} items, "
        f"{len(demo['supply_links'])} links"
    )


if __name__ == "__main__":
    main()
