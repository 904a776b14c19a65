"""Board reports: produced by a background job, shown as HTML, downloaded as PDF and xlsx in the
user's language, with stored stress results when there are any and a clear hole when not."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from econsec.reports.font import FONT_NAME
from econsec.web.jobs import execute
from econsec.web.models import Job
from tests.exposure.web.test_exposure import EVIL, analysed_chain  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _produce(client: Any) -> Job:
    response = client.post(reverse("web:report_generate"))
    assert response.status_code == 303
    job = Job.objects.filter(kind="reports.board").latest("pk")
    execute(job.pk)
    job.refresh_from_db()
    return job


def test_report_job_html_pdf_xlsx(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    job = _produce(client_for("analyst"))
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.progress == 1.0 and job.result_url == reverse("web:report", args=[job.pk])
    viewer = client_for("viewer")  # reports are for every reader, not only their author
    viewer.post(reverse("web:set_language"), {"language": "en"})
    html = viewer.get(job.result_url).content.decode()
    assert "Economic security board report" in html
    assert 'data-testid="scenarios-missing"' in html  # no stress results stored: a clear hole
    assert EVIL not in html and "&lt;script&gt;" in html
    assert "Recommended actions" in html and "¥10,000/week" in html
    pdf = viewer.get(reverse("web:report_file", args=[job.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF") and FONT_NAME.encode() in body
    assert "-en.pdf" in pdf["Content-Disposition"]
    xlsx = viewer.get(reverse("web:report_file", args=[job.pk, "xlsx"]))
    book = openpyxl.load_workbook(BytesIO(b"".join(xlsx.streaming_content)))
    assert "Recommended actions" in book.sheetnames
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r]
    assert all(c.data_type != "f" for c in cells) and EVIL in [c.value for c in cells]
    assert viewer.get(reverse("web:report_file", args=[job.pk, "docx"])).status_code == 404
    listing = viewer.get(reverse("web:reports")).content.decode()
    assert reverse("web:report", args=[job.pk]) in listing


def test_report_includes_stored_stress_results(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    from django.apps import apps

    try:
        result_model = apps.get_model("stress", "Result")
    except LookupError:
        pytest.skip("the stress app is not installed")
    version = analysed_chain["exposure"].data_version
    result_model.objects.create(
        kind="scenario", scenario_hash="h" * 64, data_version=version, solver_version="x",
        econsec_version="x", created_at=timezone.now(),
        payload={"scenario_name": "Strait closed", "scenario_hash": "h" * 64, "tts_weeks": 2.0,
                 "ttr_weeks": 8.0, "material": True, "lost_revenue": 48000.0,
                 "lost_margin": 9600.0, "data_version": version, "explanations": []},
    )  # fmt: skip
    job = _produce(client_for("administrator"))
    assert job.status == Job.Status.SUCCEEDED, job.error
    client = client_for("viewer")
    client.post(reverse("web:set_language"), {"language": "en"})
    html = client.get(job.result_url).content.decode()
    assert 'data-testid="scenarios-missing"' not in html
    assert "Strait closed" in html and "¥9,600" in html
    # The 6-week gap to recovery is an action, ranked by the ¥9,600 of margin it loses.
    assert "cover the 6.0-week gap" in html
    assert "Approve the top" in html  # a decision requested of the board


def test_report_job_fails_with_reason_on_an_empty_store(client_for: Any, db: Any) -> None:
    job = _produce(client_for("analyst"))
    assert job.status == Job.Status.FAILED
    assert "Import a workbook" in job.error["en"]
    status = client_for("analyst").get(reverse("web:job_status", args=[job.pk])).json()
    assert status["finished"] and status["error"]
    assert client_for("viewer").get(reverse("web:report", args=[job.pk])).status_code == 404


def test_viewer_cannot_generate(client_for: Any, db: Any) -> None:
    assert client_for("viewer").post(reverse("web:report_generate")).status_code == 403
    page = client_for("viewer").get(reverse("web:reports")).content.decode()
    assert 'data-testid="report-generate"' not in page


def test_second_report_shows_changes_since_the_first(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    first = _produce(client_for("analyst"))
    second = _produce(client_for("analyst"))
    assert first.status == second.status == Job.Status.SUCCEEDED
    changes = [c["kind"] for c in second.result["report"]["changes"]]
    assert [c["kind"] for c in first.result["report"]["changes"]] == ["first"]
    assert changes == ["same_data", "unchanged"]
    assert second.result["report"]["schema"] == 2
    client = client_for("viewer")
    client.post(reverse("web:set_language"), {"language": "ja"})
    html = client.get(second.result_url).content.decode()
    assert "前回の報告からの変化" in html and "同じデータ版" in html
    assert 'data-testid="chart-countries"' in html and "data:image/svg+xml;base64," in html


def test_report_page_draws_contributed_sections(client_for: Any, analysed_chain: Any) -> None:  # noqa: F811
    """A contributed section (governance: its heat map) is drawn on the report page, not only
    kept in the stored report."""
    from econsec.governance.models import Risk

    Risk.objects.create(code="R-1", title_ja="磁石", title_en="Magnets", likelihood=4)
    job = _produce(client_for("analyst"))
    assert job.status == Job.Status.SUCCEEDED, job.error
    sections = {s["id"]: s for s in job.result["report"]["sections"]}
    assert "governance" in sections
    page = client_for("viewer").get(job.result_url).content.decode()
    assert 'data-testid="section-governance"' in page and 'data-kind="heatmap"' in page
    kinds = {c["kind"] for s in sections.values() for c in s["charts"]}
    assert page.count("data:image/svg+xml;base64,") >= len(job.result["report"]["charts"]) + len(
        [c for s in sections.values() for c in s["charts"]]
    )
    assert "heatmap" in kinds
