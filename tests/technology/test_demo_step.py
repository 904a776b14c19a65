"""The issue's bar on the whole demo company: `econsec tech list` shows rated technologies with
reasons and `econsec tech exposure` flags the magnet process licensed to the Ningbo JV."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from econsec.cli import app


@pytest.mark.django_db
def test_demo_register_on_the_demo_company() -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "Technology register (demo): 3 technologies" in " ".join(done.output.split())
    listed = runner.invoke(app, ["tech", "list", "--lang", "en"], env={"COLUMNS": "250"})
    shown = " ".join(listed.output.split())
    assert "T-MAG-GBD" in shown and "Damage if leaked 5/5" in shown and "tier 1" in shown
    out = runner.invoke(app, ["tech", "exposure", "--lang", "en"], env={"COLUMNS": "300"})
    text = " ".join(out.output.split())
    assert "T-MAG-GBD" in text and "Overseas production: withdrawal" in text
    from econsec.technology.service import compute

    matrix = compute()
    assert not matrix.compiled.unresolved  # every id of the demo register is in the chain
    levels = {r: lvl for r, _s, lvl in matrix.row("T-MAG-GBD")}
    assert levels["overseas.withdrawal"] == "high"
    reasons = matrix.reasons("T-MAG-GBD", "overseas.withdrawal", "en")
    assert reasons[:3] == [
        "No exit or return-of-materials clause: 寧波北辰磁材有限公司, 宁波稀磁合金有限公司",
        "Held in a country of concern: Beilun Plant (Ningbo) (CN)",
        "Joint-venture partner has access: 宁波稀磁合金有限公司",
    ]
