"""Stored runs reproduce the engine's own figures (same seed, same data version), and the
measures sheet round-trips through export and an all-or-nothing import."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from econsec.planning import store
from econsec.planning.likelihood import parse_risks
from econsec.planning.measures import Measure
from econsec.planning.montecarlo import loss_distribution, summary
from econsec.planning.portfolio import optimise_result
from econsec.valuechain.generators.demo import demo_company

SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
RISKS = {"max_weeks": 40, "scenarios": [
    {"file": "ree.yaml", "frequency_per_year": 0.6,
     "duration": {"kind": "triangular", "low": 2, "mode": 6, "high": 20}}]}  # fmt: skip


@pytest.fixture
def stored(db: Any, tmp_path: Path) -> Any:
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import compile_store

    import_tables(demo_company(), "demo")
    scenario = SCENARIOS / "cn-rare-earth-export-restriction-26w.yaml"
    (tmp_path / "ree.yaml").write_text(scenario.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "risks.yaml"
    path.write_text(yaml.safe_dump(RISKS), encoding="utf-8")
    return compile_store(), path


def test_simulation_run_equals_direct_distribution(stored: Any) -> None:
    chain, path = stored
    _result, run = store.simulate(chain, store.pack_risks(path), years=300, seed=7, actor="t")
    risks = parse_risks(RISKS, chain, "risks", path.parent)
    dist, _ = loss_distribution(chain, risks.risks, years=300, seed=7, max_weeks=40)
    direct = summary(dist, risks.risks)
    assert direct["eal"] > 0
    assert run is not None and run.data_version == chain.version and run.seed == 7
    for key in ("eal", "var95", "cvar95", "var99", "cvar99"):
        assert run.results[key] == pytest.approx(direct[key], rel=1e-12)
    assert run.eal == pytest.approx(float(dist.annual.mean()), rel=1e-12)
    assert run.results["exceedance"] == [list(p) for p in direct["exceedance"]]
    # stored inputs alone re-run the same figures (no file on disk needed)
    path.unlink()
    (path.parent / "ree.yaml").unlink()
    again, _ = store.simulate(chain, run.inputs["risks"], years=300, seed=7, actor="t", save=False)
    assert again["eal"] == pytest.approx(run.eal, rel=1e-12)


def test_optimisation_run_stores_portfolio_and_before_after(stored: Any) -> None:
    chain, path = stored
    site, item = chain.site_ids, chain.item_ids
    k = int(np.argmax(chain.slot_inventory >= 0))
    stock = Measure("stock", "safety_stock", site=site[chain.slot_site[k]],
                    item=item[chain.slot_item[k]], weeks_of_cover=6.0, annual_cost=1.0)  # fmt: skip
    packed = store.pack_risks(path)
    _result, run = store.optimise(chain, packed, [stock], years=20, seed=3, actor="t",
                                 distribution_years=200)  # fmt: skip
    direct = optimise_result(chain, store.unpack_risks(packed, chain), [stock], years=20, seed=3,
                             marginal=True)  # fmt: skip
    assert run is not None and run.kind == "optimisation"
    assert run.results["portfolio"]["chosen"] == direct["portfolio"]["chosen"]
    assert run.eal == pytest.approx(direct["portfolio"]["eal_before"], rel=1e-9)
    before = run.results["distribution_before"]
    assert before["eal"] >= 0 and len(before["exceedance"]) > 0
    if direct["portfolio"]["chosen"]:
        assert run.results["case"]["one_off_cost"] == pytest.approx(0.0)
        assert run.results["distribution_after"]["eal"] <= before["eal"] + 1e-6
    assert all(isinstance(v, (int, float)) and math.isfinite(v)
               for v in (run.eal, run.results["portfolio"]["cost"]))  # fmt: skip


def test_sheet_round_trip_and_all_or_nothing(stored: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from econsec.planning.models import Measure as Row
    from econsec.planning.sheet import SheetProblems, export, parse

    chain, _ = stored
    k = 0
    site, item = chain.site_ids[chain.slot_site[k]], chain.item_ids[chain.slot_item[k]]
    good = {"id": "m1", "kind": "safety_stock", "site": site, "item": item, "units": 40.0,
            "annual_cost": 1000.0, "source": "=HYPERLINK(\"x\")"}  # fmt: skip
    out = tmp_path / "measures.xlsx"
    export(out, [good], "ja")
    measures = parse(out, chain)
    assert [m.to_dict() for m in measures] == [Measure(**good).to_dict()]
    store.save_measures(measures, origin="import", actor="t")
    assert Row.objects.get().spec() == good

    wb = Workbook()
    ws = wb.active
    ws.title = "measures"
    ws.append(["id", "kind", "site", "item", "units", "annual_cost"])
    ws.append(["m2", "safety_stock", site, item, 5, 10])
    ws.append(["m3", "safety_stock", "NO-SUCH-SITE", item, 5, 10])
    ws.append(["m4", "safety_stock", site, item, 5, -1])
    ws.append(["m2", "safety_stock", site, "NO-ITEM", 5, 10])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(SheetProblems) as caught:
        parse(bad, chain)
    found = [(p.row, p.column, p.key) for p in caught.value.problems]
    assert found == [(3, "site", "planning.measure.unknown"),
                     (4, "annual_cost", "planning.measure.negative"),
                     (5, "id", "planning.sheet.duplicate")]  # fmt: skip
    text = caught.value.message("ja")
    assert "シート「measures」3 行目" in text and "NO-SUCH-SITE" in text
    assert Row.objects.count() == 1


def test_cli_saves_runs_reports_and_the_catalogue(stored: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from econsec.cli import app
    from econsec.planning.models import Measure as Row
    from econsec.planning.models import Run

    chain, path = stored
    runner = CliRunner()
    measures = Path(__file__).resolve().parents[2] / "examples" / "planning" / "measures.yaml"
    done = runner.invoke(app, ["plan", "optimise", str(path), str(measures), "--years", "10",
                               "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0, done.output
    run = Run.objects.get(kind="optimisation")
    assert f"run #{run.pk}" in done.output and run.data_version == chain.version
    assert [r["label"] for r in run.results["risks"]] and run.inputs["candidates"]
    skipped = runner.invoke(app, ["plan", "simulate", str(path), "--years", "20", "--no-save"])
    assert skipped.exit_code == 0 and Run.objects.count() == 1
    out = tmp_path / "invest.xlsx"
    written = runner.invoke(app, ["plan", "report", "--out", str(out), "--lang", "ja"])
    assert written.exit_code == 0, written.output
    cells = {str(c.value) for ws in load_workbook(out).worksheets for r in ws.iter_rows()
             for c in r if c.value is not None}  # fmt: skip
    assert any("magnet-second-source" in c for c in cells) == ("magnet-second-source"
                                                                 in run.results["portfolio"]["chosen"])  # fmt: skip
    assert any(chain.version[:12] in c for c in cells)
    book = tmp_path / "catalogue.xlsx"
    from econsec.planning.sheet import export

    export(book, [{"id": "s1", "kind": "safety_stock", "site": "TOHO-HMM",
                   "item": "C-MAG-NDFEB-DY", "weeks_of_cover": 4.0}], "en")  # fmt: skip
    assert runner.invoke(app, ["plan", "measures", "import", str(book)]).exit_code == 0
    assert list(Row.objects.values_list("measure_id", flat=True)) == ["s1"]
    listed = runner.invoke(app, ["plan", "measures", "list", "--lang", "en"])
    assert "s1" in listed.output
    again = tmp_path / "again.xlsx"
    assert runner.invoke(app, ["plan", "measures", "export", str(again)]).exit_code == 0
    assert load_workbook(again).worksheets[0]["A3"].value == "s1"


def test_cli_optimises_over_the_catalogue_with_a_cvar_limit(stored: Any, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from econsec.cli import app

    chain, path = stored
    runner = CliRunner()
    empty = runner.invoke(app, ["plan", "optimise", str(path), "--catalogue", "--no-save",
                                "--lang", "en"])  # fmt: skip
    assert empty.exit_code == 1 and "--catalogue" in empty.output + str(empty.stderr)
    specs = [
        {"id": "src", "kind": "prequalify", "supplier_site": "HOKU-ECZ", "site": "TOHO-HMM",
         "item": "C-MAG-NDFEB-DY", "one_off_cost": 30_000_000.0},
        {"id": "stk", "kind": "safety_stock", "site": "TOHO-HMM", "item": "C-MAG-NDFEB-DY",
         "weeks_of_cover": 8.0, "annual_cost": 5_000_000.0},
    ]  # fmt: skip
    store.save_measures([store.parse_measure(s, "t") for s in specs], origin="form", actor="t")
    out = tmp_path / "o.json"
    done = runner.invoke(app, ["plan", "optimise", str(path), "--catalogue", "--years", "10",
                               "--no-save", "--out", str(out), "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0, done.output
    result = json.loads(out.read_text("utf-8"))
    assert sorted(m["id"] for m in result["measures"]) == ["src", "stk"]
    # the same figures as the engine's own optimisation over those measures
    risks = parse_risks(RISKS, chain, "risks", path.parent)
    direct = optimise_result(chain, risks, store.catalogue(), years=10, seed=1)
    assert result["portfolio"]["objective"] == pytest.approx(direct["portfolio"]["objective"])
    p = direct["portfolio"]
    assert "CVaR95% of the annual loss after" in done.output
    # a limit no portfolio keeps is refused, located, in Japanese too
    low = f"{p['cvar_after'] * 0.5:.0f}" if p["cvar_after"] > 0 else "0"
    if p["cvar_after"] > 0:
        refused = runner.invoke(app, ["plan", "optimise", str(path), "--catalogue", "--years",
                                      "10", "--no-save", "--cvar-limit", low, "--lang", "ja"])  # fmt: skip
        assert refused.exit_code == 1
        assert "cvar_limit" in refused.output + str(refused.stderr)
