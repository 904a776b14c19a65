"""Governance pages: overview (heat map, indicators, overdue actions, RACI), the risk register,
indicators with trends and reasons, actions, the inbox, the audit trail's status, disclosure.

Reading is open to every role; changes need ``edit``; accepting a risk and approving a
disclosure need ``admin`` (or the configured approver); the audit verification needs ``audit``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.governance import actions, chain, kri, linked, notify, requests, risks, structure
from econsec.governance import disclosure as drafts
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Action, AuditEvent, Disclosure, Risk, RiskLink
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, AUDIT, EDIT, READ, has_capability, role_required


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _render(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"lang": request_language(request), "link_kinds": RiskLink.KINDS, **context}
    return render(request, name, context, status=status)


def _user(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _heat(rated: list[risks.Rated]) -> list[dict[str, Any]]:
    """Rows from likelihood 5 down to 1, each with five cells (impact 1–5) and a band."""
    cells = risks.heat_map(rated, residual=True)
    rows = []
    for li in reversed(range(5)):
        row = []
        for ii in range(5):
            score = (li + 1) * (ii + 1)
            band = "red" if score >= 15 else "amber" if score >= 6 else "green"
            row.append({"codes": cells[li][ii], "band": band})
        rows.append({"likelihood": li + 1, "cells": row})
    return rows


def _kri_rows(lang: str) -> list[dict[str, Any]]:
    rows = []
    for d, v in kri.latest():
        series = kri.trend(d.key)
        reasons = [kri.explain(d.formula, r, lang) for r in (v.reasons if v else [])[:10]]
        rows.append({"key": d.key, "label": d.label(lang), "value": v, "reasons": reasons,
                     "formula": d.formula, "spark": _spark([s.value for s in series]),
                     "amber": d.amber, "red": d.red})  # fmt: skip
    return rows


def _spark(values: list[float]) -> str:
    """SVG polyline points for a small trend line (80 × 20)."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = 80 / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{20 - 18 * (v - low) / span - 1:.1f}" for i, v in enumerate(values)
    )


@role_required(READ)
def overview(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    rated = risks.rate_all(Risk.objects.all())
    return _render(request, "governance/overview.html", {
        "heat": _heat(rated), "kris": _kri_rows(lang), "overdue": actions.overdue()[:20],
        "due_soon": actions.due_soon()[:20], "raci": structure.raci(),
        "risk_count": len(rated),
    })  # fmt: skip


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip()[:100] for k in ("area", "owner", "treatment")}


@role_required(READ)
def risk_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    qs = Risk.objects.all()
    if filters["area"]:
        qs = qs.filter(area__startswith=filters["area"])
    if filters["owner"]:
        qs = qs.filter(owner__icontains=filters["owner"])
    if filters["treatment"] in Risk.TREATMENTS:
        qs = qs.filter(treatment=filters["treatment"])
    rated = risks.rate_all(qs)
    return _render(request, "governance/risks.html", {
        "rated": rated, "filters": filters, "treatments": Risk.TREATMENTS,
        "can_edit": has_capability(request.user, EDIT), "heat": _heat(rated),
    })  # fmt: skip


