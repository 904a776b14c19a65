"""Key risk indicators computed from what econsec has stored, with thresholds and reasons.

Each indicator counts or measures something whose growth means more risk; ``amber`` and ``red``
are the values from which it turns amber and red (``ECONSEC_KRI_THRESHOLDS`` overrides them per
key). Every computation is stored (``KriValue``), so an indicator's trend is its stored series.

An indicator is a *formula* (a function of the stored analyses and a few parameters) with
thresholds. The nine built-in indicators are formulas with default parameters; a user defines
more (``KriDefinition``) by picking a formula from :data:`FORMULAS` and setting its parameters
and thresholds: no free code. The formulas share one :class:`Context`, so the stored exposure
report and the supply links are read once per computation, whatever the number of indicators.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from econsec.governance.errors import GovernanceError
from econsec.governance.models import Action, KriDefinition, KriValue, Risk

Reasons = list[dict[str, Any]]
MAX_REASONS = 200  # stored per value; the count is the value itself


@dataclass
class Context:
    """What the formulas read, loaded on first use and shared between them."""

    now: dt.datetime
    version: str
    cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def products(self) -> list[dict[str, Any]]:
        """The stored exposure report's product rows for the current data version (raw JSON:
        decoding it into dataclasses would cost more than every indicator together)."""
        from econsec.exposure.models import ExposureResult
        from econsec.exposure.store import KIND_REPORT

        row = (
            ExposureResult.objects.filter(data_version=self.version, kind=KIND_REPORT)
            .order_by("-created_at", "-id")
            .values_list("result", flat=True)
            .first()
        )
        if row is None:
            return []
        data = json.loads(row) if isinstance(row, str) else row
        return list(data.get("products", []))

    @cached_property
    def critical_items(self) -> dict[int, tuple[str, str]]:
        """pk → (item id, name) of items tagged 特定重要物資 or critical mineral."""
        from econsec.valuechain.models import Item

        rows = Item.objects.values_list("pk", "item_id", "name", "critical_tags", "mineral_tags")
        return {pk: (iid, name) for pk, iid, name, crit, minerals in rows if crit or minerals}


Formula = Callable[[Context, dict[str, Any]], tuple[float, Reasons]]


def _stress_tts_below_ttr(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Stored scenarios (latest result each, current data version) whose TTS < TTR."""
    from econsec.stress.models import Result

    latest: dict[str, Any] = {}
    for result in Result.objects.filter(kind="scenario", data_version=ctx.version).order_by(
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


def _open_hits_older(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Open screening hits first seen more than ``days`` days ago."""
    from econsec.screening.models import Hit

    days = int(params.get("days", getattr(settings, "ECONSEC_KRI_HIT_DAYS", 14)))
    old = Hit.objects.filter(status=Hit.OPEN, first_seen_at__lt=ctx.now - dt.timedelta(days=days))
    reasons = [
        {"hit": h.pk, "subject": h.subject_name, "entity": h.entity_name,
         "first_seen": h.first_seen_at.date().isoformat()}
        for h in old.order_by("first_seen_at", "id")
    ]  # fmt: skip
    return float(len(reasons)), reasons


def _reviews_overdue(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Risks whose next review date has passed."""
    today = timezone.localdate(ctx.now)
    overdue = Risk.objects.filter(next_review__lt=today).order_by("next_review", "code")
    reasons = [
        {"risk": r.code, "owner": r.owner, "next_review": r.next_review.isoformat()}
        for r in overdue
        if r.next_review is not None
    ]
    return float(len(reasons)), reasons


def _critical_single_source(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Bought-in critical items with fewer than ``min_sources`` (2) qualified supplier
    organisations. Counted by the database (one grouped query), not row by row."""
    from econsec.valuechain.models import SupplyLink

    minimum = int(params.get("min_sources", 2))
    critical = ctx.critical_items
    counts = SupplyLink.objects.values_list("item_id").annotate(
        n=Count("supplier_site__organisation_id", filter=Q(qualified=True), distinct=True)
    )
    reasons = []
    for item, n in counts.order_by():
        if item in critical and n < minimum:
            item_id, name = critical[item]
            reasons.append({"item": item_id, "name": name, "qualified": n})
    reasons.sort(key=lambda r: r["item"])
    return float(len(reasons)), reasons


def _country_share(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Revenue-weighted share (%) of our products' input value coming from a country group
    (``group``, default ECONSEC_KRI_COUNTRY_GROUP) or a list of ``countries``."""
    countries = [str(c).upper() for c in params.get("countries", [])]
    group = params.get("group") or getattr(
        settings, "ECONSEC_KRI_COUNTRY_GROUP", "countries_of_concern"
    )
    total = weighted = 0.0
    rows = []
    for p in ctx.products:
        if countries:
            share = sum(p.get("country_shares", {}).get(c, 0.0) for c in countries)
        else:
            share = p.get("group_shares", {}).get(group, 0.0)
        revenue = float(p.get("revenue_per_week", 0.0))
        total += revenue
        weighted += revenue * share
        if share > 0:
            rows.append((share, revenue, p))
    value = 100.0 * weighted / total if total > 0 else 0.0
    rows.sort(key=lambda r: (-r[0] * r[1], r[2]["site_id"], r[2]["item_id"]))
    where = ", ".join(countries) if countries else str(group)
    reasons = [
        {"product": f"{p['site_id']}/{p['item_id']}", "name": p.get("item_name", ""),
         "share_pct": round(100 * share, 1), "revenue_per_week": round(revenue), "group": where}
        for share, revenue, p in rows
    ]  # fmt: skip
    return round(value, 2), reasons


def _structural_spof(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Products with at least one structural single point of failure (exposure analysis)."""
    reasons = [
        {"product": f"{p['site_id']}/{p['item_id']}", "name": p.get("item_name", ""),
         "spof": ", ".join(p["single_points_of_failure"][:5]),
         "count": len(p["single_points_of_failure"])}
        for p in ctx.products
        if p.get("single_points_of_failure")
    ]  # fmt: skip
    reasons.sort(key=lambda r: (-r["count"], r["product"]))
    return float(len(reasons)), reasons


def _cover_below(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Critical materials bought by a site whose stock covers fewer than ``weeks`` (4) weeks of
    its supply (annual volume received / 52); no stock row counts as zero weeks."""
    from econsec.valuechain.models import Inventory, Site, SupplyLink

    weeks = float(params.get("weeks", 4))
    critical = ctx.critical_items
    usage = (
        SupplyLink.objects.filter(annual_volume__gt=0)
        .values_list("receiving_site_id", "item_id")
        .annotate(v=Sum("annual_volume"))
        .order_by()
    )
    stock = {(s, i): q for s, i, q in Inventory.objects.values_list("site_id", "item_id",
                                                                   "on_hand_units")}  # fmt: skip
    short = []
    for site, item, annual in usage:
        if item not in critical or not annual:
            continue
        cover = stock.get((site, item), 0.0) / (annual / 52.0)
        if cover < weeks:
            short.append((cover, site, item))
    names = dict(Site.objects.filter(pk__in={s for _, s, _ in short}).values_list("pk", "site_id"))
    short.sort(key=lambda r: (r[0], names[r[1]], critical[r[2]][0]))
    reasons = [
        {"site": names[s], "item": critical[i][0], "name": critical[i][1],
         "weeks": round(cover, 1), "target": weeks}
        for cover, s, i in short
    ]  # fmt: skip
    return float(len(reasons)), reasons


def _actions_overdue(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Open actions more than ``days`` (0) days past their due date."""
    days = int(params.get("days", 0))
    limit = timezone.localdate(ctx.now) - dt.timedelta(days=days)
    late = Action.objects.filter(status__in=Action.OPEN_STATUSES, due__lt=limit).select_related(
        "risk"
    )
    reasons = [
        {"action": a.pk, "title": a.title_en, "owner": a.owner, "due": a.due.isoformat(),
         "risk": a.risk.code if a.risk else "-"}
        for a in late.order_by("due", "id")
    ]  # fmt: skip
    return float(len(reasons)), reasons


def _maturity_below(ctx: Context, params: dict[str, Any]) -> tuple[float, Reasons]:
    """Guideline areas whose maturity (latest campaign, approved first) is below ``target``
    (3 on the 0–4 scale), or not yet rated."""
    from econsec.guideline.campaigns import campaign_scorecard
    from econsec.guideline.models import Campaign

    target = float(params.get("target", 3))
    campaign = (
        Campaign.objects.select_related("framework").filter(status="approved").first()
        or Campaign.objects.select_related("framework").first()
    )
    if campaign is None:
        return 0.0, []
    _, card = campaign_scorecard(campaign)
    reasons = [
        {"area": area, "maturity": None if s.maturity is None else round(s.maturity, 2),
         "target": target, "campaign": campaign.name}
        for area, s in sorted(card.areas.items())
        if s.maturity is None or s.maturity < target
    ]  # fmt: skip
    return float(len(reasons)), reasons


# Formulas a user may build an indicator from, with the parameters each takes.
FORMULAS: dict[str, tuple[Formula, tuple[str, ...]]] = {
    "country_share": (_country_share, ("group", "countries")),
    "structural_spof": (_structural_spof, ()),
    "critical_single_source": (_critical_single_source, ("min_sources",)),
    "cover_below": (_cover_below, ("weeks",)),
    "stress_tts_below_ttr": (_stress_tts_below_ttr, ()),
    "open_hits_older": (_open_hits_older, ("days",)),
    "actions_overdue": (_actions_overdue, ("days",)),
    "reviews_overdue": (_reviews_overdue, ()),
    "maturity_below": (_maturity_below, ("target",)),
}


@dataclass(frozen=True)
class Definition:
    key: str
    amber: float
    red: float
    formula: str
    params: dict[str, Any] = field(default_factory=dict)
    name: dict[str, str] | None = None  # user-defined: {"ja", "en"}; built-in: message id

    def label(self, lang: str) -> str:
        from econsec.i18n import t

        if self.name is not None:
            return self.name.get(lang) or self.name.get("en", self.key)
        return t(f"governance.kri.name.{self.key}", lang)


BUILT_IN = (
    Definition("country_group_share", 20, 40, "country_share"),
    Definition("structural_spof_products", 1, 5, "structural_spof"),
    Definition("critical_single_source", 1, 5, "critical_single_source"),
    Definition("weeks_of_cover", 1, 5, "cover_below"),
    Definition("stress_tts_below_ttr", 1, 2, "stress_tts_below_ttr"),
    Definition("open_hits_older", 1, 5, "open_hits_older"),
    Definition("actions_overdue", 1, 3, "actions_overdue"),
    Definition("reviews_overdue", 1, 3, "reviews_overdue"),
    Definition("maturity_below_target", 1, 3, "maturity_below"),
)
DEFINITIONS = BUILT_IN  # the names the first slice used


def definitions() -> list[Definition]:
    """The built-in indicators, then the user-defined ones."""
    users = [
        Definition(
            d.key, d.amber, d.red, d.formula, dict(d.params), {"ja": d.name_ja, "en": d.name_en}
        )
        for d in KriDefinition.objects.all()
    ]
    return [*BUILT_IN, *users]


def define(
    key: str, *, name_ja: str, name_en: str, formula: str, params: dict[str, Any],
    amber: float, red: float, actor: str,
) -> KriDefinition:  # fmt: skip
    """Add a user-defined indicator (one of :data:`FORMULAS`, parameters checked)."""
    from econsec.governance.chain import append

    key = key.strip()
    if not key or not name_ja.strip() or not name_en.strip():
        raise GovernanceError("governance.kri.define.required")
    if key in {d.key for d in BUILT_IN} or KriDefinition.objects.filter(key=key).exists():
        raise GovernanceError("governance.kri.define.exists", key=key)
    from econsec.governance.fields import check_values

    check_values(KriDefinition, {"key": key, "name_ja": name_ja, "name_en": name_en})
    if formula not in FORMULAS:
        allowed = ", ".join(sorted(FORMULAS))
        raise GovernanceError("governance.kri.define.bad_formula", value=formula, allowed=allowed)
    allowed_params = FORMULAS[formula][1]
    for name, value in params.items():
        if name not in allowed_params:
            raise GovernanceError("governance.kri.define.bad_param", name=name, formula=formula,
                                  allowed=", ".join(allowed_params) or "-")  # fmt: skip
        ok = (
            (isinstance(value, list) and all(isinstance(v, str) for v in value))
            if name == ("countries")
            else isinstance(value, str)
            if name == "group"
            else (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0)
        )
        if not ok:
            raise GovernanceError("governance.kri.define.bad_value", name=name, value=value)
    if not amber <= red:
        raise GovernanceError("governance.kri.define.bad_thresholds", amber=amber, red=red)
    row = KriDefinition.objects.create(key=key, name_ja=name_ja, name_en=name_en, formula=formula,
                                       params=params, amber=amber, red=red, created_by=actor)  # fmt: skip
    append("kri.defined", f"kri:{key}", actor=actor,
           detail={"formula": formula, "params": params, "amber": amber, "red": red})  # fmt: skip
    return row


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
    definition: Definition | None = None


def evaluate(definition: Definition, ctx: Context) -> tuple[float, Reasons]:
    formula, _ = FORMULAS[definition.formula]
    return formula(ctx, definition.params)


def compute_all(now: dt.datetime | None = None) -> list[Reading]:
    """Compute every indicator on the current data version and store the values."""
    from econsec.valuechain.store_io import current_version

    ctx = Context(now or timezone.now(), current_version())
    readings = []
    values = []
    for d in definitions():
        value, reasons = evaluate(d, ctx)
        previous = KriValue.objects.filter(key=d.key).values_list("value", flat=True).first()
        colour = status(d.key, value, d.amber, d.red)
        values.append(KriValue(key=d.key, value=value, status=colour,
                               reasons=reasons[:MAX_REASONS], data_version=ctx.version,
                               computed_at=ctx.now))  # fmt: skip
        readings.append(Reading(d.key, value, colour, reasons, previous, d))
    KriValue.objects.bulk_create(values)
    return readings


def latest() -> list[tuple[Definition, KriValue | None]]:
    """Each indicator's latest stored value (None: never computed)."""
    out = []
    for d in definitions():
        out.append((d, KriValue.objects.filter(key=d.key).first()))
    return out


def explain(formula: str, reason: dict[str, Any], lang: str) -> str:
    """One reason of an indicator value as a sentence in ``lang``."""
    from econsec.i18n import t

    values = {k: ("-" if v in (None, "") else f"{v:g}" if isinstance(v, float) else v)
              for k, v in reason.items()}  # fmt: skip
    return t(f"governance.kri.reason.{formula}", lang, **values)


def trend(key: str, points: int = 30) -> list[KriValue]:
    """The last ``points`` values of an indicator, oldest first."""
    return list(reversed(KriValue.objects.filter(key=key)[:points]))
