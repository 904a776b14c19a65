"""Workbench pages (namespace ``web``). Every view is guarded by ``role_required`` (tests check).

The shell's own pages are listed here; each capability's pages come from the URL module it
registers (``econsec.registry.register_urls``), in the same namespace.
"""

from __future__ import annotations

from importlib import import_module

from django.urls import path

from econsec.registry import registry

from .views import auth, dashboard, jobs, tokens

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("language/", auth.set_language, name="set_language"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
]
for module in registry.url_modules:
    urlpatterns += import_module(module).urlpatterns
