"""Supplier mapping at Ford scale: workbooks for every tier-1 supplier; validate and merge returns.

Ford scale (Simchi-Levi et al., Interfaces 2015): 4,400 supplier sites over 10 tiers, of which
about 1,360 at tier 1. Goals (issue 16): workbooks for ~1,400 tier-1 suppliers in 60 s, and
validating and merging as many returned workbooks in 120 s, on 2 cores.

Both ways of writing the workbooks run in the same process: "templated" loads the template
with openpyxl, fills it and saves it (questionnaire.fill_templated, the way before), "stamp"
stamps each supplier's rows into the template's XML (questionnaire.fill, tabular.RowStamp); both
on the process pool, then one supplier after another in one process. Validation runs twice too:
with the reader process started without the survey reader (each workbook's child imports it
and reads the country table) and with it preloaded (econsec.isolated.PRELOAD).

The returned workbooks are the generated ones with new sub-tier sources added (every 4th input
split 70/30 with a new sub-supplier, and one new input per supplier; see ``_answer``), filled
with openpyxl beforehand, not timed; the merge's changes are printed by kind. "Merge" is the diff against the chain and
the merged tables (survey.diff); the store write is the value-chain import, benchmarked in
benchmarks/import.

    python -m benchmarks.survey [--sites 4400 --parts 55000 --tiers 10 --workers 2 --repeat 3
                                 --reference-repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any


@dataclass
class _Asked:  # what brief() reads of a survey.models.Request
    campaign_id: int
    org_id: str
    org_name: str
    language: str
    expires_at: dt.datetime


def _median(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return "/".join(handle.read().split()[:3])


def _without_survey_preload() -> None:  # a pool worker's reader process as it was started before
    from econsec import isolated

    isolated.PRELOAD = tuple(p for p in isolated.PRELOAD if not p.startswith("econsec.survey"))


NEW_SOURCE_EVERY = 4  # every 4th input a supplier uses gets a source we do not know
NEW_SHARE = 0.3


def _answer(path: Path, out: Path) -> None:
    """What a supplier might return: the sources we know, every 4th input at each site split
    70/30 with a sub-supplier we do not know (a new company, site and link, and a changed share
    for each known source), and one new input of its first item from another new site."""
    from openpyxl import load_workbook

    from econsec.survey import layout as lay

    book = load_workbook(path)
    ws = book[lay.SOURCES]
    cols = {k: i for i, k in enumerate(lay.keys(lay.SOURCES), start=1)}
    groups: dict[tuple[str, str, str], list[int]] = {}
    for row in range(lay.FIRST_DATA_ROW, ws.max_row + 1):
        item = ws.cell(row, cols["item_id"]).value
        if item is None:
            continue
        site = ws.cell(row, cols["your_site_id"]).value
        need = ws.cell(row, cols["input_item_id"]).value
        groups.setdefault((site, need, item), []).append(row)
    needs = sorted({(site, need) for site, need, _ in groups})
    split = set(needs[::NEW_SOURCE_EVERY])  # the same for every item that needs the input
    last = ws.max_row
    added: list[dict[str, Any]] = []
    for (site, need, item), rows in groups.items():
        if (site, need) not in split:
            continue
        for row in rows:
            share = ws.cell(row, cols["share"])
            share.value = round(float(share.value) * (1 - NEW_SHARE), 6)
        added.append({"item_id": item, "your_site_id": site, "input_item_id": need,
                      "source_company": f"Sub-supplier of {site}", "source_company_country": "VN",
                      "source_site": f"{need} works", "source_site_country": "VN",
                      "share": NEW_SHARE, "sourcing": "multi"})  # fmt: skip
    first = min(groups, default=None)
    if first is not None:
        added.append({"item_id": first[2], "your_site_id": first[0],
                      "input_name": f"Coating for {first[2]}", "quantity_per_unit": 0.1,
                      "source_company": f"Coater of {first[0]}", "source_company_country": "TH",
                      "share": 1.0, "sourcing": "single"})  # fmt: skip
    for r, values in enumerate(added, start=last + 1):
        for key, value in values.items():
            ws.cell(r, cols[key], value)
    book.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reference-repeat",
        type=int,
        default=1,
        help="runs of the slower reference ways (templated, not preloaded)",
    )
    parser.add_argument(
        "--baseline", type=int, default=50, help="suppliers written in one process by each way"
    )
    args = parser.parse_args()

    import os

    os.environ.setdefault("ECONSEC_DATA_DIR", tempfile.mkdtemp())
    from econsec.store import open_store

    open_store()  # campaigns.py holds the store's models; nothing is stored here
    from econsec.survey import questionnaire as q
    from econsec.survey.campaigns import _Chain, brief, expectation
    from econsec.survey.diff import Said, apply, plan
    from econsec.valuechain.compile import compile_tables
    from econsec.valuechain.generators import generate_network

    tables = generate_network(args.sites, args.parts, args.tiers, args.seed)
    for name in ("organisations", "sites", "items", "bom", "supply_links", "recovery"):
        tables.setdefault(name, [])
    chain = _Chain(tables)
    compiled = compile_tables(tables)
    tier1 = sorted({compiled.org_ids[compiled.site_org[s]] for s in range(len(compiled.site_ids))
                    if compiled.site_tier[s] == 1})  # fmt: skip
    expires = dt.datetime(2027, 1, 31, tzinfo=dt.UTC)
    asked = [_Asked(1, org, chain.orgs[org]["name"], "ja", expires) for org in tier1]
    briefs = [brief(a, chain) for a in asked]  # type: ignore[arg-type]
    print(f"tier-1 suppliers: {len(briefs):,}; prefilled source rows: "
          f"{sum(len(b.sources) for b in briefs):,}")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        each: dict[str, float] = {}
        for way, templated, repeat in (("templated", True, args.reference_repeat),
                                       ("stamp", False, args.repeat)):  # fmt: skip
            folder = root / way
            with ProcessPoolExecutor(args.workers) as pool:
                pool.submit(q.write_all, briefs[:2], folder, templated=templated).result()
                took, _ = _median(
                    partial(q.write_all, briefs, folder, pool, templated=templated), repeat
                )
            load = _load()
            print(f"workbooks ({way}): {len(briefs):,} in {took:.1f} s median of {repeat} "
                  f"({1000 * took / len(briefs):.1f} ms each, {args.workers} processes; load "
                  f"{load}); goal 60 s; {'met' if took <= 60 else 'MISSED'}")  # fmt: skip
            few = briefs[: args.baseline]
            q.write_all(few[:2], root / "one", templated=templated)  # templates laid out
            alone, _ = _median(partial(q.write_all, few, root / "one", templated=templated), 1)
            each[way] = 1000 * alone / len(few)
        print(f"one process ({args.baseline} suppliers): templated {each['templated']:.1f} ms vs "
              f"stamp {each['stamp']:.1f} ms each")  # fmt: skip

        returned = root / "returned"
        returned.mkdir()
        for b in briefs:
            _answer(root / "stamp" / b.file_name(), returned / b.file_name())
        expects = [expectation(a, chain) for a in asked]  # type: ignore[arg-type]
        jobs = [(str(returned / b.file_name()), e) for b, e in zip(briefs, expects, strict=True)]

        def validate_and_merge(preloaded: bool) -> tuple[int, Any]:
            start = None if preloaded else _without_survey_preload
            with ProcessPoolExecutor(args.workers, initializer=start) as pool:
                readings = list(pool.map(_read, jobs, chunksize=max(1, len(jobs) // 32)))
            said = [Said(i, a.org_id, r.rows) for i, (a, r) in enumerate(zip(asked, readings, strict=True))
                    if r.ok]  # fmt: skip
            planned = plan(tables, said)
            apply(tables, planned.changes)
            return len(said), planned

        for how, preloaded, repeat in (("without", False, args.reference_repeat),
                                       ("with", True, args.repeat)):  # fmt: skip
            took, (valid, planned) = _median(partial(validate_and_merge, preloaded), repeat)
            print(f"validate + merge ({how} the reader preloaded): {len(jobs):,} workbooks "
                  f"({valid:,} valid, {len(planned.changes):,} changes, "
                  f"{len(planned.conflicts):,} conflicts) in {took:.1f} s median of {repeat} "
                  f"(load {_load()}); goal 120 s; {'met' if took <= 120 else 'MISSED'}")  # fmt: skip
        print("changes by kind: " + ", ".join(f"{k} {v:,}" for k, v in
                                              sorted(planned.counts().items())))  # fmt: skip


def _read(job: tuple[str, Any]) -> Any:
    from econsec.survey.answers import read_answer

    return read_answer(Path(job[0]), job[1])


if __name__ == "__main__":
    main()
