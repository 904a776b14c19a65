"""The dashboard's headline figures from the assembled report (one card per figure)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from econsec.web.language import request_language

from .views import snapshot


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


products_at_risk = _card("products_at_risk", "web:exposure_products")
single_source_critical = _card("single_source_critical", "web:exposure_critical")
top_country = _card("top_country", "web:exposure_countries")
worst_rei = _card("worst_rei", "web:exposure_spof")
assessment = _card("assessment", "web:reports")
