"""Exposure pages: overview with country concentration, products with multi-tier exposure, a
product's detail, single points of failure ranked, critical products and minerals, xlsx export.

The pages read the stored exposure analysis of the current data version (``econsec.exposure``
stores it per data version); when there is none, an analyst starts the analysis as a job.
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.exposure.results import ExposureReport
from econsec.reports.display import bars, display_table
from econsec.reports.model import BoardReport
from econsec.web.jobs import enqueue
from econsec.web.language import request_language
from econsec.web.responses import see_other
from econsec.web.roles import EDIT, READ, has_capability, role_required

_cache_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _state_key(version: str) -> tuple[Any, ...]:
    """What the assembled snapshot depends on besides the data version (cheap queries)."""
    from django.apps import apps
    from django.db import DatabaseError

    from econsec.exposure.models import ExposureResult

    key: list[Any] = [version, ExposureResult.objects.filter(data_version=version).count()]
    for label, model, field in (("stress", "Result", "id"), ("guideline", "Campaign", "id")):
        try:
            m = apps.get_model(label, model)
            last = m.objects.order_by(f"-{field}").values_list(field, "status" if label == "guideline" else field).first()  # fmt: skip
        except (LookupError, DatabaseError):
            last = None
        key.append(last)
    return tuple(key)


def snapshot() -> tuple[ExposureReport, BoardReport] | None:
    """The stored exposure report and its assembled figures, cached per process until the data,
    stored results or assessments change."""
    from econsec.reports import gather
    from econsec.reports.assemble import assemble

    version = gather.current_version()
    if not version:
        return None
    key = _state_key(version)
    with _cache_lock:
        if _cache.get("key") == key:
            return _cache["value"]  # type: ignore[no-any-return]
    exposure = gather.stored_exposure(version)
    if exposure is None:
        return None
    scenarios, sweep = gather.stress_results(version)
    board = assemble(
        exposure,
        item_tags=gather.item_tags(),
        home=gather.home_countries(),
        scenarios=scenarios,
        sweep=sweep,
        assessment=gather.latest_assessment(),
        own=gather.own_ids(),
    )
    with _cache_lock:
        _cache.update(key=key, value=(exposure, board))
    return exposure, board


def _empty(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exposure/empty.html",
        {"can_run": has_capability(request.user, EDIT)},
    )


@role_required(READ)
def overview(request: HttpRequest) -> HttpResponse:
    from econsec.reports.assemble import country_exposure

    snap = snapshot()
    if snap is None:
        return _empty(request)
    exposure, board = snap
    lang = request_language(request)
    spof = board.table("spof")
    return render(
        request,
        "exposure/overview.html",
        {
            "report": exposure,
            "figures": board.summary,
            "countries": bars(country_exposure(exposure.products)),
            "spof": display_table(spof, lang, exposure.currency) if spof else None,
            "can_run": has_capability(request.user, EDIT),
            "tab": "overview",
        },
    )


def _table_page(request: HttpRequest, table_ids: list[str], tab: str) -> HttpResponse:
    snap = snapshot()
    if snap is None:
        return _empty(request)
    exposure, board = snap
    lang = request_language(request)
    tables = [
        display_table(t, lang, exposure.currency)
        for t in (board.table(i) for i in table_ids)
        if t is not None
    ]
    return render(
        request,
        "exposure/tables.html",
        {"report": exposure, "tables": tables, "tab": tab, "products": tab == "products"},
    )


@role_required(READ)
def products(request: HttpRequest) -> HttpResponse:
    snap = snapshot()
    if snap is None:
        return _empty(request)
    exposure, _ = snap
    return render(
        request,
        "exposure/products.html",
        {"report": exposure, "products": exposure.products, "tab": "products"},
    )


@role_required(READ)
def product_detail(request: HttpRequest, site_id: str, item_id: str) -> HttpResponse:
    snap = snapshot()
    if snap is None:
        return _empty(request)
    exposure, _ = snap
    product = next(
        (p for p in exposure.products if p.site_id == site_id and p.item_id == item_id), None
    )
    if product is None:
        raise Http404(f"{site_id}/{item_id}")
    lang = request_language(request)
    tagged = sorted(
        [*product.critical_products.items(), *product.minerals.items()], key=lambda kv: -kv[1]
    )
    return render(
        request,
        "exposure/product.html",
        {
            "report": exposure,
            "p": product,
            "reasons": [(r.points, r.text(lang)) for r in product.reasons],
            "countries": bars(product.country_shares, top=15),
            "tagged": [{"tag": k.rsplit(":", 1)[-1], "share": v} for k, v in tagged],
            "tab": "products",
        },
    )


@role_required(READ)
def spof(request: HttpRequest) -> HttpResponse:
    return _table_page(request, ["spof", "suppliers"], "spof")


@role_required(READ)
def countries(request: HttpRequest) -> HttpResponse:
    return _table_page(request, ["countries"], "countries")


@role_required(READ)
def critical(request: HttpRequest) -> HttpResponse:
    return _table_page(request, ["critical", "critical_exposure"], "critical")


@role_required(READ)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Every exposure table (all rows) as one workbook in the user's language."""
    from econsec.exposure.export import SECTIONS, section_rows
    from econsec.i18n import t
    from econsec.reports.xlsx import write_tables

    snap = snapshot()
    if snap is None:
        return _empty(request)
    exposure, _ = snap
    lang = request_language(request)
    tables = []
    for name in SECTIONS:
        head, rows = section_rows(exposure, name, lang)
        tables.append((t(f"exposure.table.{name}", lang), head, rows))
    data = write_tables(tables, lang=lang, info=[("data_version", exposure.data_version)])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="exposure-{exposure.data_version[:12]}-{lang}.xlsx"'
    )
    return response


@require_POST
@role_required(EDIT)
def run(request: HttpRequest) -> HttpResponse:
    from .job import KIND

    job = enqueue(KIND, user=request.user)
    return see_other(reverse("web:job", args=[job.pk]))
