"""Hostile values at the governance entry points (API bodies and page forms): refused with the
field named in ja and en, within the budget, nothing written, the audit trail untouched."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from econsec.governance.models import Action, AuditEvent, Risk
from tests.hostile import files
from tests.hostile.budget import measured

HUGE = "あ" * 200_000
RISK = {"code": "R-H", "title_ja": "あ", "title_en": "a"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**RISK, "title_en": HUGE}, "title_en"),
        ({**RISK, "code": "C" * 5000}, "code"),
        ({**RISK, "entered_impact": float("inf")}, "entered_impact: Infinity"),
        ({**RISK, "entered_impact": float("nan")}, "entered_impact: NaN"),
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


# --- the risk register workbook: `econsec risk import` and the web upload share one reader ---

Build = Callable[[Path, Path], Path]
# Row 3 is the first risk (R-A); D is description_ja, A the code.
WORKBOOK_CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (lambda base, out: files.declared_dimension(base, out),
                                ["risks", "XFD1048576"]),
    "far-away single cell": (lambda base, out: files.far_cell(base, out), ["risks", "XFD1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "xl/worksheets/sheet1.xml"]),
    "formula": (lambda base, out: files.set_cell(base, out, "D3", formula=files.FORMULA),
                ["risks", "D3", "HYPERLINK"]),
    "joiner in a code": (lambda base, out: files.set_cell(base, out, "A3", text="R\u200d-A"),
                         ["risks", "3", "code", "U+200D"]),
    # NUL cannot be carried by XML: the guard refuses the cell before any reader.
    "NUL": (lambda base, out: files.set_cell(base, out, "D3", text=files.NUL),
            ["risks", "D3", "U+0000"]),
    "right-to-left override": (lambda base, out: files.set_cell(base, out, "D3", text=files.RLO),
                               ["risks", "3", "description_ja", "U+202E"]),
    "zero-width space": (lambda base, out: files.set_cell(base, out, "D3", text=files.ZWSP),
                         ["risks", "3", "description_ja", "U+200B"]),
}  # fmt: skip


@pytest.fixture
def register_book(db: Any, tmp_path: Path) -> Path:
    from econsec.governance import risk_xlsx, risks

    for code in ("R-A", "R-B"):
        risks.create(code, actor="seed", title_ja="港湾", title_en="port", entered_impact=5e8,
                     description_ja="説明", description_en="text")  # fmt: skip
    path = tmp_path / "register.xlsx"
    risk_xlsx.export(path, "en")
    return path


def _state() -> tuple[list[Any], int]:
    rows = list(Risk.objects.order_by("code").values_list("code", "description_ja", "updated_at"))
    return rows, AuditEvent.objects.count()


def _upload(client: Any, path: Path, lang: str) -> Any:
    with path.open("rb") as handle:
        return client.post(reverse("web:governance_risk_import"),
                           {"workbook": handle}, HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


@pytest.mark.parametrize("case", sorted(WORKBOOK_CASES))
def test_hostile_register_workbook_by_reader_and_upload(
    case: str, register_book: Path, tmp_path: Path, client_for: Any, users: Any
) -> None:
    from econsec.governance.risk_xlsx import import_workbook
    from econsec.i18n import LANGUAGES
    from econsec.sheet_problems import ImportProblems

    build, must_name = WORKBOOK_CASES[case]
    hostile = build(register_book, tmp_path / "case.xlsx")
    before = _state()
    with measured() as spent, pytest.raises(ImportProblems) as refused:
        import_workbook(hostile, actor="hostile")
    spent.check()
    first = refused.value.problems[0]
    for lang in LANGUAGES:
        text = first.message(lang)
        assert all(part in text for part in must_name), (lang, text)
    client = client_for("analyst")
    for lang in LANGUAGES:
        with measured() as spent:
            response = _upload(client, hostile, lang)
        spent.check()
        assert response.status_code == 400, response.content[:300]
        page = response.content.decode()
        assert first.message(lang).split(":")[0].split("(")[0].replace("'", "&#x27;") in page
        assert ("何も書き込んでいません" if lang == "ja" else "nothing was written") in page
    assert _state() == before


def test_the_message_quoting_a_hostile_value_cannot_reorder_itself(
    register_book: Path, tmp_path: Path
) -> None:
    from econsec.governance.risk_xlsx import import_workbook
    from econsec.sheet_problems import ImportProblems

    hostile = files.set_cell(register_book, tmp_path / "case.xlsx", "D3", text=files.RLO)
    with pytest.raises(ImportProblems) as refused:
        import_workbook(hostile, actor="hostile")
    text = refused.value.problems[0].message("en")
    assert "\u202e" not in text and "invoice<U+202E>fdp.exe" in text


def test_oversized_uploads_are_refused_before_and_after_reading(
    register_book: Path, tmp_path: Path, client_for: Any, users: Any
) -> None:
    from econsec.governance import risk_xlsx

    client = client_for("analyst")
    before = _state()
    # Declared larger than the registered limit: refused on Content-Length, body unread.
    declared = client.post(reverse("web:governance_risk_import"), {"workbook": b""},
                           CONTENT_LENGTH=str(100 * 1024 * 1024))  # fmt: skip
    assert declared.status_code == 413
    # Just over the workbook limit but inside the form allowance: the view refuses it.
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"\0" * (risk_xlsx.LIMITS.max_bytes + 1))
    for lang, expected in (("en", "at most 10 MB"), ("ja", "10 MB まで")):
        with measured() as spent:
            answer = _upload(client, big, lang)
        spent.check()
        assert answer.status_code == 413 and expected in answer.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    ("name", "body"),
    [("notes.txt", b"hello"), ("risks.xlsx", b"PK\x03\x04 not a zip"), ("r.xlsx", b"")],
)
def test_wrong_or_broken_files_are_refused_by_the_upload(
    register_book: Path, client_for: Any, users: Any, name: str, body: bytes
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = _state()
    response = client_for("analyst").post(
        reverse("web:governance_risk_import"),
        {"workbook": SimpleUploadedFile(name, body)}, HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400
    assert _state() == before


# --- notification settings, webhook receivers, acceptance requests (page forms) ---------------

_FORMS: list[tuple[str, str, dict[str, Any]]] = [
    ("administrator", "web:governance_webhook_add", {"url": "https://e.jp/" + "a" * 200_000}),
    ("administrator", "web:governance_webhook_add", {"url": "https://e.jp/\u202ehook"}),
    ("administrator", "web:governance_webhook_add", {"url": "https://e.jp/h\x00"}),
    ("administrator", "web:governance_webhook_add", {"url": "file:///etc/passwd"}),
    ("administrator", "web:governance_webhook_add", {"url": "https://e.jp/h", "kinds": HUGE}),
    ("viewer", "web:governance_preferences", {"email": HUGE, "by_email": "on"}),
    ("viewer", "web:governance_preferences", {"email": "a\u200b@e.jp", "by_email": "on"}),
    ("viewer", "web:governance_preferences", {"email": "a@e.jp\x00", "by_email": "on"}),
    ("viewer", "web:governance_preferences", {"email": "a@e.jp", "language": HUGE}),
]


@pytest.mark.parametrize(("who", "name", "form"), _FORMS)
def test_hostile_settings_forms_are_refused(
    client_for: Any, users: Any, who: str, name: str, form: dict[str, Any]
) -> None:
    from econsec.governance.models import Preference, Webhook

    client = client_for(who)
    for lang in ("ja", "en"):
        with measured() as spent:
            response = client.post(reverse(name), form, HTTP_ACCEPT_LANGUAGE=lang)
        spent.check()
        assert response.status_code == 400, response.content[:300]
        assert len(response.content) < 200_000  # the hostile value is not echoed back whole
    assert not Webhook.objects.exists() and not Preference.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_hostile_acceptance_reason_is_refused(client_for: Any, users: Any) -> None:
    from econsec.governance import risks

    risks.create("R-H", actor="seed", title_ja="あ", title_en="a")
    events = AuditEvent.objects.count()
    url = reverse("web:governance_risk_request_acceptance", args=["R-H"])
    for reason in (HUGE, "理由\x00"):
        with measured() as spent:
            response = client_for("analyst").post(url, {"reason": reason})
        spent.check()
        assert response.status_code == 400
    assert Risk.objects.get(code="R-H").treatment == "mitigate"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("form", "status", "named"),
    [
        ({"decision": "refuse", "reason": HUGE}, 400, {"ja": "理由", "en": "reason"}),
        ({"decision": "refuse", "reason": "却下\x00"}, 400, {"ja": "U+0000", "en": "U+0000"}),
        ({"decision": "refuse\u202e", "reason": "x"}, 400, {"ja": "refuse", "en": "refuse"}),
        # No such risk: the page it would be decided on does not exist (the site's 404 page).
        ({"decision": "approve", "reason": "x", "ref": "risk:" + "R" * 100_000}, 404,
         {"ja": "ページが見つかりません", "en": "Page not found"}),
    ],
)  # fmt: skip
def test_a_hostile_decision_on_the_page_is_refused(
    client_for: Any, users: Any, form: dict[str, str], status: int, named: dict[str, str]
) -> None:
    """The page's decide form (requests.decide): refused with the reason in the reader's
    language, the hostile value not echoed whole, the request still waiting, nothing audited."""
    from econsec.governance import risks

    risks.request_acceptance(risks.create("R-H", actor="seed", title_ja="あ", title_en="a"),
                             actor="analyst", reason="cost")  # fmt: skip
    events = AuditEvent.objects.count()
    url = reverse("web:governance_request_decide")
    for lang in ("ja", "en"):
        with measured() as spent:
            response = client_for("administrator").post(
                url, {"ref": "risk:R-H", **form}, HTTP_ACCEPT_LANGUAGE=lang
            )
        spent.check()
        assert response.status_code == status, response.content[:300]
        assert len(response.content) < 200_000  # the hostile value is not echoed back whole
        assert named[lang] in response.content.decode()
    risk = Risk.objects.get(code="R-H")
    assert (risk.treatment, risk.acceptance_requested_by, risk.accepted_by) == (
        "accept", "analyst", "")  # fmt: skip
    assert AuditEvent.objects.count() == events


# -- the notifications API ------------------------------------------------------------------

NOTIFY_BODIES = [
    ("governance_webhook_create", "administrator",
     {"url": "https://example.jp/" + "a" * 100_000}, "url"),
    ("governance_webhook_create", "administrator",
     {"url": "https://example.jp/\u202eh"}, "url"),
    ("governance_webhook_create", "administrator",
     {"url": "https://example.jp/h", "kinds": ["k" * 100_000]}, "kkkkkkkk"),
    ("governance_webhook_create", "administrator",
     {"url": "https://example.jp/h", "kinds": [{"deep": [1]}]}, "kinds[0]"),
    ("governance_preferences_change", "viewer", {"email": HUGE}, "email"),
    ("governance_preferences_change", "viewer", {"language": HUGE}, "ああああ"),
    ("governance_preferences_change", "viewer", {"by_email": "sometimes"}, "by_email"),
    ("governance_request_decide", "administrator",
     {"ref": "risk:R-N", "decision": "refuse", "reason": "r" * 30_000}, "reason"),
    ("governance_request_decide", "administrator",
     {"ref": "risk:" + "R" * 100_000, "decision": "refuse", "reason": "x"}, "RRRR"),  # not found: 404
]  # fmt: skip


@pytest.mark.parametrize(("name", "role", "body", "field"), NOTIFY_BODIES)
def test_hostile_notification_bodies_are_refused(
    client_for: Any, users: Any, name: str, role: str, body: dict[str, Any], field: str
) -> None:
    from econsec.governance import risks
    from econsec.governance.models import Preference, Webhook

    risk = risks.create("R-N", actor="analyst", title_ja="あ", title_en="a", treatment="avoid")
    risks.request_acceptance(risk, actor="analyst", reason="why")
    events = AuditEvent.objects.count()
    client = client_for(role)
    send = client.put if name.endswith("_change") else client.post
    for lang in ("ja", "en"):
        with measured() as spent:
            response = send(reverse(f"api:{name}"), json.dumps(body),
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
        spent.check()
        want = 404 if field == "RRRR" else 400
        assert response.status_code == want, response.content[:300]
        assert field in response.json()["detail"]
    assert not Webhook.objects.exists() and not Preference.objects.exists()
    assert AuditEvent.objects.count() == events
    assert Risk.objects.get(code="R-N").acceptance_requested_by == "analyst"
