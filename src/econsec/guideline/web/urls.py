"""Self-assessment pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("assessment/", views.campaigns, name="assessment_campaigns"),
    path("assessment/new/", views.campaign_new, name="assessment_new"),
    path("assessment/trend/", views.trend, name="assessment_trend"),
    path("assessment/compare/", views.comparison, name="assessment_compare"),
    path("assessment/<int:campaign_id>/", views.campaign_detail, name="assessment"),
    path("assessment/<int:campaign_id>/answers/", views.answers, name="assessment_answers"),
    path(
        "assessment/<int:campaign_id>/evidence/",
        views.evidence_add,
        name="assessment_evidence_add",
    ),
    path(
        "assessment/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="assessment_evidence",
    ),
    path("assessment/<int:campaign_id>/scores/", views.scores, name="assessment_scores"),
    path("assessment/<int:campaign_id>/gaps/", views.gaps, name="assessment_gaps"),
    path("assessment/<int:campaign_id>/signoff/", views.signoff, name="assessment_signoff"),
    path("assessment/<int:campaign_id>/export/", views.export_xlsx, name="assessment_export"),
    path("assessment/<int:campaign_id>/import/", views.import_xlsx, name="assessment_import"),
    path("assessment/<int:campaign_id>/events/", views.events, name="assessment_events"),
]
