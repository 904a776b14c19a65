"""Value-chain pages (namespace ``web``): lists, detail pages, workbook upload."""

from __future__ import annotations

from django.urls import path

from . import upload, views

urlpatterns = [
    path("valuechain/organisations/", views.organisations, name="organisations"),
    path(
        "valuechain/organisations/<str:org_id>/",
        views.organisation_detail,
        name="organisation",
    ),
    path("valuechain/sites/", views.sites, name="sites"),
    path("valuechain/sites/<str:site_id>/", views.site_detail, name="site"),
    path("valuechain/items/", views.items, name="items"),
    path("valuechain/items/<str:item_id>/", views.item_detail, name="item"),
    path("valuechain/bom/", views.bom, name="bom"),
    path("valuechain/links/", views.links, name="links"),
    path("valuechain/upload/", upload.upload_workbook, name="upload"),
]
