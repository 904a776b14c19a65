"""Need-to-know on every technology page and endpoint: without it, no role learns a
technology's name or id (pages, API, exports, error answers); with it, the register shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from tests.technology.chain import demo_chain_rows

ROLES = ("viewer", "auditor", "analyst", "administrator")
READ_PAGES = (
    "web:technology", "web:technology_exposure", "web:technology_incidents",
    "web:technology_dependence", "web:technology_countries",
)  # fmt: skip


@pytest.fixture
def register(db: Any, users: Any) -> list[str]:
    demo_chain_rows()
    create_demo_register()
    from econsec.technology.service import open_incident

    open_incident("INC-9", "展示会で撮影", "2026-03-01", ["T-SERVO-ENC"], ["people.trade_show"],
                  actor="x")  # fmt: skip
    secrets = ["INC-9", "展示会で撮影"]
    for x in m.Technology.objects.all():
        secrets += [x.tech_id, x.name_ja, x.name_en]
    return secrets


def _clean(body: bytes, secrets: list[str]) -> None:
    secrets = [*secrets, "YAMATO", "HUAAN"]  # the customers behind the dependence scores
    text = body.decode("utf-8", "replace")
    leaked = [s for s in secrets if s in text]
    assert not leaked, leaked


@pytest.mark.parametrize("who", ROLES)
def test_without_need_to_know_only_counts(who: str, register: list[str], client_for: Any) -> None:
    client = client_for(who)
    for name in READ_PAGES:
        page = client.get(reverse(name))
        assert page.status_code == 200
        _clean(page.content, register)
    assert b'data-testid="need-to-know"' in client.get(reverse("web:technology")).content
    assert b"3" in client.get(reverse("web:technology")).content
    detail = client.get(reverse("web:technology_detail", kwargs={"tech_id": "T-MAG-GBD"}))
    missing = client.get(reverse("web:technology_detail", kwargs={"tech_id": "T-NONE"}))
    assert detail.status_code == missing.status_code == 404
    # The same answer as for an unknown id, naming nothing but the id the caller typed.
    _clean(detail.content, [s for s in register if s != "T-MAG-GBD"])
    assert len(detail.content) - len(missing.content) == len("T-MAG-GBD") - len("T-NONE")
    export = client.get(reverse("web:technology_export"))
    assert export.status_code == 403
    _clean(export.content, register)
    api = client.get(reverse("api:technology_summary"))
    assert api.status_code == 200 and api.json()["technologies"] == 3
    _clean(api.content, register)
    listed = client.get(reverse("api:technology_list"))
    assert listed.status_code == 403
    _clean(listed.content, register)
    form = client.post(reverse("web:technology_incident_new"), {"code": "X", "title": "y"})
    assert form.status_code == 403 and not m.Incident.objects.filter(code="X").exists()
    # An incident's page, file, update and evidence forms: nothing beyond the code typed.
    incident = {"code": "INC-9"}
    for name, kwargs in (("web:technology_incident", incident),
                         ("web:technology_incident_file", {**incident, "evidence_id": 1})):  # fmt: skip
        answer = client.get(reverse(name, kwargs=kwargs))
        assert answer.status_code == 404
        _clean(answer.content, [s for s in register if s != "INC-9"])
    for name in ("web:technology_incident_update", "web:technology_incident_evidence"):
        answer = client.post(reverse(name, kwargs=incident), {"status": "contained"})
        assert answer.status_code == 403
        _clean(answer.content, [s for s in register if s != "INC-9"])
    assert m.Incident.objects.get(code="INC-9").status == "detected"
    # The evidence API, the fact forms and the facts API: 403, naming nothing not typed.
    fact = m.AccessGroup.objects.filter(technology__tech_id="T-MAG-GBD").first()
    assert fact is not None
    typed = [s for s in register if s not in ("INC-9", "T-MAG-GBD")]
    asks = [
        ("get", "api:technology_incident_evidence_list", incident),
        ("get", "api:technology_incident_evidence_file", {**incident, "evidence_id": 1}),
        ("post", "api:technology_incident_evidence_add", incident),
        ("get", "api:technology_facts", {"tech_id": "T-MAG-GBD"}),
        ("get", "api:technology_item_facts", {}),
        ("post", "api:technology_fact_add", {"tech_id": "T-MAG-GBD", "kind": "access"}),
        ("delete", "api:technology_fact_remove",
         {"tech_id": "T-MAG-GBD", "kind": "access", "fact_id": fact.pk}),
        ("post", "web:technology_fact_add", {"tech_id": "T-MAG-GBD", "kind": "access"}),
        ("post", "web:technology_fact_remove",
         {"tech_id": "T-MAG-GBD", "kind": "access", "fact_id": fact.pk}),
        ("post", "web:technology_item_fact_add", {"kind": "customer"}),
    ]  # fmt: skip
    for method, name, kwargs in asks:
        answer = getattr(client, method)(reverse(name, kwargs=kwargs))
        assert answer.status_code == 403, (name, answer.status_code)
        _clean(answer.content, typed)
    assert m.AccessGroup.objects.filter(pk=fact.pk).exists()


def test_with_need_to_know_the_register_shows(register: list[str], client_for: Any,
                                              tmp_path: Any) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    index = client.get(reverse("web:technology")).content.decode()
    assert "T-MAG-GBD" in index and 'data-testid="need-to-know"' not in index
    detail = client.get(reverse("web:technology_detail", kwargs={"tech_id": "T-MAG-GBD"}))
    assert detail.status_code == 200
    assert "撤退・資料返還条項がない" in detail.content.decode()
    listed = client.get(reverse("api:technology_list")).json()
    magnet = next(x for x in listed if x["tech_id"] == "T-MAG-GBD")
    levels = {c["route"]: c["level"] for c in magnet["exposure"]}
    assert levels["overseas.withdrawal"] == "high"
    dependence = client.get(reverse("web:technology_dependence")).content.decode()
    assert (
        "P-EAX150" in dependence and "Share falling" in dependence
    ) or "シェアが低下" in dependence
    export = client.get(reverse("web:technology_export"))
    assert export.status_code == 200
    path = tmp_path / "t.xlsx"
    path.write_bytes(export.content)
    wb = load_workbook(path)
    wb["access"].cell(3, 3, "many")
    wb.save(path)
    bad = client.post(reverse("web:technology_import"),
                      {"workbook": SimpleUploadedFile("t.xlsx", path.read_bytes())})  # fmt: skip
    assert bad.status_code == 400
    assert "access" in bad.content.decode() and "many" in bad.content.decode()
    made = client.post(reverse("web:technology_incident_new"), {
        "code": "INC-10", "title": "suspicious mail", "tech": ["T-INV-CTL"],
        "route": ["psia.cyber"]})  # fmt: skip
    assert made.status_code == 303
    assert m.Incident.objects.get(code="INC-10").technologies.get().tech_id == "T-INV-CTL"
    refused = client.post(reverse("web:technology_incident_new"),
                          {"code": "INC-11", "title": "x", "route": ["moon"]})  # fmt: skip
    assert refused.status_code == 400
    # A viewer granted need-to-know still cannot edit.
    grant("viewer", allow=True)
    assert client_for("viewer").post(reverse("web:technology_incident_new"),
                                     {"code": "V", "title": "v"}).status_code == 403  # fmt: skip


def test_dashboard_card_is_a_count(register: list[str], client_for: Any) -> None:
    page = client_for("viewer").get(reverse("web:dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "高リスクの技術×経路" in text or "High technology × route cells" in text
    _clean(page.content, register)
