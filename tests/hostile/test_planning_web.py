"""Hostile input at planning's web and API entry points: the measures upload and the risk
document typed into the run forms. Each is refused with a located message in the caller's
language, fast, and nothing is stored or queued."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from econsec.planning import store
from econsec.planning.models import Measure, Run
from econsec.web.models import Job
from tests.hostile import files
from tests.hostile.budget import measured

ALIASES = "a: &x [1, 2]\nb: [" + ", ".join(["*x"] * 2000) + "]\n"
RISKS: dict[str, tuple[str, list[str]]] = {
    "frequency above 365 a year": (
        "scenarios:\n  - file: {name}\n    frequency_per_year: 400\n", ["400", "365"]),
    "probability of one": ("scenarios:\n  - file: {name}\n    probability_per_year: 1.5\n",
                           ["1.5"]),
    "unknown site override": (
        "sweep:\n  by: site\n  overrides:\n    - {{id: NOWHERE, frequency_per_year: 1}}\n",
        ["NOWHERE"]),
    "scenario file not stored": ("scenarios:\n  - file: ../../../../../../etc/passwd\n",
                                 ["passwd", "s0-"]),
    "alias bomb": (ALIASES, ["risks"]),
    "not a mapping": ("- 1\n- 2\n", ["risks"]),
    "negative duration": (
        "scenarios:\n  - file: {name}\n    duration: {{kind: fixed, weeks: -3}}\n", ["-3"]),
}  # fmt: skip


@pytest.fixture
def demo(db: Any) -> Any:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables

    import_tables(demo_company(), "demo")
    store.save_measures(
        [store.parse_measure({"id": "m", "kind": "prequalify", "supplier_site": "HOKU-ECZ",
                              "site": "TOHO-HMM", "item": "C-MAG-NDFEB-DY"}, "t")],
        origin="form", actor="t",
    )  # fmt: skip
    return store.load_chain()


@pytest.mark.parametrize("case", sorted(RISKS))
@pytest.mark.parametrize("path", ["/planning/simulate/", "/planning/optimise/"])
def test_hostile_risk_document_in_the_form(
    case: str, path: str, demo: Any, client_for: Any
) -> None:
    text, must_name = RISKS[case]
    name = next(n for n in store.example_risks()["files"] if "rare-earth" in n)
    client = client_for("analyst")
    for lang in ("ja", "en"):
        with measured() as spent:
            response = client.post(path, {"risks": text.format(name=name)},
                                   HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
        spent.check()
        assert response.status_code == 400, response.content[:300]
        body = response.content.decode()
        assert all(part in body for part in must_name), (lang, body)
    assert not Job.objects.filter(kind__startswith="planning.").exists()
    assert not Run.objects.exists()


def test_hostile_risk_document_in_the_api(demo: Any, client_for: Any) -> None:
    body = json.dumps({"risks": ALIASES})
    response = client_for("analyst").post("/api/planning/optimisations", body,
                                          content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    too_big = json.dumps({"risks": "x: " + "y" * (300 * 1024)})
    response = client_for("analyst").post("/api/planning/simulations", too_big,
                                          content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "risks" in response.content.decode()
    assert not Job.objects.filter(kind__startswith="planning.").exists()


UPLOADS = {
    "far-away single cell": (lambda base, out: files.far_cell(base, out), "XFD1048576"),
    "zip bomb": (files.zip_bomb, "case.xlsx"),
    "formula": (lambda base, out: files.set_cell(base, out, "C3", formula=files.FORMULA),
                "HYPERLINK"),
    "unknown item": (lambda base, out: files.set_cell(base, out, "D3", text="NO-ITEM"),
                     "NO-ITEM"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(UPLOADS))
def test_hostile_measures_upload(case: str, demo: Any, client_for: Any, tmp_path: Path) -> None:
    from econsec.planning.sheet import export

    base = tmp_path / "measures.xlsx"
    export(base, [{"id": "s", "kind": "safety_stock", "site": "TOHO-HMM",
                   "item": "C-MAG-NDFEB-DY", "weeks_of_cover": 4.0}], "en")  # fmt: skip
    build, must_name = UPLOADS[case]
    hostile = build(base, tmp_path / "case.xlsx")
    before = list(Measure.objects.values_list("measure_id", flat=True))
    upload = SimpleUploadedFile("case.xlsx", hostile.read_bytes())
    with measured() as spent:
        response = client_for("analyst").post("/planning/measures/import/", {"workbook": upload})
    spent.check()
    assert response.status_code == 400 and must_name in response.content.decode()
    assert list(Measure.objects.values_list("measure_id", flat=True)) == before


@pytest.mark.parametrize("case", sorted(files.CHARACTERS))
def test_invisible_characters_in_the_measure_form_and_api(
    case: str, demo: Any, client_for: Any
) -> None:
    text = files.CHARACTERS[case]
    client = client_for("analyst")
    entry = {"id": f"x{text}y", "kind": "safety_stock", "site": "TOHO-HMM",
             "item": "C-MAG-NDFEB-DY", "weeks_of_cover": "4"}  # fmt: skip
    response = client.post("/planning/measures/save/", entry, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "U+" in response.content.decode()
    api = client.post("/api/planning/measures", json.dumps({**entry, "weeks_of_cover": 4}),
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 400
    assert list(Measure.objects.values_list("measure_id", flat=True)) == ["m"]


CVAR = {
    "level of one": ({"cvar_limit": "1000", "cvar_level": "1"}, ["cvar_level", "1"]),
    "level below a half": ({"cvar_limit": "1000", "cvar_level": "0.3"}, ["cvar_level", "0.3"]),
    "negative limit": ({"cvar_limit": "-5"}, ["cvar_limit", "-5"]),
    "limit not a number": ({"cvar_limit": "lots"}, ["cvar_limit", "lots"]),
    "limit infinite": ({"cvar_limit": "inf"}, ["cvar_limit", "inf"]),
}


@pytest.mark.parametrize("case", sorted(CVAR))
def test_hostile_cvar_limit_in_the_form_and_api(case: str, demo: Any, client_for: Any) -> None:
    fields, must_name = CVAR[case]
    client = client_for("analyst")
    for lang in ("ja", "en"):
        with measured() as spent:
            response = client.post("/planning/optimise/", fields, HTTP_ACCEPT_LANGUAGE=lang)
        spent.check()
        assert response.status_code == 400, response.content[:300]
        body = response.content.decode()
        assert all(part in body for part in must_name), (lang, body)
    numeric = {k: float(v) for k, v in fields.items() if v not in ("lots", "inf")}
    if numeric:
        response = client.post("/api/planning/optimisations", json.dumps(numeric),
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 400
        assert must_name[0] in response.content.decode()
    assert not Job.objects.filter(kind__startswith="planning.").exists()
