"""Workbench pages (namespace ``web``). Every view is guarded by ``role_required`` (tests check)."""

from __future__ import annotations

from django.urls import path

from .views import auth, dashboard, jobs, tokens, upload, valuechain

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("language/", auth.set_language, name="set_language"),
    path("valuechain/organisations/", valuechain.organisations, name="organisations"),
    path(
        "valuechain/organisations/<str:org_id>/",
        valuechain.organisation_detail,
        name="organisation",
    ),
    path("valuechain/sites/", valuechain.sites, name="sites"),
    path("valuechain/sites/<str:site_id>/", valuechain.site_detail, name="site"),
    path("valuechain/items/", valuechain.items, name="items"),
    path("valuechain/items/<str:item_id>/", valuechain.item_detail, name="item"),
    path("valuechain/bom/", valuechain.bom, name="bom"),
    path("valuechain/links/", valuechain.links, name="links"),
    path("valuechain/upload/", upload.upload_workbook, name="upload"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
]
