"""Value-chain endpoints: keyset-paged lists, one record by business key, workbook import."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from econsec.i18n import t
from econsec.valuechain.models import BomLine, Item, Organisation, Site, SupplyLink
from econsec.web.api.auth import require
from econsec.web.api.schemas import ItemOut, JobOut, OrganisationOut, PageOut, SiteOut
from econsec.web.language import request_language
from econsec.web.listing import PreparedPages, paginate
from econsec.web.roles import EDIT, READ
from econsec.web.views.jobs import job_state

from . import upload
from .upload import ACCEPTED, MAX_BYTES

router = Router(tags=["value chain"])
MAX_LIMIT = 500


def _org(o: Organisation) -> dict[str, Any]:
    return {
        "org_id": o.org_id,
        "name": o.name,
        "name_en": o.name_en,
        "kind": o.kind,
        "country": o.country,
        "parent_org_id": o.parent.org_id if o.parent else None,
        "ownership_pct": o.ownership_pct,
        "notes": o.notes,
    }


def _site(s: Site) -> dict[str, Any]:
    return {
        "site_id": s.site_id,
        "org_id": s.organisation.org_id,
        "name": s.name,
        "country": s.country,
        "region": s.region,
        "kind": s.kind,
        "latitude": s.latitude,
        "longitude": s.longitude,
    }


def _item(i: Item) -> dict[str, Any]:
    return {
        "item_id": i.item_id,
        "name": i.name,
        "name_en": i.name_en,
        "kind": i.kind,
        "unit": i.unit,
        "hs_code": i.hs_code,
        "critical_tags": list(i.critical_tags),
        "mineral_tags": list(i.mineral_tags),
    }


# Lists of the two big tables read dict rows (.values()): no model instances per row.
_BOM_COLUMNS = ("pk", "id", "parent_item__item_id", "child_item__item_id", "quantity_per_unit")
_LINK_COLUMNS = (
    "pk",
    "id",
    "supplier_site__site_id",
    "item__item_id",
    "receiving_site__site_id",
    "share",
    "lead_time_days",
    "annual_volume",
    "annual_value",
    "currency",
    "capacity_per_week",
    "qualified",
    "chokepoints",
)


def _bom(b: dict[str, Any]) -> dict[str, Any]:
    return {
        "parent_item_id": b["parent_item__item_id"],
        "child_item_id": b["child_item__item_id"],
        "quantity_per_unit": b["quantity_per_unit"],
    }


def _link(s: dict[str, Any]) -> dict[str, Any]:
    value = s["annual_value"]
    return {
        "supplier_site_id": s["supplier_site__site_id"],
        "item_id": s["item__item_id"],
        "receiving_site_id": s["receiving_site__site_id"],
        "share": s["share"],
        "lead_time_days": s["lead_time_days"],
        "annual_volume": s["annual_volume"],
        "annual_value": None if value is None else str(value),
        "currency": s["currency"],
        "capacity_per_week": s["capacity_per_week"],
        "qualified": s["qualified"],
        "chokepoints": list(s["chokepoints"] or ()),
    }


def _page(
    qs: Any,
    field: str,
    after: str | None,
    limit: int,
    shape: Any,
    prepared: PreparedPages | None = None,
) -> dict[str, Any]:
    size = max(1, min(limit, MAX_LIMIT))
    fetch = prepared.fetch(field, size) if prepared is not None else None
    page = paginate(qs, field, after=after, size=size, fetch=fetch)
    return {"items": [shape(r) for r in page.rows], "next": page.next_cursor}


# Unfiltered pages of the .values() lists, read with prepared queries (econsec.web.listing).
_BOM_PAGES = PreparedPages(lambda: BomLine.objects.values(*_BOM_COLUMNS), 100)
_LINK_PAGES = PreparedPages(lambda: SupplyLink.objects.values(*_LINK_COLUMNS), 100)


@router.get("/organisations", response=PageOut, url_name="organisations")
@require(READ)
def list_organisations(
    request: HttpRequest, after: str | None = None, limit: int = 100, country: str = ""
) -> dict[str, Any]:
    qs = Organisation.objects.select_related("parent")
    if country:
        qs = qs.filter(country=country.upper())
    return _page(qs, "org_id", after, limit, _org)


@router.get("/organisations/{org_id}", response=OrganisationOut, url_name="organisation")
@require(READ)
def get_organisation(request: HttpRequest, org_id: str) -> dict[str, Any]:
    return _org(get_object_or_404(Organisation.objects.select_related("parent"), org_id=org_id))


@router.get("/sites", response=PageOut, url_name="sites")
@require(READ)
def list_sites(
    request: HttpRequest, after: str | None = None, limit: int = 100, country: str = ""
) -> dict[str, Any]:
    qs = Site.objects.select_related("organisation")
    if country:
        qs = qs.filter(country=country.upper())
    return _page(qs, "site_id", after, limit, _site)


@router.get("/sites/{site_id}", response=SiteOut, url_name="site")
@require(READ)
def get_site(request: HttpRequest, site_id: str) -> dict[str, Any]:
    return _site(get_object_or_404(Site.objects.select_related("organisation"), site_id=site_id))


@router.get("/items", response=PageOut, url_name="items")
@require(READ)
def list_items(
    request: HttpRequest, after: str | None = None, limit: int = 100, kind: str = ""
) -> dict[str, Any]:
    qs = Item.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return _page(qs, "item_id", after, limit, _item)


@router.get("/items/{item_id}", response=ItemOut, url_name="item")
@require(READ)
def get_item(request: HttpRequest, item_id: str) -> dict[str, Any]:
    return _item(get_object_or_404(Item, item_id=item_id))


@router.get("/bom", response=PageOut, url_name="bom")
@require(READ)
def list_bom(request: HttpRequest, after: str | None = None, limit: int = 100) -> dict[str, Any]:
    qs = BomLine.objects.values(*_BOM_COLUMNS)
    return _page(qs, "id", after, limit, _bom, _BOM_PAGES)


@router.get("/supply-links", response=PageOut, url_name="links")
@require(READ)
def list_links(
    request: HttpRequest, after: str | None = None, limit: int = 100, item_id: str = ""
) -> dict[str, Any]:
    qs = SupplyLink.objects.values(*_LINK_COLUMNS)
    if item_id:
        return _page(qs.filter(item__item_id=item_id), "id", after, limit, _link)
    return _page(qs, "id", after, limit, _link, _LINK_PAGES)


@router.post("/import", response={202: JobOut}, url_name="import")
@require(EDIT)
def start_import(request: HttpRequest, workbook: UploadedFile = File(...)) -> tuple[int, Any]:  # type: ignore[type-arg]  # noqa: B008
    lang = request_language(request)
    name = workbook.name or ""
    if not name.lower().endswith(ACCEPTED):
        raise HttpError(400, t("web.upload.bad_type", lang, name=name))
    if (workbook.size or 0) > MAX_BYTES:
        raise HttpError(400, t("web.upload.too_big", lang, name=name, limit="50 MB"))
    return 202, job_state(upload.start_import(workbook, request.user), lang)
