"""Board report build time on the demo company and a synthetic network: assembly, PDF (both
languages) and xlsx, medians of 5 runs. Run: ``python -m benchmarks.reports``."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from econsec.exposure.analyse import Options, analyse
from econsec.reports.assemble import assemble
from econsec.reports.pdf import board_pdf
from econsec.reports.xlsx import board_workbook
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain

RUNS = 5


def median_seconds(fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(label: str, chain: CompiledChain) -> None:
    report = analyse(chain, Options())
    tags = {
        item: [*chain.item_critical_tags[i], *chain.item_mineral_tags[i]]
        for i, item in enumerate(chain.item_ids)
    }
    board = assemble(report, item_tags=tags, home={"JP"})
    t_assemble = median_seconds(lambda: assemble(report, item_tags=tags, home={"JP"}))
    t_pdf = median_seconds(lambda: (board_pdf(board, "ja"), board_pdf(board, "en")))
    t_xlsx = median_seconds(lambda: (board_workbook(board, "ja"), board_workbook(board, "en")))
    size = len(board_pdf(board, "ja"))
    print(
        f"{label}: {len(report.products)} products, {len(chain.site_ids)} sites | "
        f"assemble {t_assemble * 1000:.1f} ms | PDF ja+en {t_pdf * 1000:.0f} ms "
        f"({size / 1024:.0f} KiB ja) | xlsx ja+en {t_xlsx * 1000:.0f} ms (medians of {RUNS})"
    )


def main() -> None:
    from econsec.valuechain.generators.demo import demo_company

    measure("demo company", compile_tables(demo_company()))
    from econsec.valuechain.generators.synthetic import generate_network

    # About a tenth of Ford's scale (4,400 supplier sites, 55,000 parts): the report lists the
    # top rows only, so its cost should grow with the analysis, not with the network.
    measure("synthetic 440 sites / 5,500 parts", compile_tables(generate_network(440, 5500, 6, 7)))


if __name__ == "__main__":
    main()
