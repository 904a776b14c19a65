"""Stress-test pages: scenario form and YAML, results, sweeps as jobs, exports, card, API.

Numbers on the pages are checked against the stress engine run independently on the demo
company compiled straight from the generator (not through the store or the web code).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from econsec.stress.api import load_scenario, run_scenario, sweep
from econsec.stress.models import Result, Scenario
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company
from econsec.web import jobs
from econsec.web.models import Job

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "scenarios"
TAIWAN = EXAMPLES / "taiwan-strait-closed-8w.yaml"


# ---- objects for the URL matrix (imported by test_url_matrix) -----------------------------
def _payload(**extra: Any) -> dict[str, Any]:
    return {
        "data_version": "v" * 64,
        "solver_version": "HiGHS 1.0",
        "econsec_version": "0.1.0",
        "created_at": "2026-01-23T00:00:00+00:00",
        "currency": "JPY",
        **extra,
    }


def scenario_payload(name: str = "Item <b>X</b>") -> dict[str, Any]:
    return _payload(
        scenario_hash="a" * 64,
        scenario_name="Example",
        start_week=0.0,
        ttr_weeks=8.0,
        tts_weeks=2.5,
        material=True,
        lost_units=10.0,
        lost_revenue=1000.0,
        lost_margin=100.0,
        products=[
            {
                "item": "CAR",
                "name": name,
                "tts_weeks": 2.5,
                "demand_units": 80.0,
                "lost_units": 10.0,
                "lost_revenue": 1000.0,
                "lost_margin": 100.0,
            },
            {
                "item": "ENG",
                "name": "Engine",
                "tts_weeks": None,
                "demand_units": 8.0,
                "lost_units": 0.0,
                "lost_revenue": 0.0,
                "lost_margin": 0.0,
            },
            {  # nothing of its demand is met even in normal times: TTS does not apply
                "item": "GBX",
                "name": "Gearbox",
                "tts_weeks": None,
                "tts_applies": False,
                "demand_units": 5.0,
                "lost_units": 5.0,
                "lost_revenue": 50.0,
                "lost_margin": 5.0,
            },
        ],
        markets=[
            {
                "market": "=cmd|' /C calc'!A0",
                "lost_units": 10.0,
                "lost_revenue": 1000.0,
                "lost_margin": 100.0,
            }
        ],
        binding=[
            {
                "kind": "slot",
                "site": "P1",
                "item": "ENG",
                "item_name": "Engine",
                "alternatives": [{"site": "S2", "qualification_weeks": 30.0}],
            }
        ],
        explanations=[{"key": "stress.explain.no_alternative", "params": {}}],
        notes=[],
    )


def make_scenario(ctx: dict[str, Any]) -> dict[str, Any]:
    record = Scenario.objects.create(
        content_hash="a" * 64,
        name="Example",
        yaml="name: Example\nduration_weeks: 8\nevents:\n  - kind: disruption\n    sites: [P1]\n",
    )
    return {"scenario_id": record.pk}


def make_result(ctx: dict[str, Any]) -> dict[str, Any]:
    record = Result.objects.create(
        kind="scenario",
        scenario_hash="a" * 64,
        data_version="v" * 64,
        solver_version="HiGHS 1.0",
        econsec_version="0.1.0",
        created_at="2026-01-23T00:00:00+00:00",
        payload=scenario_payload(),
    )
    return {"result_id": record.pk}


def make_export(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**make_result(ctx), "fmt": "csv"}


# ---- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_chain() -> Any:
    return compile_tables(demo_company())


@pytest.fixture
def stored_demo(db: Any, settings: Any, tmp_path: Path) -> str:
    """The demo company imported into the store; returns its data version."""
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import current_version

    settings.DATA_DIR = tmp_path  # compiled-chain cache
    import_tables(demo_company(), "demo")
    return current_version()


def _result_id(response: Any) -> int:
    assert response.status_code == 302, response.content[:500]
    match = re.search(r"/stress/results/(\d+)/", response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


# ---- scenarios from the form and from YAML ------------------------------------------------
def test_example_yaml_runs_and_matches_the_engine(
    stored_demo: str, client_for: Any, demo_chain: Any
) -> None:
    client = client_for("analyst")
    page = client.get(reverse("web:stress_new") + "?example=taiwan-strait-closed-8w")
    assert page.status_code == 200
    text = TAIWAN.read_text(encoding="utf-8")
    assert "taiwan_strait" in page.content.decode()
    response = client.post(reverse("web:stress_new"), {"mode": "yaml", "yaml_text": text})
    record = Result.objects.get(pk=_result_id(response))
    expected = run_scenario(demo_chain, load_scenario(str(TAIWAN)))
    assert record.data_version == stored_demo == demo_chain.version
    assert record.payload["lost_margin"] == pytest.approx(expected["lost_margin"], rel=1e-9)
    assert record.payload["lost_margin"] == pytest.approx(1_763_110_800, rel=1e-6)
    assert record.scenario_hash == expected["scenario_hash"]

    html = client_for("viewer").get(reverse("web:stress_result", args=[record.pk])).content
    html = html.decode()
    # One bar per product, red exactly where TTS < TTR (8 weeks), and the TTR marker.
    bars = re.findall(r'<rect class="bar (material|ok)', html)
    assert len(bars) == len(expected["products"])
    want = [
        "material" if p["tts_weeks"] is not None and p["tts_weeks"] < 8 else "ok"
        for p in expected["products"]
    ]
    assert bars == want
    assert 'class="marker"' in html
    assert "台湾海峡が8週間封鎖" in html  # the scenario's own Japanese name
    assert "1,763,110,800円" in html  # lost margin, ja money format
    assert expected["data_version"] in html and expected["scenario_hash"] in html
    assert "TOHO-HMM" in html  # the binding site and the explanation
    index = client_for("viewer").get(reverse("web:stress")).content.decode()
    assert "台湾海峡が8週間封鎖" in index
    english = client_for("viewer").get(reverse("web:stress"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Taiwan Strait closed for 8 weeks" in english.content.decode()


def test_form_builds_an_export_restriction_and_runs_it(
    stored_demo: str, client_for: Any, demo_chain: Any
) -> None:
    client = client_for("analyst")
    response = client.post(
        reverse("web:stress_new"),
        {
            "kind": "export_restriction",
            "targets": "cn",
            "mineral_tags": "rare_earths",
            "start_week": "0",
            "duration_weeks": "26",
        },
    )
    record = Result.objects.get(pk=_result_id(response))
    # Same meaning as the shipped YAML example: same hash, same answer.
    example = load_scenario(str(EXAMPLES / "cn-rare-earth-export-restriction-26w.yaml"))
    expected = run_scenario(demo_chain, example)
    assert record.payload["lost_margin"] == pytest.approx(8_409_395_966, rel=1e-6)
    assert record.payload["tts_weeks"] == pytest.approx(expected["tts_weeks"])
    hit = {p["item"] for p in record.payload["products"] if p["lost_units"] > 0}
    assert hit == {"P-EAX150", "P-EAX80", "P-SRV04", "P-SRV20"}
    assert record.scenario is not None and "CN" in record.scenario.yaml

    # A partial capacity loss keeps a share of output: never more lost than the full outage,
    # and losing 100 % is the outage itself (the same canonical scenario, the same hash).
    site = "TJSC-HC"
    url = reverse("web:stress_new")
    full, half, all_of_it = (
        Result.objects.get(
            pk=_result_id(
                client.post(
                    url, {"targets": site, "name": "TJSC down", "duration_weeks": "8", **form}
                )
            )
        )
        for form in (
            {"kind": "site_disruption"},
            {"kind": "partial_capacity_loss", "capacity_loss_pct": "50"},
            {"kind": "partial_capacity_loss", "capacity_loss_pct": "100"},
        )
    )
    assert full.payload["lost_margin"] > 0
    assert 0 <= half.payload["lost_margin"] <= full.payload["lost_margin"]
    assert all_of_it.scenario_hash == full.scenario_hash
    assert all_of_it.payload["lost_margin"] == pytest.approx(full.payload["lost_margin"])


def test_form_errors_are_shown_at_their_fields(stored_demo: str, client_for: Any) -> None:
    client = client_for("analyst")
    url = reverse("web:stress_new")
    response = client.post(url, {"kind": "site_disruption", "targets": "", "duration_weeks": "-1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="e-targets"' in body and "対象を1つ以上" in body
    assert "0より大きい週数" in body
    response = client.post(
        url, {"kind": "site_disruption", "targets": "NOWHERE-1", "duration_weeks": "4"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="e-targets"' in body and "NOWHERE-1" in body
    assert not Result.objects.exists() and not Scenario.objects.exists()
    # The language follows the user: English on request.
    response = client.post(
        url,
        {"kind": "sanction", "targets": "X", "duration_weeks": "abc"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "&#x27;abc&#x27; is not a number" in response.content.decode()


def test_bad_yaml_is_located_and_the_line_marked(db: Any, client_for: Any) -> None:
    client = client_for("analyst")
    text = "name: x\nduration_weeks: 4\nevents:\n  - kind: earthquake\n    sites: [A]\n"
    response = client.post(reverse("web:stress_new"), {"mode": "yaml", "yaml_text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "4 行目" in body and "events[0].kind" in body
    assert re.search(r'<li value="4" class="bad"[^>]*><code>  - kind: earthquake</code>', body)
    # Not YAML at all, uploaded as a file.
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.yaml", b"name: [unclosed\n", content_type="text/yaml")
    response = client.post(reverse("web:stress_new"), {"mode": "yaml", "yaml_file": bad})
    assert response.status_code == 400
    assert "bad.yaml" in response.content.decode()
    assert not Scenario.objects.exists()


def test_no_value_chain_is_said_plainly(db: Any, client_for: Any) -> None:
    response = client_for("analyst").post(
        reverse("web:stress_new"),
        {"kind": "site_disruption", "targets": "P1", "duration_weeks": "4"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "No value chain has been imported yet" in response.content.decode()


# ---- results: escaping and exports --------------------------------------------------------
def test_result_page_escapes_user_text_and_exports_are_inert(db: Any, client_for: Any) -> None:
    result_id = make_result({})["result_id"]
    client = client_for("viewer")
    html = client.get(reverse("web:stress_result", args=[result_id])).content.decode()
    assert "Item <b>X</b>" not in html and "Item &lt;b&gt;X&lt;/b&gt;" in html
    assert "無制限" in html  # the unlimited TTS of ENG
    gearbox_row = html[html.index(">GBX<") :].split("</tr>")[0]
    assert "無制限" not in gearbox_row and "—" in gearbox_row  # TTS does not apply to GBX

    csv_response = client.get(reverse("web:stress_export", args=[result_id, "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["CAR", "Item <b>X</b>", "2.5"] and rows[2][2] == "∞"
    assert rows[3][:3] == ["GBX", "Gearbox", "—"]

    from openpyxl import load_workbook

    xlsx = client.get(reverse("web:stress_export", args=[result_id, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    markets = book.worksheets[1]
    cell = markets.cell(row=2, column=1)
    assert cell.value == "'=cmd|' /C calc'!A0" and cell.data_type == "s"
    assert markets.cell(row=2, column=2).value == 10.0  # numbers stay numbers
    provenance = {r[0]: r[1] for r in book["provenance"].iter_rows(values_only=True)}
    assert provenance["scenario_hash"] == "a" * 64

    data = json.loads(client.get(reverse("web:stress_export", args=[result_id, "json"])).content)
    assert data == scenario_payload()
    assert client.get(reverse("web:stress_export", args=[result_id, "pdf"])).status_code == 404


# ---- sweeps as background jobs ------------------------------------------------------------
def test_sweep_job_reports_progress_ranks_and_explains(
    stored_demo: str, client_for: Any, demo_chain: Any, monkeypatch: Any
) -> None:
    from econsec.stress.web import run as stress_run

    client = client_for("analyst")
    response = client.post(reverse("web:stress_sweep"), {"by": "country"})
    assert response.status_code == 302
    job = Job.objects.get(kind="stress.sweep")
    assert response["Location"] == reverse("web:job", args=[job.pk])

    # The handler itself, with every progress report recorded (no throttling).
    monkeypatch.setattr(stress_run, "PROGRESS_EVERY_SECONDS", 0.0)
    seen: list[tuple[float, str, dict[str, Any]]] = []
    outcome = stress_run.sweep_job(job, lambda f, key="", **p: seen.append((f, key, p)))
    expected = sweep(demo_chain, "country")
    solved = [p["done"] for _, key, p in seen if key == "stress.web.job.progress"]
    assert solved == list(range(expected["entities"] + 1))  # one report per scenario
    assert [f for f, _, _ in seen] == sorted(f for f, _, _ in seen)

    record = Result.objects.get(pk=outcome["result_id"])
    assert [r["id"] for r in record.payload["rows"]] == [r["id"] for r in expected["rows"]]
    top = record.payload["rows"][0]
    assert top["id"] == "TW" and top["rei"] == 1.0
    assert top["detail"]["products"] and top["detail"]["binding"]
    # The detail is the same programme: its lost margin equals the sweep row's.
    detail_margin = sum(p["lost_margin"] for p in top["detail"]["products"])
    assert detail_margin == pytest.approx(top["lost_margin"], rel=1e-6)

    html = client_for("viewer").get(outcome["url"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Taiwan" in html and "products affected" in html and "Binding:" in html
    assert html.index(">TW<") < html.index(f">{expected['rows'][1]['id']}<")


def test_sweep_through_the_queue_and_its_job_page(
    stored_demo: str, client_for: Any, users: Any
) -> None:
    from django.test import Client

    job = jobs.enqueue("stress.sweep", user=users["analyst"], params={"by": "site"})
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 1.0
    assert job.result_url.startswith("/stress/results/")
    client: Client = client_for("analyst")
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert "ストレステスト掃引" in page and job.result_url in page
    # The dashboard card names the worst site of the latest site sweep.
    dash = client.get(reverse("web:dashboard")).content.decode()
    assert "リスク暴露指数が最も高い拠点" in dash and "TJSC-HC" in dash


def test_sweep_fails_with_a_reason_when_there_is_no_chain(db: Any, users: Any) -> None:
    job = jobs.enqueue("stress.sweep", user=users["analyst"], params={"by": "site"})
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Import a workbook first" in job.error["en"] and "取り込んで" in job.error["ja"]


def test_sweep_form_refuses_bad_input(db: Any, client_for: Any) -> None:
    client = client_for("analyst")
    assert client.post(reverse("web:stress_sweep"), {"by": "planet"}).status_code == 400
    bad = client.post(reverse("web:stress_sweep"), {"by": "site", "default_ttr_weeks": "-3"})
    assert bad.status_code == 400 and not Job.objects.exists()


# ---- pickers and API ----------------------------------------------------------------------
def test_target_search(stored_demo: str, client_for: Any) -> None:
    client = client_for("viewer")
    data = client.get(reverse("web:stress_targets"), {"kind": "site", "q": "tjsc"}).json()
    assert "TJSC-HC" in [m["id"] for m in data["matches"]]
    data = client.get(reverse("web:stress_targets"), {"kind": "chokepoint", "q": ""}).json()
    assert "taiwan_strait" in [m["id"] for m in data["matches"]]
    data = client.get(reverse("web:stress_targets"), {"kind": "mineral_tags", "q": "rare"}).json()
    assert [m["id"] for m in data["matches"]] == ["rare_earths"]
    assert client.get(reverse("web:stress_targets"), {"kind": "x"}).status_code == 400


def test_api_create_run_and_sweep(stored_demo: str, client_for: Any, demo_chain: Any) -> None:
    analyst, viewer = client_for("analyst"), client_for("viewer")
    url = reverse("api:stress_scenarios")
    body = {"yaml": TAIWAN.read_text(encoding="utf-8"), "run": True}
    assert viewer.post(url, body, content_type="application/json").status_code == 403
    created = analyst.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    payload = created.json()["result"]["payload"]
    assert payload["lost_margin"] == pytest.approx(1_763_110_800, rel=1e-6)
    scenario_id = created.json()["scenario"]["id"]
    rerun = analyst.post(reverse("api:stress_scenario_run", kwargs={"scenario_id": scenario_id}))
    assert rerun.status_code == 201 and rerun.json()["scenario_hash"] == payload["scenario_hash"]
    listed = viewer.get(reverse("api:stress_results")).json()
    assert len(listed) == 2 and {r["kind"] for r in listed} == {"scenario"}

    bad = analyst.post(
        url,
        {"yaml": "name: x\nduration_weeks: 0\nevents: []\n"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "line 2" in bad.json()["detail"]

    sweeps = reverse("api:stress_sweeps")
    assert viewer.post(sweeps, {"by": "org"}, content_type="application/json").status_code == 403
    started = analyst.post(sweeps, {"by": "org"}, content_type="application/json")
    assert started.status_code == 202 and started.json()["kind"] == "stress.sweep"


def test_sweep_job_on_a_process_pool_ranks_the_same(
    stored_demo: str, users: Any, demo_chain: Any, monkeypatch: Any
) -> None:
    from econsec.stress.web import run as stress_run

    monkeypatch.setenv("ECONSEC_SWEEP_WORKERS", "2")
    job = jobs.enqueue("stress.sweep", user=users["analyst"], params={"by": "country"})
    seen: list[float] = []
    outcome = stress_run.sweep_job(job, lambda f, key="", **p: seen.append(f))
    record = Result.objects.get(pk=outcome["result_id"])
    expected = sweep(demo_chain, "country")
    keys = ("id", "rei", "tts_weeks")
    assert [[r[k] for k in keys] for r in record.payload["rows"]] == [
        [r[k] for k in keys] for r in expected["rows"]
    ]
    assert seen[0] == 0.0 and seen == sorted(seen)
