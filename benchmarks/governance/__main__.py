"""The audit trail's speed (`python -m benchmarks.governance [--events N] [--repeats R]`).

On a fresh SQLite file (in a temporary ECONSEC_DATA_DIR; PostgreSQL when DATABASE_URL is set):
(a) append N events (100,000 by default) one by one, each its own transaction with the head
    locked, as the capabilities append them: events/s;
(b) verify the whole chain, repeated R times: median events/s (goal: ≥ 50,000/s on SQLite).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("ECONSEC_DATA_DIR", tempfile.mkdtemp(prefix="econsec-bench-"))

    from econsec.store import database_label, open_store

    open_store()
    from econsec.governance.chain import append, verify
    from econsec.governance.models import AuditEvent, AuditHead

    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    detail = {"source": "benchmark", "data_version": "x" * 64, "counts": [1, 2, 3]}
    start = time.perf_counter()
    for i in range(args.events):
        append("bench.event", f"obj:{i}", actor="benchmark", reason="load test", detail=detail)
    appended = time.perf_counter() - start
    print(f"database: {database_label()}")
    print(f"append: {args.events:,} events in {appended:.1f} s = {args.events / appended:,.0f}/s")
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = verify()
        times.append(time.perf_counter() - start)
        assert result.ok and result.count == args.events, result
    median = statistics.median(times)
    print(f"verify: {args.events:,} events, median {median:.2f} s = {args.events / median:,.0f}/s")


if __name__ == "__main__":
    main()
