"""Every URL × (anonymous, each role, no role) → expected status, as CISO Assistant does.

The matrix must name every URL the project serves: adding a URL without an entry fails
``test_every_url_is_in_the_matrix``, so no endpoint ships without its role rule being tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from econsec.web.models import Job
from econsec.web.roles import CAPABILITIES, PUBLIC

WHO = ("anonymous", "norole", "viewer", "auditor", "analyst", "administrator")


@dataclass(frozen=True)
class Entry:
    capability: str  # read | edit | audit | admin | public
    api: bool = False
    method: str = "get"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}
    data: Callable[[], dict[str, Any]] | None = None
    allowed: int = 200  # status when allowed
    public_status: dict[str, int] = field(default_factory=dict)


def _job(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"job_id": ctx["job_id"]}


def _bad_upload() -> dict[str, Any]:
    # A wrong file type: an allowed caller gets the validation answer (400), not a 403.
    return {"workbook": SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")}


def _screening(ctx: dict[str, Any]) -> dict[str, Any]:
    # Two versions of a screened list with hits (tests/web/test_screening_pages.py).
    from tests.screening.web.test_screening_pages import screening_data

    return screening_data()


def _hit(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"hit_id": _screening(ctx)["hit"]}


def _screening_version(ctx: dict[str, Any]) -> dict[str, Any]:
    made = _screening(ctx)
    return {"name": made["list"], "version_id": made["v2"]}


def _campaign(ctx: dict[str, Any], status: str = "draft") -> dict[str, Any]:
    # A self-assessment campaign; "approved" makes every change a refused transition (409).
    import datetime

    from econsec.guideline.campaigns import create_campaign

    campaign = create_campaign("esmg-1.0-draft", "matrix", datetime.date(2026, 1, 23), ["x"])
    campaign.status = status
    campaign.save(update_fields=["status"])
    return {"campaign_id": campaign.pk}


def _approved(ctx: dict[str, Any]) -> dict[str, Any]:
    return _campaign(ctx, "approved")


def _stress_scenario(ctx: dict[str, Any]) -> dict[str, Any]:
    # A stored stress scenario and result (tests/web/test_stress_pages.py).
    from tests.stress.web.test_stress_pages import make_scenario

    return make_scenario(ctx)


def _stress_result(ctx: dict[str, Any]) -> dict[str, Any]:
    from tests.stress.web.test_stress_pages import make_result

    return make_result(ctx)


def _stress_export(ctx: dict[str, Any]) -> dict[str, Any]:
    from tests.stress.web.test_stress_pages import make_export

    return make_export(ctx)


def _monitoring_event(ctx: dict[str, Any]) -> dict[str, Any]:
    from econsec.monitoring.models import Alert, Event

    event = Event.objects.create(kind="tariff", title_en="Tariff", footprint={"kind": "tariff"})
    Alert.objects.create(event=event)
    return {"event_id": event.pk}


def _monitoring_request(ctx: dict[str, Any]) -> dict[str, Any]:
    from econsec.monitoring.models import Alert, Event, SupplierRequest

    event = Event.objects.create(kind="tariff", title_en="Tariff", footprint={"kind": "tariff"})
    made = SupplierRequest.objects.create(
        alert=Alert.objects.create(event=event), org_id="SUP", email="s@example.org"
    )
    return {"request_id": made.pk}


def _monitoring_source(ctx: dict[str, Any]) -> dict[str, Any]:
    from econsec.monitoring.models import Source

    return {"source_id": Source.objects.create(name="s", url="http://127.0.0.1:9/").pk}


MATRIX: dict[str, Entry] = {
    "web:dashboard": Entry("read"),
    "web:login": Entry(PUBLIC),
    "web:logout": Entry(PUBLIC, method="post", allowed=302),
    "web:set_language": Entry(PUBLIC, method="post", data=lambda: {"language": "en"}, allowed=302),
    "web:organisations": Entry("read"),
    "web:organisation": Entry("read", kwargs=lambda ctx: {"org_id": "SUP"}),
    "web:sites": Entry("read"),
    "web:site": Entry("read", kwargs=lambda ctx: {"site_id": "P1"}),
    "web:items": Entry("read"),
    "web:item": Entry("read", kwargs=lambda ctx: {"item_id": "CAR"}),
    "web:bom": Entry("read"),
    "web:links": Entry("read"),
    "web:upload": Entry("edit"),
    "web:jobs": Entry("read"),
    "web:tokens": Entry("read"),
    "web:job": Entry("read", kwargs=_job),
    "web:job_status": Entry("read", kwargs=_job),
    "api:openapi-json": Entry("read"),
    "api:openapi-view": Entry("read"),
    "api:api-root": Entry(PUBLIC, allowed=404),  # no index page: the docs are at api/docs
    "api:organisations": Entry("read", api=True),
    "api:organisation": Entry("read", api=True, kwargs=lambda ctx: {"org_id": "SUP"}),
    "api:sites": Entry("read", api=True),
    "api:site": Entry("read", api=True, kwargs=lambda ctx: {"site_id": "P1"}),
    "api:items": Entry("read", api=True),
    "api:item": Entry("read", api=True, kwargs=lambda ctx: {"item_id": "CAR"}),
    "api:bom": Entry("read", api=True),
    "api:links": Entry("read", api=True),
    "api:job": Entry("read", api=True, kwargs=_job),
    "api:import": Entry("edit", api=True, method="post", data=_bad_upload, allowed=400),
    # Exposure and board reports: with no stored analysis the pages show their empty state; a
    # report id that is not a finished board report is 404 (real reports: tests/web/test_reports*).
    "web:exposure": Entry("read"),
    "web:exposure_products": Entry("read"),
    "web:exposure_product": Entry("read", kwargs=lambda ctx: {"site_id": "P1", "item_id": "CAR"}),
    "web:exposure_countries": Entry("read"),
    "web:exposure_spof": Entry("read"),
    "web:exposure_critical": Entry("read"),
    "web:exposure_export": Entry("read"),
    "web:exposure_run": Entry("edit", method="post", allowed=303),
    "web:reports": Entry("read"),
    "web:report_generate": Entry("edit", method="post", allowed=303),
    "web:report": Entry("read", kwargs=_job, allowed=404),
    "web:report_file": Entry("read", kwargs=lambda ctx: {**_job(ctx), "fmt": "pdf"}, allowed=404),
    "api:exposure_summary": Entry("read", api=True, allowed=404),
    "api:exposure_products": Entry("read", api=True, allowed=404),
    # Counterparty screening
    "web:screening_lists": Entry("read"),
    "web:screening_list": Entry("read", kwargs=lambda ctx: {"name": _screening(ctx)["list"]}),
    "web:screening_version": Entry("read", kwargs=_screening_version),
    "web:screening_hits": Entry("read"),
    "web:screening_hit": Entry("read", kwargs=_hit),
    "web:screening_decide": Entry(
        "edit",
        method="post",
        kwargs=_hit,
        data=lambda: {"status": "dismissed", "reason": "different party"},
        allowed=303,
    ),
    "web:screening_decisions": Entry("read"),
    "web:screening_events": Entry("audit"),
    "web:screening_search": Entry(
        "read", kwargs=lambda ctx: _screening(ctx) and {}, data=lambda: {"q": "Huawei"}
    ),
    "web:screening_run": Entry("edit", method="post", allowed=303),
    "api:screening_lists": Entry("read", api=True),
    "api:screening_versions": Entry(
        "read", api=True, kwargs=lambda ctx: {"name": _screening(ctx)["list"]}
    ),
    "api:screening_version_changes": Entry(
        "read", api=True, kwargs=lambda ctx: {"version_id": _screening(ctx)["v2"]}
    ),
    "api:screening_hits": Entry("read", api=True),
    "api:screening_hit": Entry("read", api=True, kwargs=_hit),
    # A form body where JSON is expected: an allowed caller gets the validation answer.
    "api:screening_decide": Entry("edit", api=True, method="post", kwargs=_hit, allowed=400),
    "api:screening_decisions": Entry("read", api=True),
    "api:screening_events": Entry("audit", api=True),
    "api:screening_search": Entry("read", api=True, data=lambda: {"q": "Huawei"}),
    "api:screening_run": Entry("edit", api=True, method="post", allowed=400),
    "web:assessment_campaigns": Entry("read"),
    "web:assessment_new": Entry("edit"),
    "web:assessment_trend": Entry("read"),
    "web:assessment_compare": Entry("read"),
    "web:assessment": Entry("read", kwargs=_campaign),
    "web:assessment_answers": Entry("edit", method="post", kwargs=_campaign, allowed=400),
    "web:assessment_evidence_add": Entry("edit", method="post", kwargs=_campaign, allowed=400),
    "web:assessment_evidence": Entry("read", kwargs=lambda ctx: {"evidence_id": 0}, allowed=404),
    "web:assessment_scores": Entry("read", kwargs=_campaign),
    "web:assessment_gaps": Entry("read", kwargs=_campaign),
    "web:assessment_signoff": Entry(
        "edit", method="post", kwargs=_approved, data=lambda: {"action": "submit"}, allowed=409
    ),
    "web:assessment_export": Entry("read", kwargs=_campaign),
    "web:assessment_import": Entry("edit", method="post", kwargs=_campaign, allowed=400),
    "web:assessment_events": Entry("audit", kwargs=_campaign),
    "api:assessment_campaigns": Entry("read", api=True),
    "api:assessment_create": Entry("edit", api=True, method="post", allowed=400),
    "api:assessment_campaign": Entry("read", api=True, kwargs=_campaign),
    "api:assessment_answers": Entry("edit", api=True, method="post", kwargs=_campaign, allowed=400),
    "api:assessment_scores": Entry("read", api=True, kwargs=_campaign),
    "api:assessment_gaps": Entry("read", api=True, kwargs=_campaign),
    "web:stress": Entry("read"),
    "web:stress_new": Entry("edit"),
    "web:stress_scenario": Entry("read", kwargs=_stress_scenario),
    # No value chain in the matrix fixture: the run says so on the scenario page (400).
    "web:stress_scenario_run": Entry("edit", method="post", kwargs=_stress_scenario, allowed=400),
    "web:stress_result": Entry("read", kwargs=_stress_result),
    "web:stress_export": Entry("read", kwargs=_stress_export),
    "web:stress_sweep": Entry("edit"),
    "web:stress_targets": Entry("read"),
    "api:stress_scenarios": Entry("read", api=True),
    "api:stress_scenario_run": Entry(
        "edit", api=True, method="post", kwargs=_stress_scenario, allowed=400
    ),
    "api:stress_results": Entry("read", api=True),
    "api:stress_result": Entry("read", api=True, kwargs=_stress_result),
    "api:stress_sweeps": Entry("read", api=True),
    # The matrix posts a form, not JSON: an allowed caller gets 400, others 401/403.
    "api:stress_scenario_create": Entry("edit", api=True, method="post", allowed=400),
    "api:stress_sweep_start": Entry("edit", api=True, method="post", allowed=400),
    # Core technology: every role sees counts; names only with need-to-know, which no matrix
    # user holds (tests/technology/web/test_need_to_know.py covers granted users), so a
    # technology's page is 404 and the export, import, incident form and list API are 403.
    "web:technology": Entry("read"),
    "web:technology_exposure": Entry("read"),
    "web:technology_incidents": Entry("read"),
    "web:technology_dependence": Entry("read"),
    "web:technology_detail": Entry("read", kwargs=lambda ctx: {"tech_id": "T-1"}, allowed=404),
    # A technology's facts (holdings, access groups, partners): edit and need-to-know, checked
    # before the technology is looked up.
    "web:technology_fact_add": Entry(
        "edit",
        method="post",
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "holding"},
        allowed=403,
    ),
    "web:technology_fact_change": Entry(
        "edit",
        method="post",
        allowed=403,
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "access", "fact_id": 1},
    ),
    # The items we sell: market shares and customers (need-to-know like the register).
    "web:technology_item_fact_add": Entry(
        "edit", method="post", kwargs=lambda ctx: {"kind": "customer"}, allowed=403
    ),
    "web:technology_item_fact_change": Entry(
        "edit",
        method="post",
        kwargs=lambda ctx: {"kind": "market_share", "fact_id": 1},
        allowed=403,
    ),
    "web:technology_item_fact_remove": Entry(
        "edit",
        method="post",
        kwargs=lambda ctx: {"kind": "customer", "fact_id": 1},
        allowed=403,
    ),
    "web:technology_fact_remove": Entry(
        "edit",
        method="post",
        allowed=403,
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "partner", "fact_id": 1},
    ),
    "web:technology_export": Entry("read", allowed=403),
    "web:technology_import": Entry("edit", method="post", data=_bad_upload, allowed=403),
    "web:technology_incident_new": Entry("edit", method="post", allowed=403),
    "api:technology_summary": Entry("read", api=True),
    "api:technology_list": Entry("read", api=True, allowed=403),
    # Countries of concern name no technology: everyone reads; an empty form is refused (400).
    "web:technology_countries": Entry("read"),
    "web:technology_country_add": Entry("edit", method="post", allowed=400),
    "web:technology_country_remove": Entry(
        "edit", method="post", kwargs=lambda ctx: {"country": "ZZ"}, allowed=400
    ),
    # API writes need edit and need-to-know (403 for every matrix user); granting is admin's
    # (an unknown user is 404; an empty body 400 — here the role check answers first).
    "api:technology_create": Entry("edit", api=True, method="post", allowed=403),
    "api:technology_change": Entry(
        "edit", api=True, method="post", kwargs=lambda ctx: {"tech_id": "T-1"}, allowed=403
    ),
    "api:technology_grant": Entry(
        "admin", api=True, method="post", kwargs=lambda ctx: {"username": "viewer"}, allowed=400
    ),
    "api:technology_incidents": Entry("read", api=True, allowed=403),
    "api:technology_incident_create": Entry("edit", api=True, method="post", allowed=403),
    "api:technology_incident_change": Entry(
        "edit", api=True, method="post", kwargs=lambda ctx: {"code": "INC-1"}, allowed=403
    ),
    # Facts one at a time through the API: need-to-know first, as for the register.
    "api:technology_facts": Entry(
        "read", api=True, kwargs=lambda ctx: {"tech_id": "T-1"}, allowed=403
    ),
    "api:technology_fact_add": Entry(
        "edit",
        api=True,
        method="post",
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "holding"},
        allowed=403,
    ),
    "api:technology_fact_change": Entry(
        "edit",
        api=True,
        method="post",
        allowed=403,
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "access", "fact_id": 1},
    ),
    "api:technology_fact_remove": Entry(
        "edit",
        api=True,
        method="delete",
        allowed=403,
        kwargs=lambda ctx: {"tech_id": "T-1", "kind": "partner", "fact_id": 1},
    ),
    "api:technology_item_facts": Entry("read", api=True, allowed=403),
    "api:technology_item_fact_add": Entry(
        "edit", api=True, method="post", kwargs=lambda ctx: {"kind": "customer"}, allowed=403
    ),
    "api:technology_item_fact_change": Entry(
        "edit",
        api=True,
        method="post",
        allowed=403,
        kwargs=lambda ctx: {"kind": "market_share", "fact_id": 1},
    ),
    "api:technology_item_fact_remove": Entry(
        "edit",
        api=True,
        method="delete",
        allowed=403,
        kwargs=lambda ctx: {"kind": "customer", "fact_id": 1},
    ),
    # Linking a technology to a governance risk needs edit and need-to-know.
    "web:technology_risk_link": Entry(
        "edit", method="post", kwargs=lambda ctx: {"code": "R-1"}, allowed=403
    ),
    # An incident and its files are need-to-know: 404 to read, 403 to change.
    "web:technology_incident": Entry("read", kwargs=lambda ctx: {"code": "INC-1"}, allowed=404),
    "web:technology_incident_update": Entry(
        "edit", method="post", kwargs=lambda ctx: {"code": "INC-1"}, allowed=403
    ),
    "web:technology_incident_evidence": Entry(
        "edit", method="post", kwargs=lambda ctx: {"code": "INC-1"}, allowed=403
    ),
    "web:technology_incident_file": Entry(
        "read", kwargs=lambda ctx: {"code": "INC-1", "evidence_id": 1}, allowed=404
    ),
    # Evidence through the API: need-to-know first (403 for every matrix user, before the
    # incident is looked up or the body's type is read).
    "api:technology_incident_evidence_list": Entry(
        "read", api=True, kwargs=lambda ctx: {"code": "INC-1"}, allowed=403
    ),
    "api:technology_incident_evidence_add": Entry(
        "edit", api=True, method="post", kwargs=lambda ctx: {"code": "INC-1"}, allowed=403
    ),
    "api:technology_incident_evidence_file": Entry(
        "read", api=True, kwargs=lambda ctx: {"code": "INC-1", "evidence_id": 1}, allowed=403
    ),
    "web:monitoring_inbox": Entry("read"),
    "web:monitoring_event": Entry("read", kwargs=_monitoring_event),
    "web:monitoring_triage": Entry(
        "edit",
        method="post",
        kwargs=_monitoring_event,
        data=lambda: {"status": "confirmed"},
        allowed=303,
    ),
    "web:monitoring_request": Entry("edit", method="post", kwargs=_monitoring_event, allowed=303),
    "web:monitoring_request_answer": Entry(
        "edit", method="post", kwargs=_monitoring_request, allowed=303
    ),
    "web:monitoring_sources": Entry("read"),
    "web:monitoring_source_add": Entry("admin", method="post", allowed=400),
    "web:monitoring_source_toggle": Entry(
        "admin", method="post", kwargs=_monitoring_source, allowed=303
    ),
    "web:monitoring_source_fetch": Entry(
        "edit", method="post", kwargs=_monitoring_source, allowed=303
    ),
    "api:monitoring_events": Entry("read", api=True),
    "api:monitoring_event": Entry("read", api=True, kwargs=_monitoring_event),
    "api:monitoring_event_create": Entry("edit", api=True, method="post", allowed=400),
    "api:monitoring_event_acknowledge": Entry(
        "edit", api=True, method="post", kwargs=_monitoring_event, allowed=400
    ),
    "api:monitoring_sources": Entry("read", api=True),
    "api:monitoring_source": Entry("read", api=True, kwargs=_monitoring_source),
    "api:monitoring_source_create": Entry("admin", api=True, method="post", allowed=400),
    # Visuals: with no stored analysis the pages show their empty state and the endpoints 404
    # (drawn pages: tests/visuals/web/).
    "web:visuals_map": Entry("read"),
    "web:visuals_flows": Entry("read"),
    "web:visuals_networks": Entry("read"),
    "web:visuals_network": Entry("read", kwargs=lambda ctx: {"site_id": "P1", "item_id": "CAR"}),
    "api:visuals_map": Entry("read", api=True, allowed=404),
    "api:visuals_flows": Entry("read", api=True, allowed=404),
    "api:visuals_network": Entry(
        "read", api=True, kwargs=lambda ctx: {"site_id": "P1", "item_id": "CAR"}, allowed=404
    ),
    "web:survey": Entry("read"),
    "web:survey_new": Entry("edit"),
    "web:survey_campaign": Entry("read", kwargs=lambda ctx: _survey(ctx)),
    "web:survey_merge": Entry("edit", method="post", kwargs=lambda ctx: _survey(ctx), allowed=303),
    "web:survey_send": Entry("edit", method="post", kwargs=lambda ctx: _survey(ctx), allowed=303),
    "web:survey_workbook": Entry(
        "read", kwargs=lambda ctx: {**_survey(ctx), "org_id": "NOPE"}, allowed=404
    ),
    # The supplier page needs no account: an unknown link is a plain 404 for everyone.
    "web:survey_supplier": Entry("public", kwargs=lambda ctx: {"token": "unknown"}, allowed=404),
    "web:survey_supplier_workbook": Entry(
        "public", kwargs=lambda ctx: {"token": "unknown"}, allowed=404
    ),
    "api:survey_campaigns": Entry("read", api=True),
    "api:survey_campaign": Entry("read", api=True, kwargs=lambda ctx: _survey(ctx)),
    "api:survey_answer_upload": Entry(
        "edit",
        api=True,
        method="post",
        kwargs=lambda ctx: {**_survey(ctx), "org_id": "NOPE"},
        data=_bad_upload,
        allowed=404,
    ),
    # The supplier's upload takes only its link's token as bearer: sessions get 401, any role.
    "api:survey_supplier_upload": Entry(
        "public", api=True, method="post", data=_bad_upload, allowed=401
    ),
}


# Planning (measures catalogue, suggestions, simulation/optimisation jobs, stored runs). The
# catalogue is empty, so an optimisation is refused (400); a simulation is queued (303) and
# nothing named here exists (404); pages show their empty state.
MATRIX.update(
    {
        "web:planning": Entry("read"),
        "web:planning_measures": Entry("read"),
        "web:planning_measure_save": Entry("edit", method="post", allowed=400),
        "web:planning_measures_import": Entry("edit", method="post", data=_bad_upload, allowed=400),
        "web:planning_measures_export": Entry("read"),
        "web:planning_measure_delete": Entry(
            "edit", method="post", kwargs=lambda ctx: {"measure_id": "nope"}, allowed=404
        ),
        "web:planning_suggestions": Entry("read"),
        "web:planning_suggestions_refresh": Entry("edit", method="post", allowed=303),
        "web:planning_suggestion_decide": Entry(
            "edit", method="post", kwargs=lambda ctx: {"suggestion_id": 0}, allowed=404
        ),
        "web:planning_simulate": Entry("edit", method="post", allowed=303),
        "web:planning_optimise": Entry("edit", method="post", allowed=400),
        "web:planning_run": Entry("read", kwargs=lambda ctx: {"run_id": 0}, allowed=404),
        "web:planning_run_cite": Entry(
            "edit", method="post", kwargs=lambda ctx: {"run_id": 0}, allowed=404
        ),
        "api:planning_measures": Entry("read", api=True),
        "api:planning_measure_create": Entry("edit", api=True, method="post", allowed=400),
        "api:planning_measure": Entry(
            "read", api=True, kwargs=lambda ctx: {"measure_id": "nope"}, allowed=404
        ),
        "api:planning_measure_change": Entry(
            "edit", api=True, method="put", kwargs=lambda ctx: {"measure_id": "nope"}, allowed=404
        ),
        "api:planning_measure_delete": Entry(
            "edit",
            api=True,
            method="delete",
            kwargs=lambda ctx: {"measure_id": "nope"},
            allowed=404,
        ),
        "api:planning_simulate": Entry("edit", api=True, method="post", allowed=400),
        "api:planning_optimise": Entry("edit", api=True, method="post", allowed=400),
        "api:planning_runs": Entry("read", api=True),
        "api:planning_run": Entry("read", api=True, kwargs=lambda ctx: {"run_id": 0}, allowed=404),
    }
)


# Governance (risk register, indicators, actions, inbox, audit trail, disclosure drafts).
def _gov_risk(ctx: dict[str, Any]) -> dict[str, Any]:
    from econsec.governance import risks
    from econsec.governance.models import Risk

    if not Risk.objects.filter(code="R-M").exists():
        risks.create("R-M", actor="matrix", title_ja="行列", title_en="matrix", entered_impact=1e8)
    return {"code": "R-M"}


def _gov_action(ctx: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from econsec.governance import actions

    made = actions.create(
        actor="matrix", title_ja="対応", title_en="action", owner="analyst",
        due=datetime.date(2026, 1, 1),
    )  # fmt: skip
    return {"action_id": made.pk}


MATRIX.update(
    {
        "web:governance": Entry("read"),
        "web:governance_risks": Entry("read"),
        "web:governance_risk_new": Entry("edit"),
        "web:governance_risk": Entry("read", kwargs=_gov_risk),
        # Upload without a workbook: an allowed caller is told to choose one (400).
        "web:governance_risk_import": Entry("edit", method="post", allowed=400),
        "web:governance_risk_export": Entry("read"),
        # An empty form changes nothing: an allowed caller is told so (400).
        "web:governance_risk_change": Entry("edit", method="post", kwargs=_gov_risk, allowed=400),
        # Acceptance needs a reason: an administrator without one gets 400.
        "web:governance_risk_accept": Entry("admin", method="post", kwargs=_gov_risk, allowed=400),
        # Asking for an acceptance needs a reason too (400 without one).
        "web:governance_risk_request_acceptance": Entry(
            "edit", method="post", kwargs=_gov_risk, allowed=400
        ),
        "web:governance_kris": Entry("read"),
        "web:governance_kri_compute": Entry("edit", method="post", allowed=303),
        "web:governance_actions": Entry("read"),
        "web:governance_action_new": Entry("edit", method="post", allowed=400),
        "web:governance_action": Entry("read", kwargs=_gov_action),
        "web:governance_action_change": Entry(
            "edit", method="post", kwargs=_gov_action, allowed=400
        ),
        "web:governance_inbox": Entry("read"),
        "web:governance_audit": Entry("audit"),
        # Own notification settings; an e-mail without an address is refused (400).
        "web:governance_preferences": Entry(
            "read", method="post", data=lambda: {"by_email": "on"}, allowed=400
        ),
        "web:governance_webhooks": Entry("admin"),
        "web:governance_webhook_add": Entry("admin", method="post", allowed=400),
        "web:governance_webhook_remove": Entry(
            "admin", method="post", kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "web:governance_webhook_test": Entry(
            "admin", method="post", kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "web:governance_disclosure": Entry("read"),
        "web:governance_disclosure_save": Entry("edit", method="post", allowed=400),
        "web:governance_disclosure_request": Entry(
            "edit", method="post", kwargs=lambda ctx: {"record_id": 0}, allowed=404
        ),
        # An empty decision names no request: an allowed caller gets 404.
        "web:governance_request_decide": Entry("edit", method="post", allowed=404),
        "web:governance_disclosure_approve": Entry(
            "admin", method="post", kwargs=lambda ctx: {"record_id": 0}, allowed=404
        ),
        "api:governance_risks": Entry("read", api=True),
        "api:governance_risk": Entry("read", api=True, kwargs=_gov_risk),
        "api:governance_risk_create": Entry("edit", api=True, method="post", allowed=400),
        "api:governance_risk_change": Entry(
            "edit", api=True, method="post", kwargs=_gov_risk, allowed=400
        ),
        "api:governance_kris": Entry("read", api=True),
        "api:governance_actions": Entry("read", api=True),
        "api:governance_action_create": Entry("edit", api=True, method="post", allowed=400),
        "api:governance_action_change": Entry(
            "edit", api=True, method="post", kwargs=_gov_action, allowed=400
        ),
        "api:governance_audit_verify": Entry("audit", api=True),
        # Notifications: the caller's own inbox and preferences for every role; receivers and
        # the delivery log for administrators; requests read by all, decided by edit (and then
        # by an administrator or the configured approver, checked in the governance tests).
        "api:governance_notifications": Entry("read", api=True),
        "api:governance_notification_read": Entry(
            "read", api=True, method="post", kwargs=lambda ctx: {"notification_id": 0}, allowed=404
        ),
        "api:governance_preferences": Entry("read", api=True),
        # The test client sends the dict as the text "{}": the defaults, saved (200).
        "api:governance_preferences_change": Entry("read", api=True, method="put"),
        "api:governance_webhooks": Entry("admin", api=True),
        # A form body is not JSON: an allowed caller gets the located refusal (400).
        "api:governance_webhook_create": Entry("admin", api=True, method="post", allowed=400),
        "api:governance_webhook": Entry(
            "admin", api=True, kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "api:governance_webhook_change": Entry(
            "admin", api=True, method="put", kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "api:governance_webhook_delete": Entry(
            "admin", api=True, method="delete", kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "api:governance_webhook_test": Entry(
            "admin", api=True, method="post", kwargs=lambda ctx: {"hook_id": 0}, allowed=404
        ),
        "api:governance_deliveries": Entry("admin", api=True),
        "api:governance_requests": Entry("read", api=True),
        "api:governance_request_decide": Entry("edit", api=True, method="post", allowed=400),
    }
)


def _survey(ctx: dict[str, Any]) -> dict[str, Any]:
    # A campaign without suppliers (the matrix fixture stores no value chain).
    from django.utils import timezone

    from econsec.survey.models import Campaign

    made = Campaign.objects.create(name="m", year=2026, created_at=timezone.now())
    return {"campaign_id": made.pk}


def _walk(patterns: list[Any], ns: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield ns + (p.name or f"<unnamed {p.pattern}>")


def served_url_names() -> set[str]:
    return {name for name in _walk(get_resolver().url_patterns) if not name.startswith("static")}


def test_every_url_is_in_the_matrix() -> None:
    missing = served_url_names() - set(MATRIX)
    stale = set(MATRIX) - served_url_names()
    assert not missing, f"URLs without a role rule in the matrix: {sorted(missing)}"
    assert not stale, f"matrix entries for URLs that no longer exist: {sorted(stale)}"


def expected(entry: Entry, who: str) -> int:
    if entry.capability == PUBLIC:
        return entry.public_status.get(who, entry.allowed)
    if who == "anonymous":
        return 401 if entry.api else 302
    if who == "norole" or who not in CAPABILITIES[entry.capability]:
        return 403
    return entry.allowed


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(name: str, who: str, client_for: Any, chain: Any, users: Any) -> None:
    entry = MATRIX[name]
    owner = users.get(who) if who != "anonymous" else None
    job = Job.objects.create(kind="valuechain.import", created_by=owner)
    url = reverse(name, kwargs=entry.kwargs({"job_id": job.pk}))
    client = client_for(None if who == "anonymous" else who)
    data = entry.data() if entry.data else {}
    response = getattr(client, entry.method)(url, data)
    want = expected(entry, who)
    assert response.status_code == want, (name, who, response.status_code, response.content[:300])
    if want == 302 and entry.capability != PUBLIC:
        assert response["Location"].startswith(reverse("web:login"))


def test_every_api_operation_declares_a_capability() -> None:
    from econsec.web.api.root import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                assert hasattr(operation.view_func, "econsec_capability"), operation.view_func


def test_every_page_view_declares_a_capability() -> None:
    checked = 0
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "web":
            for view in p.url_patterns:
                assert hasattr(view.callback, "econsec_capability"), view.name
                checked += 1
    assert checked > 20  # the page views were found at all
