"""Asking the suppliers in an event's footprint to confirm the impact.

Who is asked: the organisations (other than ourselves) whose sites the event hits directly —
a node taken down there or a link leaving there closed — as matching finds them on the current
chain. The analyst gives the address (the value chain keeps none) and the language; the e-mail
is sent by the job worker (``monitoring.requests``), never inside a web request, through
Django's mail settings (the ones governance's notifications use). The supplier's answer is
recorded by the analyst. Each step joins the alert's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from econsec.i18n import t
from econsec.monitoring import models as m
from econsec.monitoring.errors import MonitoringError

JOB_KIND = "monitoring.requests"


def footprint_sites(event: m.Event) -> list[str]:
    """Ids of the sites the event hits: sites it names or places it at, and the suppliers' sites
    of the links it closes (what the event page maps)."""
    from econsec.monitoring.match import match
    from econsec.monitoring.service import chain_index, footprint_of

    index, _ = chain_index()
    chain = index.chain
    hits = match(index, footprint_of(event))
    sites = {int(chain.node_site[n]) for n in hits.nodes.tolist()}
    sites |= {int(chain.node_site[chain.link_src[x]]) for x in hits.links.tolist()}
    return sorted(chain.site_ids[s] for s in sites)


def footprint_suppliers(event: m.Event, sites: list[str] | None = None) -> list[tuple[str, str]]:
    """(org id, name) of the organisations whose sites the event hits, ourselves excluded;
    ``sites`` are the event's :func:`footprint_sites` when the caller has them already."""
    from econsec.monitoring.service import chain_index
    from econsec.valuechain.compiled import ORG_KINDS

    index, _ = chain_index()
    chain = index.chain
    if sites is None:
        sites = footprint_sites(event)
    at = {s: i for i, s in enumerate(chain.site_ids)}
    own = ORG_KINDS.index("self")
    orgs = {int(chain.site_org[at[s]]) for s in sites if s in at}
    return sorted(
        (chain.org_ids[o], chain.org_names[o] or chain.org_ids[o])
        for o in orgs
        if int(chain.org_kind[o]) != own
    )


def request(alert: m.Alert, org_id: str, email: str, *, lang: str, actor: str) -> m.SupplierRequest:
    """Queue a request to ``org_id`` (which must be in the footprint) at ``email``."""
    email = email.strip()
    try:
        validate_email(email)  # also refuses line breaks: no header injection
    except ValidationError as exc:
        raise MonitoringError("monitoring.request.bad_email", value=email[:100]) from exc
    names = dict(footprint_suppliers(alert.event))
    if org_id not in names:
        raise MonitoringError("monitoring.request.not_in_footprint", org=org_id[:100])
    try:
        with transaction.atomic():
            made = m.SupplierRequest.objects.create(
                alert=alert, org_id=org_id, org_name=names[org_id][:500], email=email,
                lang="en" if lang == "en" else "ja", created_by=actor,
            )  # fmt: skip
            m.AlertNote.objects.create(alert=alert, author=actor, kind="request",
                                       text=f"{org_id} <{email}>")  # fmt: skip
    except IntegrityError as exc:
        raise MonitoringError("monitoring.request.exists", org=org_id) from exc
    return made


def answer(req: m.SupplierRequest, value: str, note: str, *, actor: str) -> m.SupplierRequest:
    from econsec.characters import unwanted

    if value not in m.SupplierRequest.ANSWERS:
        raise MonitoringError("monitoring.request.bad_answer", value=value[:40],
                              expected=", ".join(m.SupplierRequest.ANSWERS))  # fmt: skip
    bad = unwanted(note)
    if bad is not None:
        raise MonitoringError("monitoring.event.bad_character", where="answer", field="note",
                              at=bad[0], char=bad[1])  # fmt: skip
    with transaction.atomic():
        req.answer, req.answer_note = value, note.strip()[:5000]
        req.answered_by, req.answered_at = actor, timezone.now()
        req.save()
        m.AlertNote.objects.create(alert=req.alert, author=actor, kind="answer",
                                   text=f"{req.org_id}: {value} {req.answer_note}".strip())  # fmt: skip
    return req


def message(req: m.SupplierRequest) -> tuple[str, str]:
    """Subject and body of the request in the supplier's language."""
    event = req.alert.event
    title = (event.title_ja or event.title_en) if req.lang == "ja" else (
        event.title_en or event.title_ja)  # fmt: skip
    params = {"org": req.org_name or req.org_id, "event": title, "url": event.url or "-"}
    return (t("monitoring.request.subject", req.lang, **params),
            t("monitoring.request.body", req.lang, **params))  # fmt: skip


REQUEUE_AFTER = dt.timedelta(minutes=10)


def due(now: dt.datetime | None = None) -> list[tuple[str, dict[str, Any]]]:
    """A send job when requests wait (polled by the job worker's scheduler).

    Queuing stamps the waiting requests, so the next poll does not queue another job for them;
    a request still waiting ten minutes later (its job lost with a worker) is queued again.
    """
    now = now or timezone.now()
    waiting = m.SupplierRequest.objects.filter(status="queued").filter(
        Q(queued_job_at__isnull=True) | Q(queued_job_at__lt=now - REQUEUE_AFTER)
    )
    return [(JOB_KIND, {})] if waiting.update(queued_job_at=now) else []


def send_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Send every queued request once; a failure is kept on the request, shown on the page."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    counts = {"sent": 0, "failed": 0}
    # Claim each row before sending, so two workers never send the same request twice.
    for pk in list(m.SupplierRequest.objects.filter(status="queued").values_list("pk", flat=True)):
        if not m.SupplierRequest.objects.filter(pk=pk, status="queued").update(status="sending"):
            continue
        req = m.SupplierRequest.objects.select_related("alert__event").get(pk=pk)
        subject, body = message(req)
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [req.email]).send()
        except Exception as exc:  # SMTP errors of every kind: recorded, the next one goes on
            req.status, req.last_error = "failed", str(exc)[:500]
            counts["failed"] += 1
        else:
            req.status, req.sent_at, req.last_error = "sent", timezone.now(), ""
            counts["sent"] += 1
        req.save()
    progress(1.0, "monitoring.request.progress", **counts)
    return counts
