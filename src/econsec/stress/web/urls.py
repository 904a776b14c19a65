"""Stress-test pages (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("stress/", views.index, name="stress"),
    path("stress/scenarios/new/", views.new_scenario, name="stress_new"),
    path("stress/scenarios/<int:scenario_id>/", views.scenario_detail, name="stress_scenario"),
    path("stress/scenarios/<int:scenario_id>/run/", views.scenario_run, name="stress_scenario_run"),
    path("stress/results/<int:result_id>/", views.result_detail, name="stress_result"),
    path(
        "stress/results/<int:result_id>/export/<str:fmt>/",
        views.result_export,
        name="stress_export",
    ),
    path("stress/sweeps/new/", views.new_sweep, name="stress_sweep"),
    path("stress/targets/", views.targets, name="stress_targets"),
]
