"""Monitoring pages (namespace ``web``): the alert inbox, an event, its triage."""

from __future__ import annotations

from django.urls import path

from . import sources, views

urlpatterns = [
    path("monitoring/", views.inbox, name="monitoring_inbox"),
    path("monitoring/events/<int:event_id>/", views.event_detail, name="monitoring_event"),
    path("monitoring/events/<int:event_id>/triage/", views.triage, name="monitoring_triage"),
    path("monitoring/events/<int:event_id>/request/", views.ask, name="monitoring_request"),
    path(
        "monitoring/requests/<int:request_id>/answer/",
        views.record_answer,
        name="monitoring_request_answer",
    ),
    path("monitoring/sources/", sources.sources, name="monitoring_sources"),
    path("monitoring/sources/add/", sources.add, name="monitoring_source_add"),
    path(
        "monitoring/sources/<int:source_id>/toggle/",
        sources.toggle,
        name="monitoring_source_toggle",
    ),
    path(
        "monitoring/sources/<int:source_id>/fetch/",
        sources.fetch_now,
        name="monitoring_source_fetch",
    ),
]
