"""Planning pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("planning/", views.index, name="planning"),
    path("planning/measures/", views.measures, name="planning_measures"),
    path("planning/measures/save/", views.measure_save, name="planning_measure_save"),
    path("planning/measures/import/", views.measures_import, name="planning_measures_import"),
    path("planning/measures/export/", views.measures_export, name="planning_measures_export"),
    path(
        "planning/measures/<str:measure_id>/delete/",
        views.measure_delete,
        name="planning_measure_delete",
    ),
    path("planning/suggestions/", views.suggestions, name="planning_suggestions"),
    path(
        "planning/suggestions/refresh/",
        views.suggestions_refresh,
        name="planning_suggestions_refresh",
    ),
    path(
        "planning/suggestions/<int:suggestion_id>/",
        views.suggestion_decide,
        name="planning_suggestion_decide",
    ),
    path("planning/simulate/", views.simulate, name="planning_simulate"),
    path("planning/optimise/", views.optimise, name="planning_optimise"),
    path("planning/runs/<int:run_id>/", views.run_page, name="planning_run"),
    path("planning/runs/<int:run_id>/cite/", views.run_cite, name="planning_run_cite"),
]
