"""Exposure endpoints: the headline figures with reasons, and the stored analysis per product."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from econsec.exposure.results import ExposureReport
from econsec.web.api.auth import require
from econsec.web.roles import READ

router = Router(tags=["exposure"])


def _stored() -> tuple[ExposureReport, Any]:
    from econsec.exposure.web.views import snapshot

    snap = snapshot()
    if snap is None:
        raise HttpError(404, "no exposure analysis is stored for the current data version")
    return snap


@router.get("/summary", url_name="exposure_summary")
@require(READ)
def summary(request: HttpRequest) -> dict[str, Any]:
    """Headline figures (value, display and reasons in ja and en) of the current data version."""
    exposure, board = _stored()
    return {
        "data_version": exposure.data_version,
        "currency": exposure.currency,
        "figures": [
            {
                "id": f.id,
                "label": f.label,
                "value": f.value,
                "display": f.display,
                "reasons": f.reasons,
            }
            for f in board.summary
        ],
    }


@router.get("/products", url_name="exposure_products")
@require(READ)
def products(request: HttpRequest) -> dict[str, Any]:
    """Every product's autonomy score, reasons, multi-tier country shares and weak points."""
    exposure, _ = _stored()
    data = exposure.to_json()
    return {
        "data_version": exposure.data_version,
        "currency": exposure.currency,
        "products": data["products"],
    }
