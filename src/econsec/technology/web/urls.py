"""Technology pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("technology/", views.index, name="technology"),
    path("technology/exposure/", views.exposure, name="technology_exposure"),
    path("technology/incidents/", views.incidents, name="technology_incidents"),
    path("technology/incidents/new/", views.incident_new, name="technology_incident_new"),
    path("technology/export/", views.export, name="technology_export"),
    path("technology/dependence/", views.dependence, name="technology_dependence"),
    path("technology/import/", views.import_view, name="technology_import"),
    path("technology/t/<str:tech_id>/", views.detail, name="technology_detail"),
]
