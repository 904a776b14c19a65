"""Self-assessment pages: campaigns, the answering view, evidence, scores, gaps, trend,
comparison, sign-off, workbook exchange and the event log.

Every change goes through :mod:`econsec.guideline` (validated, atomic, logged); these views
only parse the request and render. The answering view works as plain forms (one per item) and
is enhanced by ``static/web/assessment/answer.js``, which saves each change in the background
and shows the new scores without reloading.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from econsec.guideline.assessment_io import export_campaign, import_campaign
from econsec.guideline.campaigns import (
    EDITABLE,
    ItemFields,
    QuestionFields,
    create_campaign,
    framework_of,
    record_answers,
    submit_for_review,
    sync_builtin_frameworks,
)
from econsec.guideline.errors import GuidelineError
from econsec.guideline.evidence import (
    ALLOWED,
    add_analysis_reference,
    add_file,
    add_link,
    max_bytes,
    read_file,
)
from econsec.guideline.frameworks import Framework, capabilities, capability_links
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.models import (
    AssessmentEvent,
    Campaign,
    Evidence,
    QuestionAnswer,
    StoredFramework,
)
from econsec.guideline.scoring import (
    GroupScore,
    Result,
    Scorecard,
    compare,
    gap_list,
    score_assessment,
)
from econsec.guideline.signoff import contributors, review_independently
from econsec.guideline.trend import METRICS, TrendPoint, trend_series
from econsec.guideline.web.chart import line_chart
from econsec.i18n import t
from econsec.web import formatting
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.roles import AUDIT, EDIT, READ, has_capability, role_required

RESULTS = (Result.DONE, Result.PARTIAL, Result.NOT_DONE, Result.NA)
TOP_GAPS = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A filled-in assessment workbook is well under a megabyte; this leaves room for attachments
# of notes and images while refusing anything that is plainly not one.
ASSESSMENT_MAX_BYTES = 10 * 1024 * 1024


def evidence_body_limit() -> int:
    """The largest evidence upload request (registered in apps.py)."""
    return form_limit(max_bytes())


def import_body_limit() -> int:
    """The largest assessment-workbook upload request (registered in apps.py)."""
    return form_limit(ASSESSMENT_MAX_BYTES)


_frameworks: dict[str, Framework] = {}


def cached_framework(row: StoredFramework) -> Framework:
    # Building a framework validates it against its schema; cache by content digest.
    key = f"{row.framework_id}:{row.sha256}"
    found = _frameworks.get(key)
    if found is None:
        found = _frameworks[key] = framework_of(row)
    return found


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("framework").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(campaign_id)
    return campaign


def _actor(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _problem(
    request: HttpRequest, campaign: Campaign | None, lines: list[str], status: int
) -> HttpResponse:
    """A refused request: JSON for the page script, else a page naming what was wrong."""
    if _wants_json(request):
        return JsonResponse({"error": " ".join(lines)}, status=status)
    return render(
        request,
        "assessment/problem.html",
        {"campaign": campaign, "problems": lines},
        status=status,
    )


def scorecard_of(campaign: Campaign, framework: Framework) -> Scorecard:
    answers = {a.question_id: Result(a.result) for a in campaign.answers.all()}
    maturity = {a.item_id: a.maturity for a in campaign.item_assessments.all()}
    return score_assessment(framework, answers, maturity)


def _maturity_text(value: float | None, lang: str) -> str:
    return formatting.format_number(value, lang, 1) if value is not None else "—"


def _group_view(score: GroupScore, lang: str) -> dict[str, Any]:
    return {
        "maturity": _maturity_text(score.maturity, lang),
        "maturity_value": score.maturity,
        "implementation": formatting.format_percent(score.implementation, lang, 0),
        "coverage": formatting.format_percent(score.coverage, lang, 0),
        "answered": score.answered_questions,
        "applicable": score.applicable_questions,
        "items_na": score.items_na,
    }


def _gap_rows(framework: Framework, card: Scorecard, campaign: Campaign, lang: str) -> list[Any]:
    items = {a.item_id: a for a in campaign.item_assessments.all()}
    area_names = {area.id: area.name.get(lang) for area in framework.areas}
    rows = []
    for rank, gap in enumerate(gap_list(framework, card), start=1):
        item = framework.item_index[gap.item_id]
        stored = items.get(gap.item_id)
        rows.append(
            {
                "rank": rank,
                "item_id": gap.item_id,
                "name": item.name.get(lang),
                "area": area_names[gap.area_id],
                "importance": gap.weight,
                "importance_label": t(f"guideline.web.importance.{item.importance}", lang),
                "maturity": gap.maturity,
                "assessed": gap.assessed,
                "implementation": formatting.format_percent(gap.implementation, lang, 0),
                "priority": gap.priority,
                "owner": stored.owner if stored else "",
                "due_date": stored.due_date if stored else None,
            }
        )
    return rows


# ---------------------------------------------------------------------------------- campaigns


def _campaign_rows(campaigns: Iterable[Campaign], lang: str) -> list[dict[str, Any]]:
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    answers: dict[int, dict[str, Result]] = defaultdict(dict)
    for cid, qid, result in QuestionAnswer.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "question_id", "result"
    ):
        answers[cid][qid] = Result(result)
    maturity: dict[int, dict[str, int | None]] = defaultdict(dict)
    from econsec.guideline.models import ItemAssessment

    for cid, iid, level in ItemAssessment.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "item_id", "maturity"
    ):
        maturity[cid][iid] = level
    rows = []
    for campaign in campaigns:
        framework = cached_framework(campaign.framework)
        card = score_assessment(framework, answers[campaign.pk], maturity[campaign.pk])
        rows.append(
            {
                "campaign": campaign,
                "framework": framework.name.get(lang),
                "score": _group_view(card.overall, lang),
            }
        )
    return rows


@role_required(READ)
def campaigns(request: HttpRequest) -> HttpResponse:
    """All campaigns, newest first, with their overall figures."""
    lang = request_language(request)
    rows = _campaign_rows(Campaign.objects.select_related("framework")[:500], lang)
    return render(
        request,
        "assessment/campaigns.html",
        {"rows": rows, "can_edit": has_capability(request.user, EDIT)},
    )


def _framework_choices(lang: str) -> list[tuple[str, str]]:
    sync_builtin_frameworks()
    return [
        (row.framework_id, f"{row.name_ja if lang == 'ja' else row.name_en} ({row.framework_id})")
        for row in StoredFramework.objects.order_by("framework_id")
    ]


@role_required(EDIT)
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Open a campaign: framework, name, date, scope and assessors."""
    lang = request_language(request)
    form: dict[str, str] = {
        "framework": "esmg-1.0-draft",
        "name": "",
        "date": timezone.localdate().isoformat(),
        "scope_kind": "company",
        "scope_unit": "",
        "assessors": _actor(request),
    }
    errors: list[str] = []
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        try:
            date = dt.date.fromisoformat(form["date"])
        except ValueError:
            errors.append(t("guideline.web.bad_date", lang, value=form["date"]))
        if not errors:
            assessors = [a for a in form["assessors"].replace("、", ",").split(",")]
            try:
                campaign = create_campaign(
                    form["framework"],
                    form["name"],
                    date,
                    [a.strip() for part in assessors for a in part.splitlines()],
                    scope_kind=form["scope_kind"] or "company",
                    scope_unit=form["scope_unit"],
                    actor=_actor(request),
                )
            except GuidelineError as exc:
                errors.append(exc.message(lang))
            else:
                messages.success(request, t("guideline.web.created", lang, name=campaign.name))
                return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))
    return render(
        request,
        "assessment/new.html",
        {"form": form, "errors": errors, "frameworks": _framework_choices(lang)},
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------------------ answering view


def _answer_context(request: HttpRequest, campaign: Campaign, lang: str) -> dict[str, Any]:
    framework = cached_framework(campaign.framework)
    card = scorecard_of(campaign, framework)
    answers = {a.question_id: a for a in campaign.answers.all()}
    stored_items = {a.item_id: a for a in campaign.item_assessments.all()}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in campaign.evidence.order_by("added_at", "id"):
        evidence[row.item_id].append(row)
    links = capability_links(framework)
    caps = capabilities()
    areas = []
    for area in framework.areas:
        items = []
        for item in area.items:
            stored = stored_items.get(item.id)
            score = card.items[item.id]
            items.append(
                {
                    "item": item,
                    "name": item.name.get(lang),
                    "description": item.description.get(lang),
                    "typical_evidence": item.typical_evidence.get(lang),
                    "importance_label": t(f"guideline.web.importance.{item.importance}", lang),
                    "importance": item.importance,
                    "questions": [
                        {
                            "id": q.id,
                            "text": q.text.get(lang),
                            "result": answers[q.id].result if q.id in answers else "",
                            "comment": answers[q.id].comment if q.id in answers else "",
                        }
                        for q in item.questions
                    ],
                    "maturity": stored.maturity if stored else None,
                    "owner": stored.owner if stored else "",
                    "due_date": stored.due_date.isoformat() if stored and stored.due_date else "",
                    "comment": stored.comment if stored else "",
                    "levels": [
                        {
                            "level": level.level,
                            "name": level.name.get(lang),
                            "text": framework.maturity_text(item, level.level).get(lang),
                        }
                        for level in framework.maturity_scale
                    ],
                    "implementation": formatting.format_percent(score.implementation, lang, 0),
                    "is_na": score.is_na,
                    "evidence": evidence.get(item.id, []),
                    # Capabilities whose results can evidence this item come first (★).
                    "capabilities": sorted(
                        (
                            (key, cap.name.get(lang), key in links.get(item.id, ()))
                            for key, cap in caps.items()
                        ),
                        key=lambda c: not c[2],
                    ),
                }
            )
        areas.append(
            {
                "id": area.id,
                "name": area.name.get(lang),
                "description": area.description.get(lang),
                "score": _group_view(card.areas[area.id], lang),
                "items": items,
            }
        )
    can_edit = has_capability(request.user, EDIT)
    return {
        "campaign": campaign,
        "framework": framework,
        "framework_name": framework.name.get(lang),
        "areas": areas,
        "overall": _group_view(card.overall, lang),
        "gaps": _gap_rows(framework, card, campaign, lang)[:TOP_GAPS],
        "results": [
            (r.value, t(f"guideline.result.{r.value}", lang), n + 1) for n, r in enumerate(RESULTS)
        ],
        "editable": can_edit and campaign.status in EDITABLE,
        "can_edit": can_edit,
        "can_audit": has_capability(request.user, AUDIT),
        "can_review": can_edit
        and campaign.status == "submitted"
        and _actor(request) not in contributors(campaign),
        "evidence_types": ", ".join(sorted(ALLOWED)),
        "evidence_limit": max_bytes() // (1024 * 1024),
    }


@role_required(READ)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The answering view: areas > items > questions, with scores and the top gaps."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    return render(request, "assessment/campaign.html", _answer_context(request, campaign, lang))


def _parse_answers(
    post: Any, lang: str
) -> tuple[dict[str, QuestionFields], dict[str, ItemFields], list[str]]:
    """Form fields ``q:<question>``, ``qc:<question>``, ``m:<item>``, ``owner:<item>``,
    ``due:<item>``, ``comment:<item>`` → answer changes. A blank maturity or due date clears
    it; a blank result clears the answer."""
    results: dict[str, str] = {}
    q_comments: dict[str, str] = {}
    item_values: dict[str, dict[str, str]] = defaultdict(dict)
    for key, value in post.items():
        prefix, _, ident = key.partition(":")
        if not ident:
            continue
        if prefix == "q":
            results[ident] = value
        elif prefix == "qc":
            q_comments[ident] = value
        elif prefix in ("m", "owner", "due", "comment"):
            item_values[ident][prefix] = value
    errors: list[str] = []
    questions: dict[str, QuestionFields] = {}
    for qid in results.keys() | q_comments.keys():
        raw = results.get(qid)
        comment = q_comments.get(qid)
        if raw is None:
            questions[qid] = QuestionFields(comment=comment)
        elif raw == "":
            questions[qid] = QuestionFields(clear_result=True)
        elif raw in {r.value for r in Result}:
            questions[qid] = QuestionFields(result=Result(raw), comment=comment)
        else:
            errors.append(t("guideline.web.bad_result", lang, id=qid, value=raw))
    items: dict[str, ItemFields] = {}
    for iid, values in item_values.items():
        fields: dict[str, Any] = {}
        if "m" in values:
            level = values["m"].strip()
            if level == "":
                fields["clear_maturity"] = True
            elif level.isdigit() and len(level) == 1:
                fields["maturity"] = int(level)
            else:
                errors.append(t("guideline.answer.bad_maturity", lang, id=iid, value=level))
        if "due" in values:
            due = values["due"].strip()
            if due == "":
                fields["clear_due_date"] = True
            else:
                try:
                    fields["due_date"] = dt.date.fromisoformat(due)
                except ValueError:
                    errors.append(t("guideline.web.bad_date", lang, value=due))
        if "owner" in values:
            fields["owner"] = values["owner"].strip()[:200]
        if "comment" in values:
            fields["comment"] = values["comment"].strip()
        items[iid] = ItemFields(**fields)
    return questions, items, errors


def _scores_payload(campaign: Campaign, item_id: str, lang: str) -> dict[str, Any]:
    framework = cached_framework(campaign.framework)
    card = scorecard_of(campaign, framework)
    payload: dict[str, Any] = {
        "status": campaign.status,
        "status_label": t(f"guideline.web.status.{campaign.status}", lang),
        "overall": _group_view(card.overall, lang),
        "areas": {k: _group_view(v, lang) for k, v in card.areas.items()},
        "gaps": [
            {
                "item_id": g["item_id"],
                "name": g["name"],
                "priority": g["priority"],
                "maturity": g["maturity"] if g["assessed"] else t("guideline.web.unassessed", lang),
            }
            for g in _gap_rows(framework, card, campaign, lang)[:TOP_GAPS]
        ],
    }
    if item_id in card.items:
        payload["item"] = {
            "id": item_id,
            "implementation": formatting.format_percent(
                card.items[item_id].implementation, lang, 0
            ),
        }
    return payload


@role_required(EDIT)
def answers(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Save answers posted by an item form (or one field of it, from the page script)."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))
    questions, items, errors = _parse_answers(request.POST, lang)
    if not errors and not questions and not items:
        errors.append(t("guideline.web.nothing_to_save", lang))
    if errors:
        return _problem(request, campaign, errors, 400)
    try:
        changed = record_answers(campaign, questions, items, actor=_actor(request), source="web")
    except GuidelineError as exc:
        status = 409 if exc.key == "guideline.campaign.locked" else 400
        return _problem(request, campaign, [exc.message(lang)], status)
    item_id = request.POST.get("item", "")
    if _wants_json(request):
        campaign.refresh_from_db()
        payload = _scores_payload(campaign, item_id, lang)
        payload["saved"] = changed
        payload["message"] = t("guideline.web.saved", lang, count=changed)
        return JsonResponse(payload)
    messages.success(request, t("guideline.web.saved", lang, count=changed))
    anchor = f"#item-{item_id}" if item_id else ""
    return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]) + anchor)


