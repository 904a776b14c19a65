"""Typed results of the exposure analysis; each renders in ja and en and converts to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from econsec.exposure.problems import ExposureWarning
from econsec.i18n import t

# 2: critical categories and minerals in reasons are stored as [slug, figures…] lists and get
# their ja/en labels when the reason is rendered.
RESULT_SCHEMA = 3  # 3: products carry unknown_by_tier
LISTED = 3
"""How many names a reason lists before "(+n)"."""


def listed(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    return shown + (f" (+{len(names) - LISTED})" if len(names) > LISTED else "")


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _labelled(params: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Slugs in a reason's figures replaced by their labels in ``lang``."""
    from econsec.reference.labels import category_label, country_label, mineral_label

    out = dict(params)
    categories = params.get("categories")
    if isinstance(categories, list):
        out["categories"] = listed([f"{category_label(c, lang)} {pct(s)}" for c, s in categories])
    found = params.get("minerals")
    if isinstance(found, list):
        out["minerals"] = listed(
            [f"{mineral_label(m, lang)} (HHI {h:.2f}, {pct(s)})" for m, h, s in found]
        )
    by_tier = params.get("by_tier")
    if isinstance(by_tier, list):
        out["by_tier"] = ", ".join(
            t("exposure.unknown.tier", lang, tier=k if k < 4 else "4+", share=pct(v))
            for k, v in by_tier
        )
    if isinstance(params.get("country"), str):
        out["country"] = country_label(params["country"], lang)
    return out


@dataclass(frozen=True)
class Reason:
    """One explained deduction from an autonomy score: a message id, its figures, the points."""

    code: str
    params: dict[str, Any]
    points: float

    def text(self, lang: str | None = None) -> str:
        """The reason in ``lang`` with its figures filled in."""
        return t(self.code, lang, **_labelled(self.params, lang))


@dataclass(frozen=True)
class ProductResult:
    """Exposure of one product (an item we sell, at the site that makes it)."""

    site_id: str
    item_id: str
    item_name: str
    revenue_per_week: float
    margin_per_week: float
    score: float
    reasons: tuple[Reason, ...]
    country_shares: dict[str, float]
    """Share of input value by country of origin (all tiers), largest first."""
    country_hhi: float
    group_shares: dict[str, float]
    single_points_of_failure: tuple[str, ...]
    """Sites (other than our own) whose disruption alone stops the product."""
    critical_products: dict[str, float]
    """Critical-product category id → share of input value that embeds it."""
    minerals: dict[str, float]
    """Mineral tag → share of input value that embeds it."""
    unknown_by_tier: dict[str, float] = field(default_factory=dict)
    """Tier ("1"…"3", "4" for four or more) → share of input value of unknown origin entering
    there: through suppliers whose own inputs are not mapped (econsec.exposure.unknown)."""

    @property
    def unknown_origin(self) -> float:
        """Share of input value of unknown origin (counted in the score, with its reason)."""
        return sum(self.unknown_by_tier.values())


@dataclass(frozen=True)
class ElementLoss:
    """What disrupting one site, organisation or country alone stops."""

    kind: str
    element_id: str
    name: str
    country: str
    products: tuple[str, ...]  # "site/item" of each product stopped
    revenue_per_week: float
    margin_per_week: float
    nodes_lost: int


@dataclass(frozen=True)
class SourcingRow:
    """Sources and concentration of one item as needed at one site (or pooled per item)."""

    site_id: str  # "" for the per-item pool across our own sites
    item_id: str
    item_name: str
    tier: int
    n_sources: int
    n_qualified: int
    n_alternatives: int
    single_source: bool
    sole_source: bool
    supplier_hhi_volume: float
    supplier_hhi_value: float
    country_hhi_volume: float
    country_hhi_value: float
    top_country: str
    top_country_share_volume: float
    top_supplier: str
    top_supplier_share_volume: float
    group_shares_volume: dict[str, float]
    group_shares_value: dict[str, float]


@dataclass(frozen=True)
class SupplierRow:
    """One supplier organisation as seen from our own sites."""

    org_id: str
    name: str
    country: str
    slots_supplied: int
    single_source_slots: int
    annual_value: float
    value_share: float
    products_stopped: int
    revenue_at_risk_per_week: float


@dataclass
class ExposureReport:
    """All exposure metrics of one data version."""

    data_version: str
    currency: str
    products: list[ProductResult]
    losses: dict[str, list[ElementLoss]]
    slots: list[SourcingRow]
    items: list[SourcingRow]
    suppliers: list[SupplierRow]
    supplier_hhi_value: float
    warnings: list[ExposureWarning] = field(default_factory=list)
    schema: int = RESULT_SCHEMA

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data (NaN becomes None)."""
        cleaned: dict[str, Any] = _clean(asdict(self))
        return cleaned

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExposureReport:
        """Rebuild a report stored with :meth:`to_json`."""

        def nan(x: Any) -> float:
            return float("nan") if x is None else float(x)

        products = [
            ProductResult(
                **{
                    **p,
                    "reasons": tuple(Reason(**r) for r in p["reasons"]),
                    "single_points_of_failure": tuple(p["single_points_of_failure"]),
                    "revenue_per_week": nan(p["revenue_per_week"]),
                    "margin_per_week": nan(p["margin_per_week"]),
                    "country_hhi": nan(p["country_hhi"]),
                }
            )
            for p in data["products"]
        ]
        losses = {
            k: [ElementLoss(**{**e, "products": tuple(e["products"])}) for e in v]
            for k, v in data["losses"].items()
        }

        def row(r: dict[str, Any]) -> SourcingRow:
            values: dict[str, Any] = {k: (nan(v) if v is None else v) for k, v in r.items()}
            return SourcingRow(**values)

        def supplier(r: dict[str, Any]) -> SupplierRow:
            values: dict[str, Any] = {k: (nan(v) if v is None else v) for k, v in r.items()}
            return SupplierRow(**values)

        return cls(
            data_version=data["data_version"],
            currency=data["currency"],
            products=products,
            losses=losses,
            slots=[row(r) for r in data["slots"]],
            items=[row(r) for r in data["items"]],
            suppliers=[supplier(s) for s in data["suppliers"]],
            supplier_hhi_value=nan(data["supplier_hhi_value"]),
            warnings=[ExposureWarning(w["code"], w["params"]) for w in data["warnings"]],
            schema=int(data.get("schema", RESULT_SCHEMA)),
        )


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
