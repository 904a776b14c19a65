"""API payloads (pydantic schemas via django-ninja)."""

from typing import Any

from ninja import Schema


class OrganisationOut(Schema):
    org_id: str
    name: str
    name_en: str
    kind: str
    country: str
    parent_org_id: str | None
    ownership_pct: float | None
    notes: str


class SiteOut(Schema):
    site_id: str
    org_id: str
    name: str
    country: str
    region: str
    kind: str
    latitude: float | None
    longitude: float | None


class ItemOut(Schema):
    item_id: str
    name: str
    name_en: str
    kind: str
    unit: str
    hs_code: str
    critical_tags: list[str]
    mineral_tags: list[str]


class BomLineOut(Schema):
    parent_item_id: str
    child_item_id: str
    quantity_per_unit: float


class SupplyLinkOut(Schema):
    supplier_site_id: str
    item_id: str
    receiving_site_id: str
    share: float
    lead_time_days: float | None
    annual_volume: float | None
    annual_value: str | None
    currency: str
    capacity_per_week: float | None
    qualified: bool
    chokepoints: list[str]


class PageOut(Schema):
    """One keyset page: pass ``next`` back as ``after`` for the following page."""

    items: list[Any]
    next: str | None


class JobOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    progress: float
    note: str
    error: str
    result_url: str
    finished: bool


class ErrorOut(Schema):
    detail: str
