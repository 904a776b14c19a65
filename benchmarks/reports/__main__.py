"""Board report timings on the demo company with its stress results: build (exposure analysis,
the two example scenarios and the site sweep, then assembly), the Japanese PDF, the HTML file
and the xlsx workbook; then assembly and outputs on a synthetic network. Medians of 5 runs.
Run: ``python -m benchmarks.reports``."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from econsec.exposure.analyse import Options, analyse
from econsec.reports.assemble import StoredScenario, assemble
from econsec.reports.html import board_html
from econsec.reports.pdf import board_pdf
from econsec.reports.xlsx import board_workbook
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain

RUNS = 5
SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def median_seconds(fn: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _tags(chain: CompiledChain) -> dict[str, list[str]]:
    return {
        item: [*chain.item_critical_tags[i], *chain.item_mineral_tags[i]]
        for i, item in enumerate(chain.item_ids)
    }


def _stress(chain: CompiledChain) -> tuple[list[StoredScenario], dict[str, Any]]:
    """The example scenarios and the site sweep, computed as ``econsec demo`` does."""
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.engine import Engine
    from econsec.stress.sweep import local_executor, sweep

    engine = Engine(chain)
    stored = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(str(path))
        payload = run_scenario(engine, scenario)
        names = {"ja": scenario.name("ja"), "en": scenario.name("en")}
        stored.append(StoredScenario(names, payload))
    with local_executor(chain, None) as pool:
        swept = sweep(chain, "site", executor=pool)
    return stored, swept


def measure_demo() -> None:
    from econsec.valuechain.generators.demo import demo_company

    chain = compile_tables(demo_company())
    tags = _tags(chain)

    def build() -> Any:
        report = analyse(chain, Options())
        scenarios, swept = _stress(chain)
        return assemble(report, item_tags=tags, home={"JP"}, scenarios=scenarios, sweep=swept)

    board = build()
    t_build = median_seconds(build, 3)  # the sweep dominates: fewer runs
    t_pdf = median_seconds(lambda: board_pdf(board, "ja"))
    t_html = median_seconds(lambda: board_html(board, "ja"))
    t_xlsx = median_seconds(lambda: board_workbook(board, "ja"))
    pages = board_pdf(board, "ja").count(b"/Type /Page\n")
    print(
        f"demo company: build {t_build:.2f} s (median of 3) | ja PDF {t_pdf:.2f} s | "
        f"HTML {t_html:.2f} s | xlsx {t_xlsx:.2f} s (medians of {RUNS}) | "
        f"{len(board.findings)} findings, {len(board.charts)} charts, ~{pages} PDF pages"
    )


def measure_synthetic() -> None:
    from econsec.valuechain.generators.synthetic import generate_network

    # About a tenth of Ford's scale: the report lists the top rows only, so its cost should
    # grow with the analysis, not with the network.
    chain = compile_tables(generate_network(440, 5500, 6, 7))
    report = analyse(chain, Options())
    tags = _tags(chain)
    board = assemble(report, item_tags=tags, home={"JP"})
    t_assemble = median_seconds(lambda: assemble(report, item_tags=tags, home={"JP"}))
    t_pdf = median_seconds(lambda: board_pdf(board, "ja"))
    t_xlsx = median_seconds(lambda: board_workbook(board, "ja"))
    print(
        f"synthetic 440 sites / 5,500 parts: assemble {t_assemble * 1000:.0f} ms | "
        f"ja PDF {t_pdf:.2f} s | xlsx {t_xlsx:.2f} s (medians of {RUNS})"
    )


def main() -> None:
    measure_demo()
    measure_synthetic()


if __name__ == "__main__":
    main()