# ----------------------------------------------------------------------------------- evidence


@role_required(EDIT)
def evidence_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Attach a file, a link or a reference to a stored analysis result to an item."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))
    item_id = request.POST.get("item", "").strip()
    question_id = request.POST.get("question", "").strip()
    title = request.POST.get("title", "").strip()[:500]
    kind = request.POST.get("kind", "")
    actor = _actor(request)
    upload = request.FILES.get("file")
    try:
        if kind == "file" and upload is not None:
            if (upload.size or 0) > max_bytes():
                # Refuse before reading a byte of an oversize upload.
                raise GuidelineError(
                    "guideline.evidence.too_large",
                    name=upload.name,
                    limit=max_bytes() // (1024 * 1024),
                )
            stream = cast(BinaryIO, upload)  # an UploadedFile reads like a binary file
            add_file(campaign, item_id, upload.name or "", stream, actor, question_id, title)
        elif kind == "link" and request.POST.get("url", "").strip():
            add_link(campaign, item_id, request.POST["url"], actor, question_id, title)
        elif kind == "analysis":
            add_analysis_reference(
                campaign,
                item_id,
                request.POST.get("capability", ""),
                request.POST.get("ref_id", ""),
                request.POST.get("data_version", ""),
                actor,
                question_id,
                title,
            )
        else:
            return _problem(request, campaign, [t("guideline.web.evidence_missing", lang)], 400)
    except GuidelineError as exc:
        status = 409 if exc.key == "guideline.campaign.locked" else 400
        return _problem(request, campaign, [exc.message(lang)], status)
    messages.success(request, t("guideline.web.evidence_added", lang, item=item_id))
    return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]) + f"#item-{item_id}")


