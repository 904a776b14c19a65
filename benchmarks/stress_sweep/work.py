"""Worker-side helper for the benchmark: solve sweep entries one by one and time each."""

from __future__ import annotations

import resource
import time
from collections.abc import Sequence
from typing import Any

from econsec.stress.sweep import SweepSpec, run_specs


def timed_specs(chain: Any, specs: Sequence[SweepSpec]) -> list[dict[str, Any]]:
    """``run_specs`` per entry, with its wall time and the worker's peak memory (MB)."""
    rows = []
    for spec in specs:
        start = time.perf_counter()
        row = run_specs(chain, [spec])[0]
        row["seconds"] = time.perf_counter() - start
        row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(row)
    return rows
