"""The dashboard card: how many technology × route cells rate high (a count, never a name)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from econsec.i18n import normalise_lang, t
from econsec.web.language import request_language


def high_cells_card(request: Any) -> dict[str, Any]:
    from econsec.technology.models import Technology
    from econsec.technology.service import compute

    lang = normalise_lang(request_language(request))
    url = reverse("web:technology_exposure")
    if not Technology.objects.exists():
        return {"value": "—", "note": t("technology.cli.none", lang), "url": url}
    counts = compute().counts()
    note = t("technology.web.card.note", lang, medium=counts["medium"])
    return {"value": str(counts["high"]), "note": note, "url": url}
