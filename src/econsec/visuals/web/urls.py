"""Visuals pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("visuals/map/", views.map_page, name="visuals_map"),
    path("visuals/flows/", views.flows_page, name="visuals_flows"),
    path("visuals/network/", views.networks_page, name="visuals_networks"),
    path(
        "visuals/network/<str:site_id>/<str:item_id>/",
        views.network_page,
        name="visuals_network",
    ),
]
