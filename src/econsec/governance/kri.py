"""Key risk indicators computed from what econsec has stored, with thresholds and reasons.

Each indicator counts something whose growth means more risk; ``amber`` and ``red`` are the
values from which it turns amber and red (``ECONSEC_KRI_THRESHOLDS`` overrides them per key).
Every computation is stored (``KriValue``), so an indicator's trend is its stored series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from econsec.governance.models import KriValue, Risk

Reasons = list[dict[str, Any]]


@dataclass(frozen=True)
class Definition:
    key: str
    amber: float
    red: float
    compute: Callable[[dt.datetime, str], tuple[float, Reasons]]


def _stress_tts_below_ttr(now: dt.datetime, version: str) -> tuple[float, Reasons]:
    """Stored scenarios (latest result each, current data version) whose TTS < TTR."""
    from econsec.stress.models import Result

    latest: dict[str, Any] = {}
    for result in Result.objects.filter(kind="scenario", data_version=version).order_by(
        "created_at", "id"
    ):
        latest[result.scenario_hash] = result
    reasons = []
    for result in latest.values():
        p = result.payload
        tts, ttr = p.get("tts_weeks"), p.get("ttr_weeks")
        if tts is not None and ttr is not None and tts < ttr:
            name = p.get("scenario_name") or (result.scenario.name if result.scenario else "")
            reasons.append({"scenario": name, "tts_weeks": tts, "ttr_weeks": ttr,
                            "source": f"stress:{result.pk}"})  # fmt: skip
    return float(len(reasons)), reasons


def _open_hits_older(now: dt.datetime, version: str) -> tuple[float, Reasons]:
    """Open screening hits first seen more than N days ago (ECONSEC_KRI_HIT_DAYS, 14)."""
    from econsec.screening.models import Hit

    days = int(getattr(settings, "ECONSEC_KRI_HIT_DAYS", 14))
    old = Hit.objects.filter(status=Hit.OPEN, first_seen_at__lt=now - dt.timedelta(days=days))
    reasons = [
        {"hit": h.pk, "subject": h.subject_name, "entity": h.entity_name,
         "first_seen": h.first_seen_at.date().isoformat()}
        for h in old.order_by("first_seen_at", "id")
    ]  # fmt: skip
    return float(len(reasons)), reasons


def _reviews_overdue(now: dt.datetime, version: str) -> tuple[float, Reasons]:
    """Risks whose next review date has passed."""
    today = timezone.localdate(now)
    overdue = Risk.objects.filter(next_review__lt=today).order_by("next_review", "code")
    reasons = [
        {"risk": r.code, "owner": r.owner, "next_review": r.next_review.isoformat()}
        for r in overdue
        if r.next_review is not None
    ]
    return float(len(reasons)), reasons


def _critical_single_source(now: dt.datetime, version: str) -> tuple[float, Reasons]:
    """Bought-in critical items (特定重要物資 or critical-mineral tag) with fewer than two
    qualified supplier organisations."""
    from econsec.valuechain.models import Item, SupplyLink

    sources: dict[int, set[int]] = {}
    bought: set[int] = set()
    rows = SupplyLink.objects.values_list("item_id", "supplier_site__organisation_id", "qualified")
    for item, org, qualified in rows.iterator(chunk_size=10_000):
        bought.add(item)
        if qualified:
            sources.setdefault(item, set()).add(org)
    reasons = []
    items = Item.objects.filter(pk__in=bought).order_by("item_id")
    for pk, item_id, name, critical, minerals in items.values_list(
        "pk", "item_id", "name", "critical_tags", "mineral_tags"
    ):
        if (critical or minerals) and len(sources.get(pk, ())) < 2:
            reasons.append({"item": item_id, "name": name, "qualified": len(sources.get(pk, ()))})
    return float(len(reasons)), reasons


DEFINITIONS = (
    Definition("critical_single_source", 1, 5, _critical_single_source),
    Definition("stress_tts_below_ttr", 1, 2, _stress_tts_below_ttr),
    Definition("open_hits_older", 1, 5, _open_hits_older),
    Definition("reviews_overdue", 1, 3, _reviews_overdue),
)


def status(key: str, value: float, amber: float, red: float) -> str:
    configured = getattr(settings, "ECONSEC_KRI_THRESHOLDS", {}).get(key)
    if configured:
        amber, red = configured
    return "red" if value >= red else "amber" if value >= amber else "green"


@dataclass(frozen=True)
class Reading:
    key: str
    value: float
    status: str
    reasons: Reasons
    previous: float | None  # the value before this one (trend)


def compute_all(now: dt.datetime | None = None) -> list[Reading]:
    """Compute every indicator on the current data version and store the values."""
    from econsec.valuechain.store_io import current_version

    now = now or timezone.now()
    version = current_version()
    readings = []
    for d in DEFINITIONS:
        value, reasons = d.compute(now, version)
        previous = KriValue.objects.filter(key=d.key).values_list("value", flat=True).first()
        colour = status(d.key, value, d.amber, d.red)
        KriValue.objects.create(key=d.key, value=value, status=colour, reasons=reasons,
                                data_version=version, computed_at=now)  # fmt: skip
        readings.append(Reading(d.key, value, colour, reasons, previous))
    return readings
