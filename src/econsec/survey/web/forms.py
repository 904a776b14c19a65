"""The new-campaign form: its fields read and checked, each problem named by its field."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from econsec.characters import unwanted
from econsec.i18n import t
from econsec.survey.campaigns import Selection
from econsec.survey.text import SUPPLIER_LANGUAGES

MAX_DAYS = 365
MAX_LIST = 50  # tags or countries in one filter


@dataclass
class CampaignForm:
    name: str = ""
    year: int = 0
    selection: Selection = field(default_factory=Selection)
    language: str | None = None
    expires: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def token_days(self) -> int:
        assert self.expires is not None
        return (self.expires - timezone.localdate()).days


def defaults() -> dict[str, Any]:
    today = timezone.localdate()
    return {"name": "", "year": today.year, "tiers": "1", "tags": "", "countries": "",
            "min_spend": "0", "language": "",
            "expires": (today + dt.timedelta(days=60)).isoformat()}  # fmt: skip


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("、", ",").split(",") if p.strip()]


def read(data: QueryDict, lang: str) -> CampaignForm:
    """The form's values, or its errors by field (ja/en)."""
    from econsec.reference.countries import is_country

    form = CampaignForm()
    bad = form.errors

    def text(key: str, limit: int) -> str:
        value = str(data.get(key, "")).strip()
        hit = unwanted(value, identifier=False)
        if hit is not None:
            bad[key] = t("survey.web.form.character", lang, char=hit[1], position=hit[0])
        elif len(value) > limit:
            bad[key] = t("survey.web.form.too_long", lang, limit=limit)
        return value

    form.name = text("name", 200)
    if not form.name and "name" not in bad:
        bad["name"] = t("survey.web.form.required", lang)
    try:
        form.year = int(str(data.get("year", "")))
        if not 2000 <= form.year <= 2100:
            raise ValueError
    except ValueError:
        bad["year"] = t("survey.web.form.range", lang, low=2000, high=2100)
    tiers: list[int] = []
    for part in _split(text("tiers", 100)):
        if not part.isdigit() or not 1 <= int(part) <= 20:
            bad["tiers"] = t("survey.web.form.tiers", lang, value=part[:20])
            break
        tiers.append(int(part))
    tags = _split(text("tags", 2000))
    countries = [c.upper() for c in _split(text("countries", 500))]
    if len(tags) > MAX_LIST or any(len(x) > 60 for x in tags):
        bad["tags"] = t("survey.web.form.too_long", lang, limit=MAX_LIST)
    wrong = [c for c in countries if not is_country(c)]
    if wrong or len(countries) > MAX_LIST:
        bad["countries"] = t("survey.web.form.bad_country", lang, value=", ".join(wrong)[:60])
    try:
        spend = float(str(data.get("min_spend", "") or "0"))
        if not math.isfinite(spend) or spend < 0:
            raise ValueError
    except ValueError:
        spend = 0.0
        bad["min_spend"] = t("survey.web.form.range", lang, low=0, high="∞")
    language = str(data.get("language", ""))
    if language and language not in SUPPLIER_LANGUAGES:
        bad["language"] = t("survey.web.form.choice", lang, choices="ja, en, zh")
    form.language = language or None
    today = timezone.localdate()
    try:
        form.expires = dt.date.fromisoformat(str(data.get("expires", "")))
        if not today < form.expires <= today + dt.timedelta(days=MAX_DAYS):
            raise ValueError
    except ValueError:
        form.expires = None
        bad["expires"] = t("survey.web.form.expires", lang, days=MAX_DAYS)
    form.selection = Selection(tuple(tiers or (1,)), tuple(tags), tuple(countries), spend)
    return form