@role_required(READ)
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Serve an evidence file after re-hashing it; an altered or missing file is refused."""
    row = Evidence.objects.select_related("campaign").filter(pk=evidence_id, kind="file").first()
    if row is None:
        raise Http404(evidence_id)
    lang = request_language(request)
    try:
        data = read_file(row)
    except GuidelineError as exc:
        return _problem(request, row.campaign, [exc.message(lang)], 409)
    response = HttpResponse(data, content_type=row.content_type or "application/octet-stream")
    # Served as a download, never rendered inline: evidence is the user's file, not our page.
    response["Content-Disposition"] = _attachment(row.file_name or f"evidence-{row.pk}")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Evidence-SHA256"] = row.sha256
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# ------------------------------------------------------------------------- scores, gaps, trend


@role_required(READ)
def scores(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Roll-up by item, area and principle."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    framework = cached_framework(campaign.framework)
    card = scorecard_of(campaign, framework)
    areas = []
    for area in framework.areas:
        rows = []
        for item in area.items:
            s = card.items[item.id]
            rows.append(
                {
                    "id": item.id,
                    "name": item.name.get(lang),
                    "importance_label": t(f"guideline.web.importance.{item.importance}", lang),
                    "weight": s.weight,
                    "is_na": s.is_na,
                    "maturity": s.maturity,
                    "implementation": formatting.format_percent(s.implementation, lang, 0),
                    "answered": s.answered,
                    "applicable": s.applicable,
                }
            )
        areas.append(
            {
                "id": area.id,
                "name": area.name.get(lang),
                "score": _group_view(card.areas[area.id], lang),
                "items": rows,
            }
        )
    principles = [
        {"id": p.id, "name": p.name.get(lang), "score": _group_view(card.principles[p.id], lang)}
        for p in framework.principles
    ]
    return render(
        request,
        "assessment/scores.html",
        {
            "campaign": campaign,
            "framework_name": framework.name.get(lang),
            "overall": _group_view(card.overall, lang),
            "areas": areas,
            "principles": principles,
        },
    )


@role_required(READ)
def gaps(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Items ranked by gap priority (importance x distance to maturity 4)."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    framework = cached_framework(campaign.framework)
    card = scorecard_of(campaign, framework)
    return render(
        request,
        "assessment/gaps.html",
        {"campaign": campaign, "gaps": _gap_rows(framework, card, campaign, lang)},
    )


@role_required(READ)
def trend(request: HttpRequest) -> HttpResponse:
    """Scores of successive campaigns on one framework (optionally one scope), as an SVG chart."""
    lang = request_language(request)
    used = list(
        StoredFramework.objects.filter(campaigns__isnull=False).distinct().order_by("framework_id")
    )
    framework_id = request.GET.get("framework") or (used[0].framework_id if used else "")
    metric = request.GET.get("metric", "maturity")
    if metric not in METRICS:
        metric = "maturity"
    scope = request.GET.get("scope", "")
    row = next((f for f in used if f.framework_id == framework_id), None)
    context: dict[str, Any] = {
        "frameworks": [(f.framework_id, f.name_ja if lang == "ja" else f.name_en) for f in used],
        "framework_id": framework_id,
        "metric": metric,
        "metrics": METRICS,
        "scope": scope,
        "chart": None,
    }
    if row is not None:
        framework = cached_framework(row)
        chosen = Campaign.objects.filter(framework=row)
        scopes = sorted(
            {f"{c.scope_kind}:{c.scope_unit}" for c in chosen.only("scope_kind", "scope_unit")}
        )
        if scope:
            kind, _, unit = scope.partition(":")
            chosen = chosen.filter(scope_kind=kind, scope_unit=unit)
        points = [
            TrendPoint(c.pk, c.name, c.assessment_date, scorecard_of(c, framework))
            for c in chosen.select_related("framework")
        ]
        area_ids = [a.id for a in framework.areas]
        ordered, series = trend_series(points, area_ids, metric)
        names = {"overall": t("guideline.web.overall", lang)} | {
            a.id: a.name.get(lang) for a in framework.areas
        }
        y_max, step = (4.0, 1.0) if metric == "maturity" else (1.0, 0.25)
        chart = line_chart(len(ordered), [(s.group_id, s.values) for s in series], y_max, step)

        def show(value: float | None) -> str:
            if metric == "maturity":
                return _maturity_text(value, lang)
            return formatting.format_percent(value, lang, 0)

        context |= {
            "scopes": [
                (
                    s,
                    t(f"guideline.web.scope.{s.split(':')[0]}", lang)
                    + (f" {s.split(':', 1)[1]}" if s.split(":", 1)[1] else ""),
                )
                for s in scopes
            ],
            "chart": chart if ordered else None,
            "points": [
                {
                    "campaign": p.campaign_id,
                    "label": p.label,
                    "date": p.date,
                    "x": chart.x_ticks[i].position,
                }
                for i, p in enumerate(ordered)
            ],
            "y_ticks": [(tick.position, show(tick.value)) for tick in chart.y_ticks],
            "lines": [
                {
                    "name": names[line.key],
                    "colour": line.colour,
                    "path": line.path,
                    "dots": [(d.x, d.y, show(d.value)) for d in line.dots],
                }
                for line in chart.lines
            ],
            "table": [
                {"name": names[s.group_id], "values": [show(v) for v in s.values]} for s in series
            ],
        }
    return render(request, "assessment/trend.html", context)


@role_required(READ)
def comparison(request: HttpRequest) -> HttpResponse:
    """What moved between two campaigns on the same framework."""
    lang = request_language(request)
    all_campaigns = list(Campaign.objects.select_related("framework")[:500])
    context: dict[str, Any] = {
        "campaigns": all_campaigns,
        "a": request.GET.get("a", ""),
        "b": request.GET.get("b", ""),
        "result": None,
        "error": "",
    }
    a = next((c for c in all_campaigns if str(c.pk) == context["a"]), None)
    b = next((c for c in all_campaigns if str(c.pk) == context["b"]), None)
    if a is not None and b is not None:
        if a.framework_id != b.framework_id:
            context["error"] = t(
                "guideline.cli.different_frameworks",
                lang,
                a=a.framework.framework_id,
                b=b.framework.framework_id,
            )
        else:
            framework = cached_framework(a.framework)
            answers_a = {x.question_id: Result(x.result) for x in a.answers.all()}
            answers_b = {x.question_id: Result(x.result) for x in b.answers.all()}
            result = compare(
                framework,
                (scorecard_of(a, framework), answers_a),
                (scorecard_of(b, framework), answers_b),
            )
            names = {item.id: item.name.get(lang) for _, item in framework.items()}
            question_text = {q.id: q.text.get(lang) for _, _, q in framework.questions()}

            def label(r: Result | None) -> str:
                return t(f"guideline.result.{r.value}", lang) if r else "—"

            context["result"] = {
                "overall": (
                    _group_view(result.overall[0], lang),
                    _group_view(result.overall[1], lang),
                ),
                "areas": [
                    {
                        "name": area.name.get(lang),
                        "before": _group_view(result.areas[area.id][0], lang),
                        "after": _group_view(result.areas[area.id][1], lang),
                    }
                    for area in framework.areas
                ],
                "moved": [
                    {
                        "id": c.item_id,
                        "name": names[c.item_id],
                        "before": c.maturity_before,
                        "after": c.maturity_after,
                        "impl_before": formatting.format_percent(c.implementation_before, lang, 0),
                        "impl_after": formatting.format_percent(c.implementation_after, lang, 0),
                        "direction": c.direction,
                        "direction_label": t(f"guideline.cli.dir.{c.direction}", lang),
                    }
                    for c in result.moved()
                ],
                "questions": [
                    {
                        "id": q.question_id,
                        "text": question_text[q.question_id],
                        "before": label(q.before),
                        "after": label(q.after),
                    }
                    for q in result.questions
                ],
            }
            context["a_campaign"], context["b_campaign"] = a, b
    elif context["a"] or context["b"]:
        context["error"] = t("guideline.web.pick_two", lang)
    return render(request, "assessment/compare.html", context)


# ------------------------------------------------------------------------------------ sign-off


@role_required(EDIT)
def signoff(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Submit for review, or (another person) approve or return it."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "").strip()
    try:
        if action == "submit":
            submit_for_review(campaign, actor=_actor(request))
            done = "guideline.web.submitted"
        elif action in ("approve", "return"):
            review_independently(campaign, _actor(request), action == "approve", comment)
            done = "guideline.web.approved" if action == "approve" else "guideline.web.returned"
        else:
            return _problem(request, campaign, [t("guideline.web.bad_action", lang)], 400)
    except GuidelineError as exc:
        return _problem(request, campaign, [exc.message(lang)], 409)
    messages.success(request, t(done, lang))
    return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))


# --------------------------------------------------------------------------- workbook exchange


@role_required(READ)
def export_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign as the assessment workbook (questions with the answers so far)."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "assessment.xlsx"
        export_campaign(campaign, path, lang)
        data = path.read_bytes()
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(f"assessment-{campaign.pk}.xlsx")
    return response


@role_required(EDIT)
def import_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Record the answers of a filled-in workbook: all of them, or none with every problem."""
    campaign = _campaign_or_404(campaign_id)
    lang = request_language(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))
    upload = request.FILES.get("workbook")
    if upload is None:
        return _problem(request, campaign, [t("guideline.web.workbook_missing", lang)], 400)
    if not (upload.name or "").lower().endswith(".xlsx"):
        return _problem(
            request, campaign, [t("guideline.web.workbook_type", lang, name=upload.name)], 400
        )
    if (upload.size or 0) > ASSESSMENT_MAX_BYTES:
        limit = f"{ASSESSMENT_MAX_BYTES // (1024 * 1024)} MB"
        return _problem(
            request,
            campaign,
            [t("guideline.web.workbook_too_big", lang, name=upload.name, limit=limit)],
            400,
        )
    with tempfile.TemporaryDirectory() as folder:
        # Keep the user's file name for located messages; the folder is ours and private.
        path = Path(folder) / Path(upload.name or "upload.xlsx").name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            changed = import_campaign(campaign, path, actor=_actor(request))
        except ImportProblems as exc:
            return _problem(request, campaign, exc.messages(lang), 400)
        except GuidelineError as exc:
            return _problem(request, campaign, [exc.message(lang)], 409)
    messages.success(request, t("guideline.web.imported", lang, count=changed))
    return HttpResponseRedirect(reverse("web:assessment", args=[campaign.pk]))


