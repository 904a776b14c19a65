"""The demo company: the CLI names the expected weak points; bad input; stored results."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.exposure.analyse import analyse
from econsec.exposure.problems import ExposureError
from econsec.valuechain.compile import compile_tables
from tests.valuechain.minichain import mini_tables

demo = pytest.importorskip("econsec.valuechain.generators.demo")


def test_demo_cli_names_the_magnet_and_taiwan_semiconductor_chains(tmp_path: Path) -> None:
    out = tmp_path / "exposure.json"
    result = CliRunner().invoke(
        app, ["exposure", "--demo", "--format", "json", "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    products = {(p["site_id"], p["item_id"]): p for p in report["products"]}
    axle = products[("TOHO-HMM", "P-EAX150")]
    # Rare-earth magnet chain: the Baotou rare-earth mine and the Ganzhou NdFeB magnet plant
    # each stop the e-axle on their own; the product depends on permanent magnets.
    assert {"BAIYUN-MINE", "XIYAO-GZ"} <= set(axle["single_points_of_failure"])
    assert any("permanent-magnets" in c for c in axle["critical_products"])
    # Taiwan semiconductor chain: the Hsinchu fab stops the SiC inverter alone.
    inverter = products[("TOHO-KMM", "P-INV800")]
    assert "TJSC-HC" in inverter["single_points_of_failure"]
    countries = {e["element_id"]: e for e in report["losses"]["country"]}
    assert countries["CN"]["products"] and countries["TW"]["products"]

    table = CliRunner().invoke(app, ["exposure", "--demo", "--lang", "ja"])
    assert table.exit_code == 0, table.output
    assert "包头白云稀土" in table.output or "BAIYUN" in table.output


def test_cycle_is_an_error_naming_the_records() -> None:
    tables = mini_tables()
    # K1 now needs P to make C, and P needs C: a cycle through the supply links.
    tables["bom"].append({"parent_item_id": "C", "child_item_id": "P", "quantity_per_unit": 1.0})
    tables["supply_links"].append(
        {"supplier_site_id": "J1", "item_id": "P", "receiving_site_id": "K1", "share": 1.0,
         "qualified": True}
    )  # fmt: skip
    chain = compile_tables(tables)
    with pytest.raises(ExposureError) as caught:
        analyse(chain)
    assert "J1/P" in caught.value.message("en") and "K1/C" in caught.value.message("ja")


def test_unknown_country_and_product_without_bom_are_warned() -> None:
    tables = mini_tables()
    tables["sites"][3]["country"] = "XX"
    tables["items"].append({"item_id": "Q", "name": "Q", "kind": "product", "unit": "pcs"})
    tables["demand"].append(
        {"item_id": "Q", "market": "JP", "site_id": "J1", "demand_per_week": 1.0,
         "unit_price": 10, "unit_margin": 1, "currency": "JPY"}
    )  # fmt: skip
    report = analyse(compile_tables(tables))
    codes = {w.code: w for w in report.warnings}
    assert "N1" in codes["exposure.data.unknown_country"].message("en")
    assert "Q" in codes["exposure.data.product_without_inputs"].message("ja")
    q = next(p for p in report.products if p.item_id == "Q")
    assert q.country_shares == {} and np.isnan(q.country_hhi)


def test_report_round_trips_through_the_store(db: None) -> None:
    from econsec.exposure.store import load_report, save_report

    report = analyse(compile_tables(mini_tables()))
    save_report(report)
    save_report(report)  # same key: replaced, not duplicated
    loaded = load_report(report.data_version)
    assert loaded is not None
    assert loaded.products == report.products
    assert loaded.losses == report.losses
    assert load_report("other-version") is None


def test_chain_without_links_or_demand_analyses_to_empty_results() -> None:
    # A workbook with items and BOMs but no supply links yet (a first import), or no demand.
    tables = mini_tables()
    tables["supply_links"] = []
    report = analyse(compile_tables(tables))
    (product,) = report.products
    assert product.single_points_of_failure == () and product.reasons == ()
    assert product.score == 100
    assert [w.code for w in report.warnings] == ["exposure.data.product_without_inputs"]
    tables = mini_tables()
    tables["demand"] = []
    report = analyse(compile_tables(tables))
    assert report.products == [] and all(not rows for rows in report.losses.values())
