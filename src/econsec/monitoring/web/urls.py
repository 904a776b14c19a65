"""Monitoring pages (namespace ``web``): the alert inbox, an event, its triage."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("monitoring/", views.inbox, name="monitoring_inbox"),
    path("monitoring/events/<int:event_id>/", views.event_detail, name="monitoring_event"),
    path("monitoring/events/<int:event_id>/triage/", views.triage, name="monitoring_triage"),
]
