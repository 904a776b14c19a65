"""The governance loop's speed (`python -m benchmarks.governance [--part chain|kri|all]`).

On a fresh SQLite file (in a temporary ECONSEC_DATA_DIR; PostgreSQL when DATABASE_URL is set):
(a) append N events (``--events``, 100,000 by default) one by one, each its own transaction with
    the head locked, as the capabilities append them: events/s;
(b) verify the whole chain, repeated R times: median events/s (goal: ≥ 50,000/s on SQLite);
(c) every key risk indicator on a Ford-scale value chain (4,400 supplier sites, 55,000 parts,
    10 tiers) after the exposure analysis is stored, repeated R times: median seconds for all
    of them, and each indicator's own median (goal: all ≤ 5 s).
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
    parser.add_argument("--part", choices=("chain", "kri", "all"), default="all")
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    args = parser.parse_args()
    os.environ.setdefault("ECONSEC_DATA_DIR", tempfile.mkdtemp(prefix="econsec-bench-"))

    from econsec.store import database_label, open_store

    open_store()
    print(f"database: {database_label()}")
    if args.part in ("chain", "all"):
        chain(args.events, args.repeats)
    if args.part in ("kri", "all"):
        indicators(args.sites, args.parts, args.repeats)


def chain(events: int, repeats: int) -> None:
    from econsec.governance.chain import append, verify
    from econsec.governance.models import AuditEvent, AuditHead

    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    detail = {"source": "benchmark", "data_version": "x" * 64, "counts": [1, 2, 3]}
    start = time.perf_counter()
    for i in range(events):
        append("bench.event", f"obj:{i}", actor="benchmark", reason="load test", detail=detail)
    appended = time.perf_counter() - start
    print(f"append: {events:,} events in {appended:.1f} s = {events / appended:,.0f}/s")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = verify()
        times.append(time.perf_counter() - start)
        assert result.ok and result.count == events, result
    median = statistics.median(times)
    print(
        f"verify: {events:,} events, median {median:.2f} s = {events / median:,.0f}/s "
        "(goal >= 50,000/s)"
    )


def indicators(sites: int, parts: int, repeats: int) -> None:
    import datetime as dt

    from django.utils import timezone

    from econsec.exposure.analyse import Options, analyse
    from econsec.exposure.store import save_report
    from econsec.governance import actions, kri, risks
    from econsec.valuechain.generators.synthetic import generate_network
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import compile_store

    start = time.perf_counter()
    tables = generate_network(sites=sites, parts=parts, tiers=10, seed=7)
    import_tables(tables, "benchmark")
    del tables
    report = analyse(compile_store(), Options())
    save_report(report)
    print(
        f"setup: {sites:,} sites, {parts:,} parts imported and analysed in "
        f"{time.perf_counter() - start:.0f} s ({len(report.products):,} products)"
    )
    today = timezone.localdate()
    for i in range(200):  # a register and its measures of a realistic size
        risk = risks.create(f"B-{i:03d}", actor="benchmark", title_ja="リスク", title_en="risk",
                            entered_impact=1e8 * (i + 1))  # fmt: skip
        actions.create(actor="benchmark", risk=risk, title_ja="対応", title_en="action",
                       owner="owner", due=today + dt.timedelta(days=i - 100))  # fmt: skip
    per_key: dict[str, list[float]] = {}
    totals = []
    for _ in range(repeats):
        ctx = kri.Context(timezone.now(), report.data_version)
        t0 = time.perf_counter()
        for d in kri.definitions():
            t1 = time.perf_counter()
            kri.evaluate(d, ctx)
            per_key.setdefault(d.key, []).append(time.perf_counter() - t1)
        totals.append(time.perf_counter() - t0)
        start = time.perf_counter()
        readings = kri.compute_all()  # the same, stored (as the schedule runs it)
        per_key.setdefault("(compute_all, stored)", []).append(time.perf_counter() - start)
    for key, values in per_key.items():
        print(f"  {key}: median {statistics.median(values):.2f} s")
    values = ", ".join(f"{r.key}={r.value:g}" for r in readings)
    print(f"indicators: {len(readings)} ({values})")
    print(
        f"indicators at {sites:,} sites / {parts:,} parts: median {statistics.median(totals):.2f} s"
        " for all (goal <= 5 s)"
    )


if __name__ == "__main__":
    main()
