"""``econsec report`` keeps each report with its data version, and the next one (from the
command line or the web) compares with it: two CLI runs with a data change in between."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.utils import timezone
from typer.testing import CliRunner

from econsec.cli import app
from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401  (fixture)


def _run(tmp_path: Path, name: str) -> str:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["report", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_two_cli_reports_with_a_data_change_between(
    tmp_path: Path,
    analysed_chain: Any,  # noqa: F811
) -> None:
    from econsec.governance.models import Action, Risk, RiskLink
    from econsec.reports.models import StoredReport
    from econsec.valuechain.models import ImportRun, SupplyLink

    risk = Risk.objects.create(code="R-S4", title_ja="磁石", title_en="Magnets")
    RiskLink.objects.create(risk=risk, kind="element", ref="site:S4")
    action = Action.objects.create(risk=risk, title_ja="a", title_en="a", owner="sato",
                                   due=dt.date(2026, 3, 31))  # fmt: skip

    first_html = _run(tmp_path, "first.html")
    first = StoredReport.objects.get()
    assert first.source == "cli" and first.data_version == ImportRun.objects.get().data_version
    assert [c["kind"] for c in first.report["changes"]] == ["first"]
    assert "sato" in first_html and "2026-03-31" in first_html
    spof_before = set(first.report["index"]["spof"])

    # The data change: BAT loses its second source (S3), so S2 alone can stop CAR.
    SupplyLink.objects.filter(supplier_site__site_id="S3").delete()
    now = timezone.now()
    ImportRun.objects.create(source_name="change", source_sha256="1" * 64, source_bytes=1,
                             data_version=uuid.uuid4().hex * 2, started_at=now,
                             finished_at=now)  # fmt: skip
    action.status = "done"
    action.save()

    second_html = _run(tmp_path, "second.html")
    assert StoredReport.objects.count() == 2
    second = StoredReport.objects.order_by("-id").first()
    assert second is not None and second.data_version != first.data_version
    assert set(second.report["index"]["spof"]) - spof_before == {"S2"}
    kinds = {c["kind"]: c["text"]["en"] for c in second.report["changes"]}
    assert "new_data" in kinds and first.data_version[:12] in kinds["new_data"]
    assert "Site S2" in kinds["new_spof"]
    assert "sato" in kinds["action_done"]
    assert "Site S2" in second_html and "Action done" in second_html
