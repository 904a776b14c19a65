"""Self-assessment pages: answering, scores and gaps against hand-worked figures, evidence with
hash re-verification, sign-off with separation of duties, workbook round trip, escaping."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from econsec.guideline.campaigns import create_campaign, framework_of
from econsec.guideline.models import AssessmentEvent, Campaign, Evidence
from econsec.guideline.scoring import MAX_MATURITY

FRAMEWORK = "esmg-1.0-draft"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _evidence_store(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def campaign(db: Any) -> Campaign:
    return create_campaign(FRAMEWORK, "FY2025 全社", dt.date(2026, 1, 23), ["assessor-a"])


def _items(campaign: Campaign) -> list[Any]:
    framework = framework_of(campaign.framework)
    return [item for _, item in framework.items()]


def _post(client: Any, campaign: Campaign, data: dict[str, str], **extra: Any) -> Any:
    return client.post(reverse("web:assessment_answers", args=[campaign.pk]), data, **extra)


def test_answering_view_lists_every_question_with_keyboard_controls(
    client_for: Any, campaign: Campaign
) -> None:
    html = client_for("analyst").get(reverse("web:assessment", args=[campaign.pk])).content
    page = html.decode()
    framework = framework_of(campaign.framework)
    for _, _, question in framework.questions():
        assert f'name="q:{question.id}"' in page
    # four results + "unanswered" per question, each with its number key
    assert page.count('data-key="1"') == sum(1 for _ in framework.questions())
    assert page.count('data-key="0"') == sum(1 for _ in framework.questions())
    assert "assessment/answer.js" in page
    # a plain form per item (no-JS fallback) posting to the answers endpoint
    assert page.count('class="item-form"') == len(framework.item_index)


def test_viewer_sees_answers_read_only(client_for: Any, campaign: Campaign) -> None:
    page = client_for("viewer").get(reverse("web:assessment", args=[campaign.pk])).content.decode()
    assert 'data-testid="read-only-note"' in page
    assert "answer.js" in page and 'data-editable="0"' in page
    assert 'class="ev-form"' not in page and 'data-testid="submit-review"' not in page


def test_form_post_saves_and_scores_match_hand_computation(
    client_for: Any, campaign: Campaign
) -> None:
    client = client_for("analyst")
    first, second = _items(campaign)[:2]
    q1, q2 = first.questions[0].id, first.questions[1].id
    response = _post(
        client,
        campaign,
        {
            "item": first.id,
            f"q:{q1}": "done",
            f"q:{q2}": "partial",
            f"m:{first.id}": "3",
            f"owner:{first.id}": "調達部 山田",
            f"due:{first.id}": "2026-03-31",
            f"comment:{first.id}": "note",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{first.id}")
    data = _post(client, campaign, {"item": second.id, f"m:{second.id}": "1"}, **JSON).json()
    # Hand-worked: maturity is the importance-weighted mean over assessed items.
    w1, w2 = first.weight, second.weight
    maturity = (3 * w1 + 1 * w2) / (w1 + w2)
    assert data["overall"]["maturity"] == f"{maturity:.1f}"
    # Implementation: only the first item has counted questions: (1 + 0.5) / 2.
    assert data["overall"]["implementation"] == "75%"
    applicable = sum(len(i.questions) for i in _items(campaign))
    assert data["overall"]["coverage"] == f"{round(100 * 2 / applicable)}%"
    assert data["status"] == "in_progress"
    stored = campaign.item_assessments.get(item_id=first.id)
    assert (stored.maturity, stored.owner, stored.due_date) == (
        3,
        "調達部 山田",
        dt.date(2026, 3, 31),
    )
    assert stored.updated_by == "analyst"


def test_single_field_post_from_script_changes_only_that_field(
    client_for: Any, campaign: Campaign
) -> None:
    client = client_for("analyst")
    item = _items(campaign)[0]
    qid = item.questions[0].id
    _post(client, campaign, {f"q:{qid}": "done", f"qc:{qid}": "規程あり"}, **JSON)
    data = _post(client, campaign, {"item": item.id, f"q:{qid}": "not_done"}, **JSON).json()
    answer = campaign.answers.get(question_id=qid)
    assert (answer.result, answer.comment) == ("not_done", "規程あり")
    assert data["item"] == {"id": item.id, "implementation": "0%"}
    # "0" (unanswered) clears the result
    _post(client, campaign, {f"q:{qid}": ""}, **JSON)
    assert not campaign.answers.filter(question_id=qid).exists()
    # a blank maturity clears it
    _post(client, campaign, {f"m:{item.id}": "2"}, **JSON)
    _post(client, campaign, {f"m:{item.id}": ""}, **JSON)
    assert campaign.item_assessments.get(item_id=item.id).maturity is None


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("q:{q}", "maybe", "maybe"),
        ("m:{i}", "7", "7"),
        ("due:{i}", "next week", "next week"),
        ("q:NOPE", "done", "NOPE"),
    ],
)
def test_bad_answers_are_refused_with_a_located_message(
    client_for: Any, campaign: Campaign, field: str, value: str, needle: str
) -> None:
    item = _items(campaign)[0]
    name = field.format(q=item.questions[0].id, i=item.id)
    response = _post(client_for("analyst"), campaign, {name: value}, **JSON)
    assert response.status_code == 400
    assert needle in response.json()["error"]
    assert not campaign.answers.exists() and not campaign.item_assessments.exists()


def test_gap_list_is_prioritised_and_changes_with_answers(
    client_for: Any, campaign: Campaign
) -> None:
    client = client_for("analyst")
    items = _items(campaign)
    url = reverse("web:assessment_gaps", args=[campaign.pk])
    html = client.get(url).content.decode()
    # Nothing assessed: every item is a gap at weight x 4, high importance first.
    rows = [html.index(f'data-item="{i.id}"') for i in items]
    assert len(rows) == len(items)
    high = [i for i in items if i.weight == 3]
    low = [i for i in items if i.weight < 3]
    if high and low:
        assert max(html.index(f'data-item="{i.id}"') for i in high) < min(
            html.index(f'data-item="{i.id}"') for i in low
        )
    # Assessing the first high item at maturity 4 removes it from the gaps.
    top = high[0] if high else items[0]
    _post(client, campaign, {f"m:{top.id}": str(MAX_MATURITY)})
    assert f'data-item="{top.id}"' not in client.get(url).content.decode()
    api = client.get(reverse("api:assessment_gaps", kwargs={"campaign_id": campaign.pk})).json()
    priorities = [g["priority"] for g in api]
    assert priorities == sorted(priorities, reverse=True)
    assert {g["item_id"] for g in api} == {i.id for i in items} - {top.id}


def test_evidence_upload_download_and_tamper_refusal(
    client_for: Any, campaign: Campaign, settings: Any
) -> None:
    client = client_for("analyst")
    item = _items(campaign)[0]
    body = "調達先一覧\nA社,CN\n".encode()
    response = client.post(
        reverse("web:assessment_evidence_add", args=[campaign.pk]),
        {
            "item": item.id,
            "kind": "file",
            "title": "<b>list</b>",
            "file": SimpleUploadedFile("suppliers.csv", body, content_type="text/csv"),
        },
    )
    assert response.status_code == 302
    row = Evidence.objects.get(campaign=campaign)
    assert row.sha256 == hashlib.sha256(body).hexdigest() and row.size == len(body)
    page = client_for("viewer").get(reverse("web:assessment", args=[campaign.pk])).content
    assert b"&lt;b&gt;list&lt;/b&gt;" in page and b"<b>list</b>" not in page
    download = client_for("auditor").get(reverse("web:assessment_evidence", args=[row.pk]))
    assert download.status_code == 200 and download.content == body
    assert download["X-Evidence-SHA256"] == row.sha256
    assert download["Content-Disposition"].startswith("attachment;")
    # Alter the stored file: the download is refused, naming both digests.
    stored = Path(settings.DATA_DIR) / "evidence" / row.sha256[:2] / row.sha256
    stored.write_bytes(body.replace(b"CN", b"JP"))
    refused = client_for("auditor").get(reverse("web:assessment_evidence", args=[row.pk]))
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "改変" in text and row.sha256 in text and body.decode() not in text
    en = client_for("auditor")
    en.post(reverse("web:set_language"), {"language": "en"})
    assert (
        "has been altered"
        in en.get(reverse("web:assessment_evidence", args=[row.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("tool.exe", b"MZ\x90\x00", ".exe"),
        ("report.pdf", b"not a pdf at all", ".pdf"),
        ("big.txt", b"x" * 2048, "MiB"),
    ],
)
def test_disallowed_or_oversize_evidence_is_refused(
    client_for: Any, campaign: Campaign, settings: Any, name: str, content: bytes, needle: str
) -> None:
    settings.ECONSEC_EVIDENCE_MAX_BYTES = 1024
    item = _items(campaign)[0]
    response = client_for("analyst").post(
        reverse("web:assessment_evidence_add", args=[campaign.pk]),
        {"item": item.id, "kind": "file", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert needle in response.content.decode()
    assert not Evidence.objects.exists()


def test_link_and_analysis_reference(client_for: Any, campaign: Campaign) -> None:
    client = client_for("analyst")
    item = _items(campaign)[0]
    url = reverse("web:assessment_evidence_add", args=[campaign.pk])
    bad = client.post(url, {"item": item.id, "kind": "link", "url": "javascript:alert(1)"})
    assert bad.status_code == 400
    client.post(url, {"item": item.id, "kind": "link", "url": "https://example.com/policy"})
    client.post(
        url,
        {
            "item": item.id,
            "kind": "analysis",
            "capability": "exposure.spof",
            "ref_id": "run-7",
            "data_version": "v1",
            "question": item.questions[0].id,
        },
    )
    kinds = sorted(Evidence.objects.values_list("kind", flat=True))
    assert kinds == ["analysis", "link"]
    page = client.get(reverse("web:assessment", args=[campaign.pk])).content.decode()
    assert 'href="https://example.com/policy"' in page and "run-7" in page


def test_signoff_separates_duties(client_for: Any, users: Any, campaign: Campaign) -> None:
    analyst, admin = client_for("analyst"), client_for("administrator")
    signoff = reverse("web:assessment_signoff", args=[campaign.pk])
    item = _items(campaign)[0]
    _post(analyst, campaign, {f"m:{item.id}": "2"})
    assert analyst.post(signoff, {"action": "submit"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "submitted"
    # Answers are frozen while submitted.
    locked = _post(analyst, campaign, {f"m:{item.id}": "3"}, **JSON)
    assert locked.status_code == 409
    # The analyst recorded answers, so may not approve them.
    refused = analyst.post(signoff, {"action": "approve"})
    assert refused.status_code == 409 and "analyst" in refused.content.decode()
    # A listed assessor may not either (the administrator is named assessor here).
    campaign.assessors = ["administrator"]
    campaign.save()
    assert admin.post(signoff, {"action": "approve"}).status_code == 409
    campaign.assessors = ["assessor-a"]
    campaign.save()
    assert admin.post(signoff, {"action": "return", "comment": "<i>more</i>"}).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.reviewer) == ("in_progress", "administrator")
    analyst.post(signoff, {"action": "submit"})
    assert admin.post(signoff, {"action": "approve"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "approved"
    page = client_for("viewer").get(reverse("web:assessment", args=[campaign.pk])).content
    assert b"&lt;i&gt;more&lt;/i&gt;" in page or b"more" not in page
    actions = list(
        AssessmentEvent.objects.filter(campaign=campaign).values_list("action", flat=True)
    )
    assert actions.count("campaign.submitted") == 2
    assert "campaign.returned" in actions and actions[-1] == "campaign.approved"
    # The auditor's event log shows them; a viewer may not open it.
    log = client_for("auditor").get(reverse("web:assessment_events", args=[campaign.pk]))
    assert b"campaign.approved" in log.content
    assert (
        client_for("viewer").get(reverse("web:assessment_events", args=[campaign.pk])).status_code
        == 403
    )


def test_workbook_export_then_import(client_for: Any, campaign: Campaign) -> None:
    client = client_for("analyst")
    item = _items(campaign)[0]
    qid = item.questions[0].id
    exported = client.get(reverse("web:assessment_export", args=[campaign.pk]))
    assert exported.status_code == 200
    wb = load_workbook(io.BytesIO(exported.content))
    ws = wb["assessment"]
    keys = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=3):
        if row[keys.index("question_id")].value == qid:
            row[keys.index("result")].value = "done"
            row[keys.index("maturity")].value = 2
    buf = io.BytesIO()
    wb.save(buf)
    url = reverse("web:assessment_import", args=[campaign.pk])
    response = client.post(url, {"workbook": SimpleUploadedFile("filled.xlsx", buf.getvalue())})
    assert response.status_code == 302
    assert campaign.answers.get(question_id=qid).result == "done"
    assert campaign.item_assessments.get(item_id=item.id).maturity == 2
    # A bad value: nothing written, the problem located.
    for row in ws.iter_rows(min_row=3):
        if row[keys.index("question_id")].value == qid:
            row[keys.index("result")].value = "perhaps"
    buf = io.BytesIO()
    wb.save(buf)
    bad = client.post(url, {"workbook": SimpleUploadedFile("bad.xlsx", buf.getvalue())})
    assert bad.status_code == 400 and "perhaps" in bad.content.decode()
    assert campaign.answers.get(question_id=qid).result == "done"


def test_create_campaign_page(client_for: Any, db: Any) -> None:
    client = client_for("analyst")
    url = reverse("web:assessment_new")
    assert FRAMEWORK in client.get(url).content.decode()
    bad = client.post(url, {"framework": FRAMEWORK, "name": "", "date": "2026-02-01"})
    assert bad.status_code == 400
    ok = client.post(
        url,
        {
            "framework": FRAMEWORK,
            "name": "<script>x</script>",
            "date": "2026-02-01",
            "scope_kind": "business_unit",
            "scope_unit": "電池事業部",
            "assessors": "analyst, 佐藤",
        },
    )
    campaign = Campaign.objects.get()
    assert ok["Location"] == reverse("web:assessment", args=[campaign.pk])
    assert campaign.assessors == ["analyst", "佐藤"] and campaign.scope_unit == "電池事業部"
    listing = client.get(reverse("web:assessment_campaigns")).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in listing and "<script>x</script>" not in listing


def _answered_campaign(client: Any, name: str, date: str, level: int) -> Campaign:
    campaign = create_campaign(FRAMEWORK, name, dt.date.fromisoformat(date), [])
    for item in _items(campaign):
        _post(client, campaign, {f"m:{item.id}": str(level)})
    return campaign


def test_trend_comparison_scores_and_dashboard(client_for: Any, db: Any) -> None:
    client = client_for("analyst")
    later = _answered_campaign(client, "FY2026", "2027-01-20", 3)
    earlier = _answered_campaign(client, "FY2025", "2026-01-20", 1)
    html = client.get(reverse("web:assessment_trend"), {"framework": FRAMEWORK}).content.decode()
    assert 'data-testid="trend-chart"' in html and "<svg" in html
    assert html.index("FY2025") < html.index("FY2026")  # ordered by date, not creation
    # every item at the same level: overall and each area equal that level
    table = html[html.index('data-testid="trend-table"') :]
    assert table.count(">1.0<") == 4 and table.count(">3.0<") == 4
    compared = client.get(
        reverse("web:assessment_compare"), {"a": earlier.pk, "b": later.pk}
    ).content.decode()
    assert compared.count('class="dir dir-up"') == len(_items(later))
    scores = client.get(reverse("web:assessment_scores", args=[later.pk])).content.decode()
    assert 'data-testid="principle-scores"' in scores and "3.0 / 4" in scores
    api = client.get(reverse("api:assessment_scores", kwargs={"campaign_id": later.pk})).json()
    assert api["overall"]["maturity"] == 3
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "自己評価スコア" in dashboard


def test_api_create_and_answer(client_for: Any, db: Any) -> None:
    client = client_for("analyst")
    created = client.post(
        reverse("api:assessment_create"),
        json.dumps({"framework": FRAMEWORK, "name": "API", "assessment_date": "2026-02-01"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    item = _items(Campaign.objects.get(pk=cid))[0]
    url = reverse("api:assessment_answers", kwargs={"campaign_id": cid})
    body = {
        "questions": {item.questions[0].id: {"result": "partial"}},
        "items": {item.id: {"maturity": 2}},
    }
    answered = client.post(url, json.dumps(body), content_type="application/json")
    assert answered.json() == {"changed": 2}
    bad = client.post(
        url, json.dumps({"items": {item.id: {"maturity": 9}}}), content_type="application/json"
    )
    assert bad.status_code == 400 and item.id in bad.json()["detail"]
    detail = client.get(reverse("api:assessment_campaign", kwargs={"campaign_id": cid})).json()
    assert detail["answers"][item.questions[0].id]["result"] == "partial"
