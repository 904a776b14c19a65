"""The analyst's survey pages: campaigns, one campaign's suppliers and changes, merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from econsec.i18n import t
from econsec.survey.answers import Problem
from econsec.survey.models import Campaign, Request
from econsec.survey.progress import progress
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, has_capability, role_required

MAX_CHANGES_SHOWN = 300


def _coverage() -> list[dict[str, Any]]:
    from econsec.survey.coverage import product_coverage
    from econsec.valuechain.store_io import compile_store, current_version

    if not current_version():
        return []
    return [
        {"item": c.item_id, "name": c.name, "tiers": c.by_tier, "unknown": c.unknown_origin}
        for c in product_coverage(compile_store())
    ]


@role_required(READ)
def index(request: HttpRequest) -> HttpResponse:
    """Campaigns with their response rates, and each product's mapped tiers."""
    campaigns = []
    for campaign in Campaign.objects.all()[:100]:
        state = progress(campaign)
        campaigns.append({"c": campaign, "total": state.total, "rate": state.response_rate()})
    return render(request, "survey/index.html", {"campaigns": campaigns, "coverage": _coverage(),
                                                 "can_edit": has_capability(request.user, EDIT)})  # fmt: skip


@role_required(EDIT)
def new_campaign(request: HttpRequest) -> HttpResponse:
    """Create a campaign: filters, then the suppliers they pick (untick any), their addresses,
    the workbooks' language and the links' expiry. "preview" lists; "create" stores."""
    from econsec.survey.campaigns import create, select
    from econsec.survey.mail import is_address
    from econsec.valuechain.store_io import current_version

    from . import forms

    lang = request_language(request)
    values: dict[str, Any] = forms.defaults()
    errors: dict[str, str] = {}
    chosen: list[dict[str, Any]] = []
    ticked: set[str] = set()
    emails: dict[str, str] = {}
    status = 200
    if not current_version():
        errors["store"] = t("survey.cli.empty_store", lang)
    elif request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        form = forms.read(request.POST, lang)
        errors = form.errors
        if not errors:
            chosen = select(form.selection)
            known = {c["org_id"] for c in chosen}
            ticked = set(request.POST.getlist("org")) if "picked" in request.POST else known
            emails = {o: request.POST.get(f"email-{o}", "").strip() for o in known}
            emails = {o: a for o, a in emails.items() if a}
            if ticked - known:
                errors["org"] = t("survey.web.form.not_selected", lang,
                                  value=", ".join(sorted(ticked - known))[:100])  # fmt: skip
            bad = sorted(o for o, a in emails.items() if not is_address(a))
            if bad:
                errors["email"] = t("survey.web.form.email", lang, value=", ".join(bad)[:100])
            if request.POST.get("action") == "create" and not errors:
                if not ticked:
                    errors["org"] = t("survey.web.form.none_picked", lang)
                else:
                    campaign = create(form.name, form.year, form.selection,
                                      language=form.language, token_days=form.token_days,
                                      created_by=request.user.get_username(), only=ticked,
                                      emails={o: a for o, a in emails.items() if o in ticked})  # fmt: skip
                    messages.success(request, t("survey.web.form.created", lang,
                                                count=campaign.requests.count()))  # fmt: skip
                    return _see_campaign(campaign.pk)
        status = 400 if errors else 200
    return render(request, "survey/new.html", {
        "v": values, "errors": errors, "chosen": chosen, "ticked": ticked, "emails": emails,
        "languages": ("ja", "en", "zh"),
    }, status=status)  # fmt: skip


