"""Exposure pages: empty state, the analysis job, content from the stored analysis, escaping,
xlsx export, dashboard cards and the API."""

from __future__ import annotations

import uuid
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from econsec.valuechain.models import Demand, ImportRun
from econsec.web.jobs import execute
from econsec.web.models import Job

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def analysed_chain(chain: dict[str, Any]) -> dict[str, Any]:
    """The web fixture chain with demand for CAR (10/week at ¥1,000, margin ¥200), a data
    version, and the exposure analysis stored (as the analysis job does)."""
    Demand.objects.create(item=chain["items"]["CAR"], market="JP", site=chain["sites"]["P1"],
                          demand_per_week=10, unit_price=1000, unit_margin=200, currency="JPY")  # fmt: skip
    now = timezone.now()
    ImportRun.objects.create(source_name="fixture", source_sha256="0" * 64, source_bytes=1,
                             data_version=uuid.uuid4().hex * 2, started_at=now, finished_at=now)  # fmt: skip
    from econsec.reports.gather import compute_exposure

    chain["exposure"] = compute_exposure()
    return chain


def test_empty_state_offers_the_analysis_to_analysts(client_for: Any, chain: Any) -> None:
    page = client_for("analyst").get(reverse("web:exposure")).content.decode()
    assert 'data-testid="exposure-empty"' in page and reverse("web:exposure_run") in page
    page = client_for("viewer").get(reverse("web:exposure")).content.decode()
    assert 'data-testid="exposure-empty"' in page and reverse("web:exposure_run") not in page


def test_analysis_job_stores_results_then_pages_show_them(client_for: Any, chain: Any) -> None:
    Demand.objects.create(item=chain["items"]["CAR"], market="JP", site=chain["sites"]["P1"],
                          demand_per_week=10, unit_price=1000, unit_margin=200, currency="JPY")  # fmt: skip
    now = timezone.now()
    ImportRun.objects.create(source_name="f", source_sha256="0" * 64, source_bytes=1,
                             data_version=uuid.uuid4().hex * 2, started_at=now, finished_at=now)  # fmt: skip
    response = client_for("analyst").post(reverse("web:exposure_run"))
    assert response.status_code == 303
    job = Job.objects.get(kind="exposure.analyse")
    assert response["Location"] == reverse("web:job", args=[job.pk])
    execute(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    page = client_for("viewer").get(reverse("web:exposure")).content.decode()
    assert 'data-testid="exposure-figures"' in page and 'data-testid="country-chart"' in page


def test_analysis_job_fails_with_a_reason_on_an_empty_store(db: Any) -> None:
    from econsec.exposure.web.job import exposure_job

    job = Job.objects.create(kind="exposure.analyse")
    from econsec.registry import register_job_kind

    register_job_kind("exposure.analyse", exposure_job)
    execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ワークブック" in job.error["ja"] and "Import a workbook" in job.error["en"]


def test_pages_show_stored_figures_inert_markup(client_for: Any, analysed_chain: Any) -> None:
    client = client_for("viewer")
    client.post(reverse("web:set_language"), {"language": "en"})
    product = analysed_chain["exposure"].products[0]
    # CAR: ENG only from S1 (S4 → S5 upstream): S1, S4 and S5 each stop it alone.
    assert set(product.single_points_of_failure) == {"S1", "S4", "S5"}
    pages = {
        name: client.get(reverse(name)).content.decode()
        for name in (
            "web:exposure",
            "web:exposure_products",
            "web:exposure_countries",
            "web:exposure_spof",
            "web:exposure_critical",
        )
    }
    assert "¥10,000" in pages["web:exposure_products"]  # 10/week × ¥1,000
    assert reverse("web:exposure_product", args=["P1", "CAR"]) in pages["web:exposure_products"]
    for html in pages.values():
        assert EVIL not in html  # the supplier's name is escaped everywhere
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["web:exposure_spof"]
    detail = client.get(reverse("web:exposure_product", args=["P1", "CAR"])).content.decode()
    assert 'data-testid="product-reasons"' in detail and "S4" in detail
    assert client.get(reverse("web:exposure_product", args=["P1", "NOPE"])).status_code == 404


def test_export_has_every_section_and_no_formulas(client_for: Any, analysed_chain: Any) -> None:
    response = client_for("auditor").get(reverse("web:exposure_export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 7  # six sections and the info sheet
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r]
    assert all(c.data_type != "f" for c in cells)
    assert EVIL in [c.value for c in cells]


def test_dashboard_cards_link_to_details(client_for: Any, analysed_chain: Any) -> None:
    client = client_for("viewer")
    client.post(reverse("web:set_language"), {"language": "en"})
    page = client.get(reverse("web:dashboard")).content.decode()
    for name in ("web:exposure_products", "web:exposure_critical", "web:exposure_countries",
                 "web:exposure_spof"):  # fmt: skip
        assert f'href="{reverse(name)}"' in page
    assert "Products at risk" in page and "1 of 1" in page


def test_api_summary_and_products(client_for: Any, analysed_chain: Any) -> None:
    client = client_for("viewer")
    summary = client.get(reverse("api:exposure_summary")).json()
    figures = {f["id"]: f for f in summary["figures"]}
    assert figures["products_at_risk"]["value"] == 1
    assert set(figures["products_at_risk"]["display"]) == {"ja", "en"}
    products = client.get(reverse("api:exposure_products")).json()["products"]
    assert products[0]["item_id"] == "CAR" and products[0]["revenue_per_week"] == 10000
