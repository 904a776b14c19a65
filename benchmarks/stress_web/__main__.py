"""What the web layer adds to a stress sweep (`python -m benchmarks.stress_web [--quick]`).

On the demo company (184 sites), medians of repeated runs:
(a) the sweep as the CLI runs it (chunks of 32, no progress) against the web job's in-process
    mode (one scenario per chunk, a throttled progress callback per scenario): the overhead of
    progress per scenario;
(b) explaining the top 25 rows of the ranking (one scenario solve each, per-product TTS);
(c) exports of a Ford-sized ranking (4,400 rows): CSV and XLSX with formula neutralising,
    against writing the same rows without neutralising.
No database: the engines and the exporters are pure.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import django

from econsec.stress.api import Engine, sweep
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

# The web modules import the stress store's models: Django must be set up (no database is used).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsec.web.settings")
django.setup()

from econsec.stress.web import export as stress_export  # noqa: E402
from econsec.stress.web import run as stress_run  # noqa: E402


def _median(fn: Callable[[], Any], repeats: int) -> float:
    fn()  # warm-up: caches (message catalog, engine models) are not what is measured
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ford_sized_payload(rows: int = 4400) -> dict[str, Any]:
    return {
        "by": "site",
        "data_version": "x" * 64,
        "solver_version": "HiGHS",
        "econsec_version": "0",
        "created_at": "2026-01-23T00:00:00+00:00",
        "currency": "JPY",
        "rows": [
            {
                "kind": "site",
                "id": f"=SITE-{i}" if i % 50 == 0 else f"SITE-{i}",
                "ttr_weeks": 20.0,
                "tts_weeks": None if i % 3 else 4.5,
                "lost_margin": 1e6 * (rows - i),
                "lost_revenue": 8e6 * (rows - i),
                "rei": (rows - i) / rows,
                "material": i % 3 == 0,
                "status": "ok",
            }
            for i in range(rows)
        ],
    }


def _plain_csv(payload: dict[str, Any]) -> bytes:
    _title, header, rows = stress_export.tables(payload, "en")[0]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def main(argv: list[str]) -> None:
    repeats = 1 if "--quick" in argv else 3
    chain = compile_tables(demo_company())
    print(
        f"demo company: {len(chain.site_ids)} sites, {chain.n_nodes} nodes, {chain.n_links} links"
    )

    cli = _median(lambda: sweep(chain, "site"), repeats)
    calls = [0]

    def progress(done: int, total: int) -> None:
        calls[0] += 1

    web = _median(lambda: sweep(chain, "site", chunk_size=1, progress=progress), repeats)
    print(f"(a) sweep by site, CLI chunks of 32:            {cli * 1000:8.0f} ms (median)")
    print(
        f"    web job, one scenario per chunk + progress: {web * 1000:8.0f} ms (median)"
        f"  ratio {web / cli:.2f}, {calls[0] // (repeats + 1)} progress calls per run"
    )

    payload = sweep(chain, "site")
    engine = Engine(chain)

    def explain() -> None:
        fresh = {**payload, "rows": [dict(r) for r in payload["rows"]]}
        stress_run.explain_rows(engine, fresh)

    print(
        f"(b) explain the top {stress_run.DETAIL_ROWS} rows:"
        f"                   {_median(explain, repeats) * 1000:8.0f} ms (median)"
    )

    big = _ford_sized_payload()
    plain = _median(lambda: _plain_csv(big), repeats)
    safe = _median(lambda: stress_export.to_csv(big, "en"), repeats)
    xlsx = _median(lambda: stress_export.to_xlsx(big, "en"), repeats)
    print(f"(c) 4,400-row ranking CSV without neutralising: {plain * 1000:8.0f} ms (median)")
    print(
        f"    CSV with neutralising:                      {safe * 1000:8.0f} ms"
        f"  ratio {safe / plain:.2f}"
    )
    print(f"    XLSX with neutralising:                     {xlsx * 1000:8.0f} ms (median)")


if __name__ == "__main__":
    main(sys.argv[1:])