@role_required(READ)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    from econsec.survey.merge import preview

    lang = request_language(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    state = progress(campaign)
    rows = []
    mailed = _last_mailings(campaign)
    for req in campaign.requests.all():
        latest = req.answers.first()
        errors = [Problem.from_dict(p).message(lang) for p in (latest.errors if latest else [])]
        rows.append({"r": req, "errors": errors[:5], "more": max(0, len(errors) - 5),
                     "mail": mailed.get(req.pk)})  # fmt: skip
    plan = preview(campaign)
    tiers = [{"tier": k, "counts": [v.get(s, 0) for s in state.statuses],
              "rate": state.response_rate(k)} for k, v in state.by_tier.items()]  # fmt: skip
    changes = [
        {"key": c.key, "kind": t(f"survey.change.{c.kind}", lang), "org": c.org_id,
         "values": ", ".join(f"{k}={v}" for k, v in c.values.items() if v is not None)}
        for c in plan.changes[:MAX_CHANGES_SHOWN]
    ]  # fmt: skip
    conflicts = [f"{c.org_id}: {t(c.code, lang, **c.params)}" for c in plan.conflicts]
    return render(request, "survey/campaign.html", {
        "campaign": campaign, "rows": rows, "tiers": tiers, "statuses": state.statuses,
        "changes": changes, "more_changes": max(0, len(plan.changes) - MAX_CHANGES_SHOWN),
        "conflicts": conflicts, "can_edit": has_capability(request.user, EDIT),
    })  # fmt: skip


@role_required(EDIT)
def merge_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Merge the pending answers; changes left unticked are left out."""
    from econsec.survey.merge import merge, preview
    from econsec.valuechain.intake.issues import IntakeError

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    lang = request_language(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    ticked = set(request.POST.getlist("accept"))
    plan = preview(campaign)
    if not plan.changes:
        messages.info(request, t("survey.cli.nothing", lang))
        return _see_campaign(campaign.pk)
    exclude = (
        {c.key for c in plan.changes if c.key not in ticked} if "partial" in request.POST else set()
    )
    try:
        outcome = merge(campaign, exclude)
    except IntakeError as exc:
        for issue in exc.issues[:10]:
            messages.error(request, issue.render(lang))
        messages.error(request, t("survey.cli.not_merged", lang))
        return _see_campaign(campaign.pk)
    messages.success(request, t("survey.cli.merged", lang, count=len(outcome.merged),
                                version=outcome.data_version[:12]))  # fmt: skip
    return _see_campaign(campaign.pk)


def _last_mailings(campaign: Campaign) -> dict[int, Any]:
    """Each request's latest e-mail (invitation or reminder)."""
    from econsec.survey.models import Mailing

    found: dict[int, Any] = {}
    for m in Mailing.objects.filter(request__campaign=campaign).order_by("created_at", "id"):
        found[m.request_id] = m
    return found


def _see_campaign(campaign_id: int) -> HttpResponse:
    response = HttpResponseRedirect(reverse("web:survey_campaign", args=[campaign_id]))
    response.status_code = 303  # after a POST: the browser GETs the campaign page
    return response


@role_required(EDIT)
def send_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Queue the e-mails to the suppliers not yet sent to (a background job)."""
    from econsec.survey.mail import SEND_KIND
    from econsec.web.jobs import enqueue
    from econsec.web.responses import see_other

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    job = enqueue(SEND_KIND, user=request.user,
                  params={"campaign": campaign.pk, "base_url": request.build_absolute_uri("/")})  # fmt: skip
    return see_other(reverse("web:job", args=[job.pk]))


@role_required(READ)
def workbook(request: HttpRequest, campaign_id: int, org_id: str) -> HttpResponse:
    """One supplier's pre-filled workbook (to send by e-mail)."""
    from econsec.survey.campaigns import brief, load_chain
    from econsec.survey.questionnaire import fill
    from econsec.survey.sending import earlier_answers

    req = get_object_or_404(Request, campaign_id=campaign_id, org_id=org_id)
    made = brief(req, load_chain(), earlier_answers(req.campaign).get(org_id))
    response = HttpResponse(fill(made), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{made.file_name()}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def coverage_card(request: Any) -> dict[str, Any]:
    """Dashboard card: the share of product inputs of unknown origin (worst product named)."""
    lang = request_language(request)
    rows = _coverage()
    url = reverse("web:survey")
    if not rows:
        return {"value": "—", "note": t("survey.web.card.none", lang), "url": url}
    worst = max(rows, key=lambda r: r["unknown"])
    mean = sum(r["unknown"] for r in rows) / len(rows)
    note = t(
        "survey.web.card.note", lang, item=worst["item"], unknown=f"{100 * worst['unknown']:.0f}%"
    )
    return {"value": f"{100 * mean:.0f}%", "note": note, "url": url}
