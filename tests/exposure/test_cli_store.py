"""`econsec exposure` on the stored value chain: import the demo company, analyse, store, reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app

demo = pytest.importorskip("econsec.valuechain.generators.demo")


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["exposure", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_store_backed_cli_finds_the_weak_points_stores_and_reuses(
    db: None, settings: object, tmp_path: Path
) -> None:
    from econsec.exposure.models import ExposureResult
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import current_version

    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]  # compiled-chain cache
    import_tables(demo.demo_company(), "demo")
    version = current_version()
    assert version

    first, second = tmp_path / "first.json", tmp_path / "second.json"
    output = _run("--format", "json", "--out", str(first), "--lang", "en")
    report = json.loads(first.read_text(encoding="utf-8"))
    assert report["data_version"] == version
    products = {(p["site_id"], p["item_id"]): p for p in report["products"]}
    # The demo's documented weak points: the rare-earth magnet chain and the Hsinchu fab.
    axle = products[("TOHO-HMM", "P-EAX150")]
    assert {"BAIYUN-MINE", "XIYAO-GZ"} <= set(axle["single_points_of_failure"])
    assert "TJSC-HC" in products[("TOHO-KMM", "P-INV800")]["single_points_of_failure"]
    assert version[:12] in output

    stored = ExposureResult.objects.get()
    assert stored.data_version == version
    assert stored.result["products"] == report["products"]

    # Same data, same options: the stored result is read back, not recomputed.
    output = _run("--format", "json", "--out", str(second), "--lang", "en")
    assert "stored result" in output
    assert json.loads(second.read_text(encoding="utf-8")) == report
    assert ExposureResult.objects.count() == 1

    # The table view in Japanese from the stored result names the magnet chain's mine.
    table = _run("--lang", "ja")
    assert "BAIYUN" in table or "包头白云稀土" in table

    # Other options are another result; --recompute analyses again and replaces it in place.
    _run("--format", "json", "--out", str(second), "--group", "G7", "--lang", "en")
    assert ExposureResult.objects.count() == 2
    output = _run("--format", "json", "--out", str(second), "--recompute", "--lang", "en")
    assert "stored result" not in output
    assert json.loads(second.read_text(encoding="utf-8")) == report
    assert ExposureResult.objects.count() == 2


def test_store_backed_cli_on_an_empty_store_says_so(db: None) -> None:
    result = CliRunner().invoke(app, ["exposure", "--lang", "en"])
    assert result.exit_code == 1
    assert "import" in result.output.lower()


def test_store_backed_cli_in_a_fresh_process(tmp_path: Path) -> None:
    # In a real shell nothing has configured Django before the command runs (pytest-django
    # has, in the tests above): the command must open the store itself. A fresh SQLite store
    # in tmp_path, whatever database the test session uses.
    import os
    import subprocess
    import sys

    workbook = Path(__file__).resolve().parents[2] / "examples" / "demo-company.xlsx"
    if not workbook.exists():
        pytest.skip("examples/demo-company.xlsx is not in this checkout")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["ECONSEC_DATA_DIR"] = str(tmp_path)

    def econsec(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "econsec.cli", *args, "--lang", "en"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert econsec("import", str(workbook)).returncode == 0
    out = tmp_path / "exposure.json"
    run = econsec("exposure", "--format", "json", "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    products = {p["item_id"] for p in json.loads(out.read_text(encoding="utf-8"))["products"]}
    assert "P-EAX150" in products
    assert "Stored the results" in run.stdout + run.stderr
