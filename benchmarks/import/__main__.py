"""Validate + import a Ford-scale workbook into a fresh SQLite store; time and peak memory.

Ford scale (Simchi-Levi et al., Interfaces 2015): 4,400 supplier sites, 55,000 part types,
10 tiers. Each repeat imports into a new, empty database in a child process, so the peak
resident memory reported is the importer's own (generation and workbook writing happen in this
parent process, outside the measurement); the workbook is read in a memory-limited child of
its own (econsec.isolated), whose peak is reported beside it. Goal: ≤ 60 s and ≤ 2 GB on 2 cores.

    python -m benchmarks.import [--sites 4400 --parts 55000 --tiers 10 --repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from econsec.store import open_store
open_store()
t1 = time.perf_counter()
from econsec.valuechain.intake.apply import import_path, validate_path
v = validate_path(Path(sys.argv[1]))
t2 = time.perf_counter()
from econsec import isolated
reader_mb = (isolated.last_peak_bytes() or 0) / 1024 / 1024
outcome = import_path(Path(sys.argv[1]))
t3 = time.perf_counter()
assert outcome.run is not None, [i.render("en") for i in outcome.validation.errors[:5]]
print(json.dumps({
    "migrate_s": t1 - t0, "validate_s": t2 - t1, "import_s": t3 - t2,
    "rows": outcome.run.created, "errors": len(v.errors),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "reader_mb": reader_mb,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from econsec.valuechain.generators.synthetic import generate_network
    from econsec.valuechain.workbook import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "ford.xlsx"
        t0 = time.perf_counter()
        tables = generate_network(
            sites=args.sites, parts=args.parts, tiers=args.tiers, seed=args.seed
        )
        t1 = time.perf_counter()
        write_workbook(tables, book)
        t2 = time.perf_counter()
        rows = {name: len(rows) for name, rows in tables.items()}
        del tables
        print(f"network: {args.sites} sites, {args.parts} parts, {args.tiers} tiers; rows {rows}")
        print(
            f"generate {t1 - t0:.1f} s, write xlsx {t2 - t1:.1f} s, "
            f"file {book.stat().st_size / 1e6:.1f} MB"
        )
        results = []
        for n in range(args.repeat):
            env = {**os.environ, "ECONSEC_DATA_DIR": str(Path(tmp) / f"store{n}")}
            env.pop("DATABASE_URL", None)  # the embedded default: a SQLite file
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(book)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(
                f"  run {n + 1}: validate {result['validate_s']:.1f} s + import "
                f"{result['import_s']:.1f} s (import re-validates), "
                f"peak RSS {result['peak_rss_mb']:.0f} MB (reader child "
                f"{result['reader_mb']:.0f} MB), {result['rows']} rows"
            )
        total = [r["import_s"] for r in results]
        validate = [r["validate_s"] for r in results]
        peak = [r["peak_rss_mb"] for r in results]
        print(
            f"median: validate-only {statistics.median(validate):.1f} s; "
            f"validate+import {statistics.median(total):.1f} s (goal ≤ 60 s); "
            f"peak RSS {statistics.median(peak):.0f} MB (goal ≤ 2048 MB)"
        )


if __name__ == "__main__":
    main()
