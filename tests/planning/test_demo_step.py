"""`econsec demo` puts the example measures in the catalogue once, each checked on the chain."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from econsec.cli import app


@pytest.mark.django_db
def test_demo_fills_the_catalogue_once() -> None:
    from econsec.planning.models import Measure

    runner = CliRunner()
    done = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "Measures catalogue: 3 measure(s)" in " ".join(done.output.split())
    ids = sorted(Measure.objects.values_list("measure_id", flat=True))
    assert ids == ["magnet-second-source", "magnet-stock", "mcu-die-stock"]
    again = runner.invoke(app, ["demo", "--no-serve", "--lang", "ja"])
    assert again.exit_code == 0 and Measure.objects.count() == 3
