"""Governance pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import channel_views, register_io, request_views, views

urlpatterns = [
    path("governance/", views.overview, name="governance"),
    path("governance/risks/", views.risk_list, name="governance_risks"),
    path("governance/risks/new/", views.risk_new, name="governance_risk_new"),
    # Not under risks/<code>/: a risk may be called "import".
    path("governance/register/import/", register_io.risk_import, name="governance_risk_import"),
    path("governance/register/export/", register_io.risk_export, name="governance_risk_export"),
    path("governance/risks/<str:code>/", views.risk_detail, name="governance_risk"),
    path("governance/risks/<str:code>/change/", views.risk_change, name="governance_risk_change"),
    path("governance/risks/<str:code>/accept/", views.risk_accept, name="governance_risk_accept"),
    path(
        "governance/risks/<str:code>/request-acceptance/",
        views.risk_request_acceptance,
        name="governance_risk_request_acceptance",
    ),
    path("governance/kris/", views.kri_list, name="governance_kris"),
    path("governance/kris/compute/", views.kri_compute, name="governance_kri_compute"),
    path("governance/actions/", views.action_list, name="governance_actions"),
    path("governance/actions/new/", views.action_new, name="governance_action_new"),
    path("governance/actions/<int:action_id>/", views.action_detail, name="governance_action"),
    path(
        "governance/actions/<int:action_id>/change/",
        views.action_change,
        name="governance_action_change",
    ),
    path("governance/inbox/", views.inbox, name="governance_inbox"),
    path("governance/requests/decide/", request_views.decide, name="governance_request_decide"),
    path("governance/preferences/", channel_views.preferences, name="governance_preferences"),
    path("governance/webhooks/", channel_views.webhooks, name="governance_webhooks"),
    path("governance/webhooks/add/", channel_views.webhook_add, name="governance_webhook_add"),
    path(
        "governance/webhooks/<int:hook_id>/remove/",
        channel_views.webhook_remove,
        name="governance_webhook_remove",
    ),
    path(
        "governance/webhooks/<int:hook_id>/test/",
        channel_views.webhook_test,
        name="governance_webhook_test",
    ),
    path("governance/audit/", views.audit, name="governance_audit"),
    path("governance/disclosure/", views.disclosure, name="governance_disclosure"),
    path("governance/disclosure/save/", views.disclosure_save, name="governance_disclosure_save"),
    path(
        "governance/disclosure/<int:record_id>/request/",
        views.disclosure_request,
        name="governance_disclosure_request",
    ),
    path(
        "governance/disclosure/<int:record_id>/approve/",
        views.disclosure_approve,
        name="governance_disclosure_approve",
    ),
]
