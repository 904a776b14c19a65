"""Counterparty screening pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("screening/lists/", views.lists, name="screening_lists"),
    path("screening/lists/<str:name>/", views.list_detail, name="screening_list"),
    path(
        "screening/lists/<str:name>/versions/<int:version_id>/",
        views.version_detail,
        name="screening_version",
    ),
    path("screening/hits/", views.hits, name="screening_hits"),
    path("screening/hits/<int:hit_id>/", views.hit_detail, name="screening_hit"),
    path("screening/hits/<int:hit_id>/decide/", views.hit_decide, name="screening_decide"),
    path("screening/decisions/", views.decisions, name="screening_decisions"),
    path("screening/events/", views.events, name="screening_events"),
    path("screening/search/", views.search, name="screening_search"),
    path("screening/run/", views.run, name="screening_run"),
]
