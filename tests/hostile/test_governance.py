"""Hostile values at the governance entry points (API bodies and page forms): refused with the
field named in ja and en, within the budget, nothing written, the audit trail untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from econsec.governance.models import Action, AuditEvent, Risk
from tests.hostile.budget import measured

HUGE = "あ" * 200_000
RISK = {"code": "R-H", "title_ja": "あ", "title_en": "a"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**RISK, "title_en": HUGE}, "title_en"),
        ({**RISK, "code": "C" * 5000}, "code"),
        ({**RISK, "entered_impact": float("inf")}, "inf"),
        ({**RISK, "entered_impact": float("nan")}, "nan"),
        ({**RISK, "entered_impact": -1}, "-1"),
        ({**RISK, "likelihood": True}, "likelihood"),
        ({**RISK, "treatment": "accept" * 1000}, "accept"),
        ({**RISK, "owner": HUGE}, "owner"),
    ],
)
def test_hostile_risk_bodies_are_refused(
    client_for: Any, users: Any, body: dict[str, Any], field: str
) -> None:
    client = client_for("analyst")
    with measured() as spent:
        response = client.post(reverse("api:governance_risk_create"), json.dumps(body),
                               content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    spent.check()
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["detail"]
    assert not Risk.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"next_review": "not a date"},
        {"review_every_days": 10**12},
        {"description_en": {"nested": [1, 2, {"deep": "x"}]}},
        {"causes": "x" * 100_000},
        {"hash": "0" * 64},
    ],
)
def test_hostile_risk_changes_are_refused(
    client_for: Any, users: Any, fields: dict[str, Any]
) -> None:
    client = client_for("analyst")
    created = client.post(reverse("api:governance_risk_create"), json.dumps(RISK),
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    events = AuditEvent.objects.count()
    url = reverse("api:governance_risk_change", args=["R-H"])
    for lang in ("ja", "en"):
        response = client.post(url, json.dumps({"fields": fields}),
                               content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
        assert response.status_code == 400, response.content[:300]
        assert next(iter(fields)) in response.json()["detail"]
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "form",
    [
        {"title_ja": HUGE, "title_en": "a", "owner": "x", "due": "2026-01-01"},
        {"title_ja": "a", "title_en": "a", "owner": "x", "due": "2026-02-30"},
        {
            "title_ja": "a",
            "title_en": "a",
            "owner": "x",
            "due": "2026-01-01",
            "target_likelihood": "1e9",
        },
        {"title_ja": "a", "title_en": "a", "owner": "x" * 1000, "due": "2026-01-01"},
    ],
)
def test_hostile_action_forms_are_refused(
    client_for: Any, users: Any, form: dict[str, str]
) -> None:
    with measured() as spent:
        response = client_for("analyst").post(reverse("web:governance_action_new"), form)
    spent.check()
    assert response.status_code == 400
    assert not Action.objects.exists() and not AuditEvent.objects.exists()
