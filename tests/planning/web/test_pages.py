"""Planning pages and API on the demo company: the measure form's located errors, accepting a
suggestion, the simulation and optimisation jobs storing what the engine computes, the run page
drawing its charts without script, the REST catalogue, and the board section."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest

from econsec.planning import store
from econsec.planning.models import Measure, Run, Suggestion

STOCK = {"id": "magnet-stock", "kind": "safety_stock", "site": "TOHO-HMM",
         "item": "C-MAG-NDFEB-DY", "weeks_of_cover": "8", "annual_cost": "1000000"}  # fmt: skip
SOURCE = {"id": "magnet-second-source", "kind": "prequalify", "supplier_site": "HOKU-ECZ",
          "site": "TOHO-HMM", "item": "C-MAG-NDFEB-DY", "one_off_cost": 30_000_000.0}  # fmt: skip


@pytest.fixture
def demo(db: Any) -> Any:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    return store.load_chain()


def _risks_text() -> str:
    name = next(n for n in store.example_risks()["files"] if "rare-earth" in n)
    return (f"max_weeks: 60\nscenarios:\n  - file: {name}\n    frequency_per_year: 0.5\n"
            "    duration: {kind: triangular, low: 4, mode: 12, high: 40}\n")  # fmt: skip


def _run_job(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    from econsec.planning.web import jobs

    job = SimpleNamespace(params=json.loads(json.dumps(params)), created_by=None)
    return getattr(jobs, f"{kind}_job")(job, lambda *a, **k: None)


def test_measure_form_locates_errors_and_stores_nothing(demo: Any, client_for: Any) -> None:
    client = client_for("analyst")
    bad = {**STOCK, "site": "NOWHERE"}
    response = client.post("/planning/measures/save/", bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "site" in text and "NOWHERE" in text and not Measure.objects.exists()
    negative = {**STOCK, "annual_cost": "-5"}
    response = client.post("/planning/measures/save/", negative)
    assert response.status_code == 400 and "annual_cost" in response.content.decode()
    word = {**STOCK, "weeks_of_cover": "eight"}
    assert client.post("/planning/measures/save/", word).status_code == 400
    assert not Measure.objects.exists()
    assert client.post("/planning/measures/save/", STOCK).status_code == 303
    row = Measure.objects.get()
    assert row.spec() == {**STOCK, "weeks_of_cover": 8.0, "annual_cost": 1e6}
    assert row.origin == "form"
    page = client.get("/planning/measures/?edit=magnet-stock").content.decode()
    assert 'value="magnet-stock"' in page and "<script>" not in page


def test_accepting_a_suggestion_adds_the_measure_once(demo: Any, client_for: Any) -> None:
    client = client_for("analyst")
    made = Suggestion.objects.create(measure_id=SOURCE["id"], scenario="rare earths",
                                     spec=SOURCE, tts_before=2.5, tts_after=None,
                                     data_version=demo.version)  # fmt: skip
    other = Suggestion.objects.create(measure_id="x", scenario="rare earths", spec=STOCK,
                                      tts_before=2.5, tts_after=4.0, data_version=demo.version)  # fmt: skip
    url = f"/planning/suggestions/{made.pk}/"
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert client.post(url, {"decision": "accept"}).status_code == 303
    assert client.post(url, {"decision": "reject"}).status_code == 409
    assert Measure.objects.get().spec() == SOURCE
    assert Measure.objects.get().origin == "suggestion"
    assert (
        client.post(f"/planning/suggestions/{other.pk}/", {"decision": "reject"}).status_code == 303
    )
    assert Measure.objects.count() == 1
    page = client.get("/planning/suggestions/").content.decode()
    assert "∞" in page


def test_simulation_job_stores_the_engine_figures(demo: Any, client_for: Any) -> None:
    from econsec.planning.montecarlo import loss_distribution, summary
    from econsec.planning.web.views import run_params

    params = run_params({"risks": _risks_text(), "years": "400", "seed": "11"}, "simulate")
    out = _run_job("simulate", params)
    run = Run.objects.get(pk=out["run_id"])
    risks = store.unpack_risks(params["risks"], demo)
    dist, _ = loss_distribution(demo, risks.risks, years=400, seed=11, max_weeks=60)
    assert run.eal == pytest.approx(summary(dist, risks.risks)["eal"], rel=1e-12) and run.eal > 0
    assert run.data_version == demo.version and run.inputs["risks"]["files"]
    page = client_for("viewer").get(out["url"]).content.decode()
    assert 'data-testid="exceedance-chart"' in page and demo.version in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None


def test_optimisation_job_page_and_report_section(demo: Any, client_for: Any) -> None:
    from econsec.planning.report import build
    from econsec.planning.web.views import run_params

    store.save_measures([store.parse_measure(SOURCE, "t")], origin="form", actor="t")
    params = run_params(
        {"risks": _risks_text(), "years": "20", "seed": "2", "frontier": "3",
         "distribution_years": "200", "horizon_years": "10"}, "optimise",
    )  # fmt: skip
    out = _run_job("optimise", params)
    run = Run.objects.get(pk=out["run_id"])
    p = run.results["portfolio"]
    assert run.eal == pytest.approx(p["eal_before"]) and run.eal_after == pytest.approx(
        p["eal_after"]
    )
    page = client_for("viewer").get(out["url"]).content.decode()
    assert 'data-testid="frontier-chart"' in page and 'data-testid="portfolio-table"' in page
    assert p["chosen"] == [SOURCE["id"]]
    if p["chosen"]:
        case = run.results["case"]
        assert case["one_off_cost"] == pytest.approx(SOURCE["one_off_cost"])
        assert 'data-testid="tornado"' in page
        # NPV from its own definition: avoided loss less running cost, discounted, less one-off
        r = case["discount_rate_pct"] / 100
        flow = case["eal_before"] - case["eal_after"] - case["annual_cost"]
        npv = -case["one_off_cost"] + sum(flow / (1 + r) ** y for y in range(1, 11))
        assert case["npv"] == pytest.approx(npv, rel=1e-9)
    section = build(demo.version)
    assert section is not None and section.title["ja"] == "経済安全保障対策への投資"
    assert {c.kind for c in section.charts} == {"line"}
    assert any(f"#{run.pk}" in para["en"] and demo.version[:12] in para["en"]
               for para in section.paragraphs)  # fmt: skip


def test_optimisation_with_a_cvar_limit_keeps_it(demo: Any, client_for: Any) -> None:
    """A limit between the CVaR with every candidate and the free optimum's: the stored
    portfolio keeps it; one below what every candidate reaches fails the job, located."""
    from econsec.i18n import t
    from econsec.jobs import JobFailed
    from econsec.planning.web.views import run_params

    stock = {**STOCK, "weeks_of_cover": 8.0, "annual_cost": 1000.0}
    store.save_measures([store.parse_measure(m, "t") for m in (SOURCE, stock)], origin="form",
                        actor="t")  # fmt: skip
    form = {"risks": _risks_text(), "years": "20", "seed": "2", "frontier": "0",
            "distribution_years": "0"}  # fmt: skip
    free = Run.objects.get(pk=_run_job("optimise", run_params(form, "optimise"))["run_id"])
    p = free.results["portfolio"]
    assert p["cvar_limit"] is None and p["cvar_after"] <= p["cvar_before"]
    limit = p["cvar_after"] * 1.0001
    out = _run_job("optimise", run_params({**form, "cvar_limit": f"{limit:.0f}"}, "optimise"))
    run = Run.objects.get(pk=out["run_id"])
    q = run.results["portfolio"]
    assert q["cvar_limit"] == pytest.approx(round(limit)) and q["cvar_after"] <= q["cvar_limit"]
    assert run.inputs["cvar_limit"] == q["cvar_limit"]
    page = client_for("viewer").get(out["url"]).content.decode()
    assert 'data-testid="portfolio-cvar"' in page and "CVaR95%" in page
    with pytest.raises(JobFailed) as err:
        _run_job("optimise", run_params({**form, "cvar_limit": "1"}, "optimise"))
    assert err.value.key == "planning.cvar.unreachable"
    assert "cvar_limit" in t(err.value.key, "ja", **err.value.params)
    response = client_for("analyst").post(
        "/api/planning/optimisations",
        json.dumps({"cvar_limit": limit, "cvar_level": 0.99}),
        content_type="application/json",
    )
    assert response.status_code == 202


def test_api_catalogue_crud_and_jobs(demo: Any, client_for: Any) -> None:
    client = client_for("analyst")
    body = {**SOURCE}
    created = client.post("/api/planning/measures", json.dumps(body),
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["supplier_site"] == "HOKU-ECZ"
    bad = client.post("/api/planning/measures", json.dumps({**body, "site": "NOWHERE"}),
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja")  # fmt: skip
    assert bad.status_code == 400 and "NOWHERE" in bad.content.decode()
    changed = client.put(f"/api/planning/measures/{SOURCE['id']}",
                         json.dumps({**body, "one_off_cost": 1.0}), content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["one_off_cost"] == 1.0
    assert client.get("/api/planning/measures").json()[0]["id"] == SOURCE["id"]
    job = client.post("/api/planning/simulations", json.dumps({"years": 10, "risks": _risks_text()}),
                      content_type="application/json")  # fmt: skip
    assert job.status_code == 202
    freq = _risks_text().replace("0.5", "400")
    refused = client.post("/api/planning/simulations", json.dumps({"risks": freq}),
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "frequency_per_year" in refused.content.decode()
    assert client.delete(f"/api/planning/measures/{SOURCE['id']}").status_code == 204
    assert not Measure.objects.exists()
    assert client_for("viewer").post("/api/planning/measures", json.dumps(body),
                                     content_type="application/json").status_code == 403  # fmt: skip


def test_a_run_is_cited_as_principle_2_evidence(demo: Any, client_for: Any) -> None:
    import datetime

    from econsec.guideline.campaigns import create_campaign
    from econsec.guideline.models import Evidence
    from econsec.planning.web.views import run_params

    campaign = create_campaign("esmg-1.0-draft", "fy2026", datetime.date(2026, 4, 1), ["x"])
    out = _run_job("simulate", run_params({"risks": _risks_text(), "years": "50"}, "simulate"))
    client = client_for("analyst")
    url = f"/planning/runs/{out['run_id']}/cite/"
    refused = client.post(url, {"campaign": campaign.pk, "item": "IND-C"})
    assert refused.status_code == 400 and "IND-C" in refused.content.decode()
    assert client.post(url, {"campaign": campaign.pk, "item": "GOV-B"}).status_code == 303
    cited = Evidence.objects.get(campaign=campaign)
    run = Run.objects.get(pk=out["run_id"])
    assert (cited.item_id, cited.kind, cited.ref_kind) == ("GOV-B", "analysis", "stress.montecarlo")
    assert (cited.ref_id, cited.data_version) == (f"planning.run:{run.pk}", run.data_version)


def test_suggestion_job_stores_open_suggestions_once(demo: Any, client_for: Any) -> None:
    from econsec.planning.suggest import suggest
    from econsec.planning.web.views import run_params
    from econsec.stress.api import Engine

    params = run_params({"risks": _risks_text()}, "simulate")
    out = _run_job("suggest", {"risks": params["risks"], "sites": 0})
    risks = store.unpack_risks(params["risks"], demo)
    direct = suggest(demo, [r.scenario for r in risks.risks], engine=Engine(demo))
    rows = Suggestion.objects.filter(status="open")
    assert out["suggestions"] == rows.count() == len({(s["scenario"], s["measure"]["id"])
                                                      for s in direct}) > 0  # fmt: skip
    assert any(r.spec.get("item") == "C-MAG-NDFEB-DY" for r in rows)
    assert _run_job("suggest", {"risks": params["risks"], "sites": 0})["suggestions"] == 0
    page = client_for("viewer").get("/planning/suggestions/").content.decode()
    assert "C-MAG" in page or "magnet" in page


def test_the_api_is_in_the_openapi_schema(db: Any, client_for: Any) -> None:
    schema = client_for("viewer").get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in ("/api/planning/measures", "/api/planning/measures/{measure_id}",
                 "/api/planning/simulations", "/api/planning/optimisations",
                 "/api/planning/runs", "/api/planning/runs/{run_id}"):  # fmt: skip
        assert path in paths, path
    assert {"get", "put", "delete"} <= set(schema["paths"]["/api/planning/measures/{measure_id}"])
