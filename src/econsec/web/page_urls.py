"""Workbench pages (namespace ``web``). Every view is guarded by ``role_required`` (tests check)."""

from __future__ import annotations

from django.urls import path

from .views import assessment as assess
from .views import auth, dashboard, jobs, stress, tokens, upload, valuechain
from .views import exposure as expo
from .views import reports as rep
from .views import screening as scr

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
    # Exposure pages and board reports (econsec.exposure, econsec.reports)
    path("exposure/", expo.overview, name="exposure"),
    path("exposure/products/", expo.products, name="exposure_products"),
    path(
        "exposure/products/<str:site_id>/<str:item_id>/",
        expo.product_detail,
        name="exposure_product",
    ),
    path("exposure/countries/", expo.countries, name="exposure_countries"),
    path("exposure/spof/", expo.spof, name="exposure_spof"),
    path("exposure/critical/", expo.critical, name="exposure_critical"),
    path("exposure/export.xlsx", expo.export_xlsx, name="exposure_export"),
    path("exposure/run/", expo.run, name="exposure_run"),
    path("reports/", rep.report_list, name="reports"),
    path("reports/generate/", rep.generate, name="report_generate"),
    path("reports/<int:job_id>/", rep.report, name="report"),
    path("reports/<int:job_id>/<str:fmt>/", rep.report_file, name="report_file"),
    # Counterparty screening (econsec.screening)
    path("screening/lists/", scr.lists, name="screening_lists"),
    path("screening/lists/<str:name>/", scr.list_detail, name="screening_list"),
    path(
        "screening/lists/<str:name>/versions/<int:version_id>/",
        scr.version_detail,
        name="screening_version",
    ),
    path("screening/hits/", scr.hits, name="screening_hits"),
    path("screening/hits/<int:hit_id>/", scr.hit_detail, name="screening_hit"),
    path("screening/hits/<int:hit_id>/decide/", scr.hit_decide, name="screening_decide"),
    path("screening/decisions/", scr.decisions, name="screening_decisions"),
    path("screening/events/", scr.events, name="screening_events"),
    path("screening/search/", scr.search, name="screening_search"),
    path("screening/run/", scr.run, name="screening_run"),
    # Self-assessment (econsec.guideline)
    path("assessment/", assess.campaigns, name="assessment_campaigns"),
    path("assessment/new/", assess.campaign_new, name="assessment_new"),
    path("assessment/trend/", assess.trend, name="assessment_trend"),
    path("assessment/compare/", assess.comparison, name="assessment_compare"),
    path("assessment/<int:campaign_id>/", assess.campaign_detail, name="assessment"),
    path("assessment/<int:campaign_id>/answers/", assess.answers, name="assessment_answers"),
    path(
        "assessment/<int:campaign_id>/evidence/",
        assess.evidence_add,
        name="assessment_evidence_add",
    ),
    path(
        "assessment/evidence/<int:evidence_id>/",
        assess.evidence_download,
        name="assessment_evidence",
    ),
    path("assessment/<int:campaign_id>/scores/", assess.scores, name="assessment_scores"),
    path("assessment/<int:campaign_id>/gaps/", assess.gaps, name="assessment_gaps"),
    path("assessment/<int:campaign_id>/signoff/", assess.signoff, name="assessment_signoff"),
    path("assessment/<int:campaign_id>/export/", assess.export_xlsx, name="assessment_export"),
    path("assessment/<int:campaign_id>/import/", assess.import_xlsx, name="assessment_import"),
    path("assessment/<int:campaign_id>/events/", assess.events, name="assessment_events"),
    # Stress tests (econsec.stress)
    path("stress/", stress.index, name="stress"),
    path("stress/scenarios/new/", stress.new_scenario, name="stress_new"),
    path("stress/scenarios/<int:scenario_id>/", stress.scenario_detail, name="stress_scenario"),
    path(
        "stress/scenarios/<int:scenario_id>/run/", stress.scenario_run, name="stress_scenario_run"
    ),
    path("stress/results/<int:result_id>/", stress.result_detail, name="stress_result"),
    path(
        "stress/results/<int:result_id>/export/<str:fmt>/",
        stress.result_export,
        name="stress_export",
    ),
    path("stress/sweeps/new/", stress.new_sweep, name="stress_sweep"),
    path("stress/targets/", stress.targets, name="stress_targets"),
]
