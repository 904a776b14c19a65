"""Technology pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import countries, facts, incidents, panels, views

urlpatterns = [
    path("technology/", views.index, name="technology"),
    path("technology/exposure/", views.exposure, name="technology_exposure"),
    path("technology/incidents/", views.incidents, name="technology_incidents"),
    path("technology/incidents/new/", views.incident_new, name="technology_incident_new"),
    path("technology/incidents/<str:code>/", incidents.incident, name="technology_incident"),
    path(
        "technology/incidents/<str:code>/update/",
        incidents.incident_update,
        name="technology_incident_update",
    ),
    path(
        "technology/incidents/<str:code>/evidence/",
        incidents.incident_evidence,
        name="technology_incident_evidence",
    ),
    path(
        "technology/incidents/<str:code>/evidence/<int:evidence_id>/",
        incidents.evidence_file,
        name="technology_incident_file",
    ),
    path("technology/export/", views.export, name="technology_export"),
    path("technology/dependence/", views.dependence, name="technology_dependence"),
    path(
        "technology/dependence/<str:kind>/add/",
        facts.item_fact_add,
        name="technology_item_fact_add",
    ),
    path(
        "technology/dependence/<str:kind>/<int:fact_id>/change/",
        facts.item_fact_change,
        name="technology_item_fact_change",
    ),
    path(
        "technology/dependence/<str:kind>/<int:fact_id>/remove/",
        facts.item_fact_remove,
        name="technology_item_fact_remove",
    ),
    path("technology/import/", views.import_view, name="technology_import"),
    path("technology/countries/", countries.countries, name="technology_countries"),
    path("technology/countries/add/", countries.country_add, name="technology_country_add"),
    path(
        "technology/countries/<str:country>/remove/",
        countries.country_remove,
        name="technology_country_remove",
    ),
    path("technology/risks/<str:code>/link/", panels.risk_link, name="technology_risk_link"),
    path("technology/t/<str:tech_id>/", views.detail, name="technology_detail"),
    path("technology/t/<str:tech_id>/<str:kind>/add/", facts.fact_add, name="technology_fact_add"),
    path(
        "technology/t/<str:tech_id>/<str:kind>/<int:fact_id>/change/",
        facts.fact_change,
        name="technology_fact_change",
    ),
    path(
        "technology/t/<str:tech_id>/<str:kind>/<int:fact_id>/remove/",
        facts.fact_remove,
        name="technology_fact_remove",
    ),
]