def _level(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # refused by the engine with the field named


def _number(value: str) -> float | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return -1.0


_RISK_TEXT = ("title_ja", "title_en", "description_ja", "description_en", "area", "owner",
              "causes", "consequences", "treatment")  # fmt: skip


def _risk_fields(request: HttpRequest) -> dict[str, Any]:
    fields: dict[str, Any] = {k: request.POST.get(k, "").strip() for k in _RISK_TEXT}
    fields["likelihood"] = _level(request.POST.get("likelihood", "3")) or 3
    for name in ("residual_likelihood", "residual_impact"):
        fields[name] = _level(request.POST.get(name, ""))
    fields["entered_impact"] = _number(request.POST.get("entered_impact", ""))
    return fields


@role_required(EDIT)
def risk_new(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    error, form = "", {}
    if request.method == "POST":
        form = dict(request.POST.items())
        code = request.POST.get("code", "").strip()
        try:
            risks.create(code, actor=_user(request), **_risk_fields(request))
        except GovernanceError as exc:
            error = exc.message(lang)
        else:
            return _see_other(reverse("web:governance_risk", args=[code]))
    return _render(request, "governance/risk_new.html",
                  {"error": error, "form": form, "treatments": Risk.TREATMENTS},
                  status=400 if error else 200)  # fmt: skip


def _render_risk(
    request: HttpRequest, risk: Risk, error: str = "", status: int = 200
) -> HttpResponse:
    lang = request_language(request)
    stored = linked.Stored()
    rated = risks.rate(risk, stored)
    figures = [{"f": f, "note": linked.note(f, lang)} for f in linked.figures(risk, stored)]
    history = risks.history(risk)
    for a in risk.actions.all():
        history += list(AuditEvent.objects.filter(object_ref=f"action:{a.pk}"))
    history.sort(key=lambda e: e.seq)
    return _render(request, "governance/risk.html", {
        "r": rated, "risk": risk, "figures": figures, "links": risk.links.all(),
        "actions": risk.actions.all(),
        "history": history, "error": error, "treatments": Risk.TREATMENTS,
        "can_edit": has_capability(request.user, EDIT),
        "can_accept": has_capability(request.user, ADMIN), "lang": lang,
        "accountable": structure.accountable(risk.area), "can_decide": _may_decide_risk(request, risk),
    }, status=status)  # fmt: skip


def _may_decide_risk(request: HttpRequest, risk: Risk) -> bool:
    """An acceptance waits for a decision and this reader may take it (an administrator, or the
    configured risk approver)."""
    return (
        requests.is_pending(risk)
        and has_capability(request.user, EDIT)
        and requests.may_decide(
            f"risk:{risk.code}",
            _user(request),
            is_administrator=has_capability(request.user, ADMIN),
        )
    )


@role_required(READ)
def risk_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_risk(request, get_object_or_404(Risk, code=code))


@require_POST
@role_required(EDIT)
def risk_change(request: HttpRequest, code: str) -> HttpResponse:
    risk = get_object_or_404(Risk, code=code)
    lang = request_language(request)
    fields = {k: v for k, v in _risk_fields(request).items() if k in request.POST}
    if fields.get("treatment") == risk.treatment:
        fields.pop("treatment")
    try:
        if "link_kind" in request.POST:
            structure.link(risk, request.POST["link_kind"], request.POST.get("link_ref", ""),
                           request.POST.get("link_label", ""), actor=_user(request))  # fmt: skip
        if not fields and "link_kind" not in request.POST:
            raise GovernanceError("governance.web.nothing_changed")
        risks.change(risk, actor=_user(request), reason=request.POST.get("reason", ""), **fields)
    except GovernanceError as exc:
        risk.refresh_from_db()
        return _render_risk(request, risk, exc.message(lang), status=400)
    return _see_other(reverse("web:governance_risk", args=[risk.code]))


@require_POST
@role_required(EDIT)
def risk_request_acceptance(request: HttpRequest, code: str) -> HttpResponse:
    risk = get_object_or_404(Risk, code=code)
    try:
        risks.request_acceptance(risk, actor=_user(request), reason=request.POST.get("reason", ""))
    except GovernanceError as exc:
        risk.refresh_from_db()
        return _render_risk(request, risk, exc.message(request_language(request)), status=400)
    return _see_other(reverse("web:governance_risk", args=[risk.code]))


@require_POST
@role_required(ADMIN)
def risk_accept(request: HttpRequest, code: str) -> HttpResponse:
    risk = get_object_or_404(Risk, code=code)
    try:
        risks.accept(risk, approver=_user(request), is_administrator=True,
                     reason=request.POST.get("reason", ""))  # fmt: skip
    except GovernanceError as exc:
        risk.refresh_from_db()
        return _render_risk(request, risk, exc.message(request_language(request)), status=400)
    return _see_other(reverse("web:governance_risk", args=[risk.code]))


@role_required(READ)
def kri_list(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    return _render(request, "governance/kris.html", {
        "kris": _kri_rows(lang), "can_edit": has_capability(request.user, EDIT),
    })  # fmt: skip


@require_POST
@role_required(EDIT)
def kri_compute(request: HttpRequest) -> HttpResponse:
    kri.compute_all()
    return _see_other(reverse("web:governance_kris"))


@role_required(READ)
def action_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "governance/actions.html", {
        "overdue": actions.overdue(), "due_soon": actions.due_soon(),
        "all": Action.objects.select_related("risk")[:500], "risks": Risk.objects.all(),
        "can_edit": has_capability(request.user, EDIT), "today": dt.date.today(),
    })  # fmt: skip


def _date(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return value


@require_POST
@role_required(EDIT)
def action_new(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    risk = Risk.objects.filter(code=request.POST.get("risk", "")).first()
    try:
        made = actions.create(
            actor=_user(request), risk=risk, title_ja=request.POST.get("title_ja", "").strip(),
            title_en=request.POST.get("title_en", "").strip(),
            owner=request.POST.get("owner", "").strip(), due=_date(request.POST.get("due", "")),
            target_likelihood=_level(request.POST.get("target_likelihood", "")),
            target_impact=_level(request.POST.get("target_impact", "")),
        )  # fmt: skip
    except GovernanceError as exc:
        return _render(request, "governance/actions.html", {
            "overdue": actions.overdue(), "due_soon": actions.due_soon(),
            "all": Action.objects.select_related("risk")[:500], "risks": Risk.objects.all(),
            "can_edit": True, "error": exc.message(lang), "form": dict(request.POST.items()),
        }, status=400)  # fmt: skip
    return _see_other(reverse("web:governance_action", args=[made.pk]))


def _render_action(
    request: HttpRequest, action: Action, error: str = "", status: int = 200
) -> HttpResponse:
    history = list(AuditEvent.objects.filter(object_ref=f"action:{action.pk}"))
    return _render(request, "governance/action.html", {
        "action": action, "comments": action.comments.all(), "history": history,
        "statuses": Action.STATUSES, "error": error,
        "can_edit": has_capability(request.user, EDIT),
    }, status=status)  # fmt: skip


@role_required(READ)
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    return _render_action(request, get_object_or_404(Action, pk=action_id))


@require_POST
@role_required(EDIT)
def action_change(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=action_id)
    fields: dict[str, Any] = {}
    for name in ("status", "evidence", "owner"):
        if name in request.POST and request.POST[name].strip() != getattr(action, name):
            fields[name] = request.POST[name].strip()
    if request.POST.get("due"):
        fields["due"] = _date(request.POST["due"])
    try:
        if request.POST.get("comment", "").strip():
            actions.comment(action, author=_user(request), text=request.POST["comment"])
        elif not fields:
            raise GovernanceError("governance.web.nothing_changed")
        if fields:
            actions.change(action, actor=_user(request), **fields)
    except GovernanceError as exc:
        action.refresh_from_db()
        return _render_action(request, action, exc.message(request_language(request)), 400)
    return _see_other(reverse("web:governance_action", args=[action.pk]))


@role_required(READ)
def inbox(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    user = _user(request)
    if request.method == "POST":
        pk = request.POST.get("read", "")
        if not pk.isdigit() or not notify.mark_read(user, int(pk)):
            raise Http404
        return _see_other(reverse("web:governance_inbox"))
    rows = [
        {"n": n, "text": notify.text(n, lang), "link": notify.link(n)} for n in notify.inbox(user)
    ]
    return _render(request, "governance/inbox.html", {"rows": rows, "waiting": _waiting(request)})


def request_page(ref: str) -> str:
    """The page where the request ``ref`` is decided."""
    if ref.startswith("risk:"):
        return reverse("web:governance_risk", args=[ref.removeprefix("risk:")])
    return reverse("web:governance_disclosure")


def _waiting(request: HttpRequest) -> list[dict[str, str]]:
    """The requests this reader may decide, each with its page."""
    if not has_capability(request.user, EDIT):
        return []
    user, admin = _user(request), has_capability(request.user, ADMIN)
    lang = request_language(request)
    return [
        {
            "what": r.what[lang],
            "by": r.requested_by,
            "reason": r.reason,
            "link": request_page(r.ref),
        }
        for r in requests.pending()
        if requests.may_decide(r.ref, user, is_administrator=admin)
    ]


@role_required(AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    result = chain.verify()
    recent = AuditEvent.objects.order_by("-seq")[:50]
    return _render(request, "governance/audit.html", {"result": result, "recent": recent})


def _render_disclosure(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    records = {k: list(Disclosure.objects.filter(kind=k)[:10]) for k in Disclosure.KINDS}
    return _render(request, "governance/disclosure.html", {
        "records": records, "error": error, "can_edit": has_capability(request.user, EDIT),
        "can_approve": has_capability(request.user, ADMIN),
    }, status=status)  # fmt: skip


@role_required(READ)
def disclosure(request: HttpRequest) -> HttpResponse:
    return _render_disclosure(request)


@require_POST
@role_required(EDIT)
def disclosure_save(request: HttpRequest) -> HttpResponse:
    """Generate a new draft version, or store an edited text as a new version."""
    kind = request.POST.get("kind", "")
    try:
        if "text_ja" in request.POST and "text_en" in request.POST:
            base = Disclosure.objects.filter(kind=kind).first()
            drafts.save(kind, actor=_user(request), text_ja=request.POST["text_ja"],
                            text_en=request.POST["text_en"],
                            sources=base.sources if base else [])  # fmt: skip
        else:
            drafts.save(kind, actor=_user(request))
    except GovernanceError as exc:
        return _render_disclosure(request, exc.message(request_language(request)), 400)
    return _see_other(reverse("web:governance_disclosure"))


@require_POST
@role_required(EDIT)
def disclosure_request(request: HttpRequest, record_id: int) -> HttpResponse:
    """Ask the administrators to approve this version (the inbox, e-mail and webhooks tell them)."""
    record = get_object_or_404(Disclosure, pk=record_id)
    try:
        drafts.request_approval(record, actor=_user(request))
    except GovernanceError as exc:
        return _render_disclosure(request, exc.message(request_language(request)), 409)
    return _see_other(reverse("web:governance_disclosure"))


@require_POST
@role_required(ADMIN)
def disclosure_approve(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(Disclosure, pk=record_id)
    drafts.approve(record, approver=_user(request), is_administrator=True)
    return _see_other(reverse("web:governance_disclosure"))
