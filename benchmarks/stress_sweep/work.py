"""Worker-side helper for the benchmark: solve sweep entries one by one and time each."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Sequence
from typing import Any

from econsec.stress.sweep import SweepSpec, run_specs

LOG_ENV = "ECONSEC_STRESS_SITE_LOG"
"""When set, each worker appends one line per site (start, then figures) to this file."""


def timed_specs(chain: Any, specs: Sequence[SweepSpec]) -> list[dict[str, Any]]:
    """``run_specs`` per entry, with its wall time and the worker's peak memory (MB)."""
    log_path = os.environ.get(LOG_ENV)
    rows = []
    for spec in specs:
        if log_path:
            # The start line is written first so a site that never finishes is still named.
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"start {spec.id} pid={os.getpid()}\n")
        start = time.perf_counter()
        row = run_specs(chain, [spec])[0]
        row["seconds"] = time.perf_counter() - start
        row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if log_path:
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(
                    f"done {spec.id} pid={os.getpid()} seconds={row['seconds']:.3f} "
                    f"solves={row.get('lp_solves', 0)} rounds={row.get('rounds', 0)} "
                    f"free={row.get('free_columns', 0)} fell_back={row.get('fell_back', False)} "
                    f"status={row['status']}\n"
                )
        rows.append(row)
    return rows
