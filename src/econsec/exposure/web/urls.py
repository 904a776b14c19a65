"""Exposure pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("exposure/", views.overview, name="exposure"),
    path("exposure/products/", views.products, name="exposure_products"),
    path(
        "exposure/products/<str:site_id>/<str:item_id>/",
        views.product_detail,
        name="exposure_product",
    ),
    path("exposure/countries/", views.countries, name="exposure_countries"),
    path("exposure/spof/", views.spof, name="exposure_spof"),
    path("exposure/critical/", views.critical, name="exposure_critical"),
    path("exposure/export.xlsx", views.export_xlsx, name="exposure_export"),
    path("exposure/run/", views.run, name="exposure_run"),
]
