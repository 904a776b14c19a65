"""Survey pages (namespace ``web``): the analyst's campaign pages and the supplier upload page."""

from __future__ import annotations

from django.urls import path

from . import supplier, views

urlpatterns = [
    path("survey/", views.index, name="survey"),
    path("survey/new/", views.new_campaign, name="survey_new"),
    path("survey/<int:campaign_id>/", views.campaign_detail, name="survey_campaign"),
    path("survey/<int:campaign_id>/merge/", views.merge_view, name="survey_merge"),
    path("survey/<int:campaign_id>/send/", views.send_view, name="survey_send"),
    path(
        "survey/<int:campaign_id>/workbook/<str:org_id>/",
        views.workbook,
        name="survey_workbook",
    ),
    # No account: the secret token in the link is the supplier's only key.
    path("supplier/<str:token>/", supplier.upload_page, name="survey_supplier"),
    path("supplier/<str:token>/workbook/", supplier.own_workbook, name="survey_supplier_workbook"),
]
