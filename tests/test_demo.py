"""`econsec demo` (what `make demo` runs before serving): loads the demo company and its analyses."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from econsec.cli import app


@pytest.mark.django_db
def test_demo_loads_the_company_and_its_analyses_once() -> None:
    from econsec.exposure.models import ExposureResult
    from econsec.stress.models import Result
    from econsec.valuechain.models import ImportRun

    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps lines at the terminal width
    assert "Sites by tier: Tier 1: 94, Tier 2: 55, Tier 3: 22, Tier 4: 3" in output
    assert "Taiwan Strait closed for 8 weeks" in output
    assert "time to survive 2.5 weeks vs time to recover 8.0 weeks" in output
    assert ExposureResult.objects.count() == 1 and Result.objects.count() == 2

    again = runner.invoke(app, ["demo", "--no-serve", "--lang", "ja"])
    assert again.exit_code == 0, again.output
    assert "台湾海峡" in again.output
    # Nothing recomputed or re-imported: the stored results carry the same data version.
    assert ImportRun.objects.count() == 1
    assert ExposureResult.objects.count() == 1 and Result.objects.count() == 2
