"""Board report pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/generate/", views.generate, name="report_generate"),
    path("reports/<int:job_id>/", views.report, name="report"),
    path("reports/<int:job_id>/<str:fmt>/", views.report_file, name="report_file"),
]