# ---------------------------------------------------------------------------------- event log


@role_required(AUDIT)
def events(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Who changed, submitted and signed off what, and when (append-only log)."""
    campaign = _campaign_or_404(campaign_id)
    rows = [
        {
            "event": e,
            "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True, default=str),
        }
        for e in AssessmentEvent.objects.filter(campaign=campaign).order_by("at", "id")
    ]
    return render(request, "assessment/events.html", {"campaign": campaign, "rows": rows})


# ---------------------------------------------------------------------------------- dashboard


def dashboard_figure(request: HttpRequest) -> dict[str, Any]:
    """The dashboard card: overall maturity of the latest approved campaign (else the latest)."""
    lang = request_language(request)
    campaign = (
        Campaign.objects.select_related("framework").filter(status="approved").first()
        or Campaign.objects.select_related("framework").first()
    )
    if campaign is None:
        return {"value": None, "url": reverse("web:assessment_campaigns"), "note": ""}
    card = scorecard_of(campaign, cached_framework(campaign.framework))
    status = t(f"guideline.web.status.{campaign.status}", lang)
    return {
        "value": round(card.overall.maturity, 2) if card.overall.maturity is not None else None,
        "url": reverse("web:assessment", args=[campaign.pk]),
        "note": t("guideline.web.card_note", lang, name=campaign.name, status=status),
    }
