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
from econsec.reports.model import MONEY, NUM, PCT, SCORE, BoardReport, Table
from econsec.reports.pdf import format_cell

from ..hooks import DashboardCard, NavEntry, register_card, register_job_kind, register_nav
from ..jobs import enqueue
from ..language import request_language
from ..roles import EDIT, READ, has_capability, role_required

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


def display_table(table: Table, lang: str, currency: str) -> dict[str, Any]:
    """A report table with every cell formatted for ``lang`` (autoescaped by the template)."""
    numeric = {NUM, SCORE, PCT, MONEY}
    return {
        "id": table.id,
        "title": table.title[lang],
        "note": table.note[lang] if table.note else "",
        "columns": [{"label": c.label[lang], "num": c.kind in numeric} for c in table.columns],
        "rows": [
            [
                {"text": format_cell(v, c.kind, lang, currency), "num": c.kind in numeric}
                for v, c in zip(row, table.columns, strict=True)
            ]
            for row in table.rows
        ],
    }


def bars(shares: dict[str, float], top: int = 12) -> list[dict[str, Any]]:
    """Rows of a horizontal bar chart: label, width in percent of the largest, share."""
    items = list(shares.items())[:top]
    peak = max((s for _, s in items), default=0.0) or 1.0
    return [{"label": k, "width": round(100 * s / peak, 2), "share": s} for k, s in items]


def see_other(url: str) -> HttpResponse:
    """303 after a POST: the browser follows with a GET (and it is told apart from the 302 the
    role guard sends to the sign-in page)."""
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _empty(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/exposure/empty.html",
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
        "web/exposure/overview.html",
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
        "web/exposure/tables.html",
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
        "web/exposure/products.html",
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
        "web/exposure/product.html",
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
    from econsec.reports.job import KIND_EXPOSURE

    job = enqueue(KIND_EXPOSURE, user=request.user)
    return see_other(reverse("web:job", args=[job.pk]))


# --- dashboard cards ------------------------------------------------------------------------


# What the report figures are assembled from (the cards are cached until one of these changes).
_CARD_DEPENDS = (
    "valuechain.ImportRun",
    "exposure.ExposureResult",
    "stress.Result",
    "guideline.Campaign",
    "guideline.AssessmentEvent",
    "guideline.ItemAssessment",
    "guideline.QuestionAnswer",
)


def _card(figure_id: str, section_url: str) -> Any:
    def figure(request: HttpRequest) -> dict[str, Any]:
        snap = snapshot()
        if snap is None:
            return {"value": "—", "url": reverse("web:exposure")}
        lang = request_language(request)
        found = next((f for f in snap[1].summary if f.id == figure_id), None)
        if found is None:
            return {"value": "—", "url": reverse(section_url)}
        return {
            "value": found.display[lang],
            "url": reverse(section_url),
            "note": found.reasons[0][lang] if found.reasons else "",
        }

    return figure


def register() -> None:
    """Navigation, dashboard cards and the analysis job (called from the web app's ready())."""
    from econsec.reports.job import KIND_EXPOSURE, exposure_job

    register_nav(NavEntry("reports.web.nav.exposure", "web:exposure", READ, order=20))
    for order, (figure_id, url) in enumerate(
        [
            ("products_at_risk", "web:exposure_products"),
            ("single_source_critical", "web:exposure_critical"),
            ("top_country", "web:exposure_countries"),
            ("worst_rei", "web:exposure_spof"),
            ("assessment", "web:reports"),
        ]
    ):
        register_card(
            DashboardCard(
                f"reports.fig.{figure_id}",
                _card(figure_id, url),
                READ,
                20 + order,
                depends=_CARD_DEPENDS,
            )
        )
    register_job_kind(KIND_EXPOSURE, exposure_job)
