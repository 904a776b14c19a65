"""Notification endpoints (under ``/api/governance/notifications``).

- The caller's own notifications (in-app inbox) and marking one read; the caller's own
  preferences (e-mail on or off, per event or a daily digest, language): every role, each
  user only ever sees and changes their own.
- Webhook receivers (add, list, read, change, remove, test-send) and the delivery log of
  e-mail and webhook messages: administrators only, as on the pages — a receiver sends the
  register's content out of econsec. A new receiver's secret is on the answer to the adding
  request alone (marked no-store); no other answer carries it.
- Requests waiting for a decision (a risk's acceptance, a disclosure draft's approval) and the
  decision: everyone reads the list; administrators (or the configured risk approver) decide,
  and refusing needs a reason and puts the object back as it was before the request.

Webhook URLs are not checked against internal addresses: only administrators add them, and a
receiver inside the company network is the usual case (documented in the operations guide).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from econsec.governance import channels, notify, requests
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Notification, Webhook
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, EDIT, READ, has_capability

router = Router(tags=["notifications"])
MAX_LIST = 200
STATUSES = ("pending", "sent", "failed")


def _doc(schema: type[Schema]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _user(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _refused(request: HttpRequest, exc: GovernanceError, status: int = 400) -> HttpError:
    return HttpError(status, exc.message(request_language(request)))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- the caller's own notifications and preferences ----------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    subject: str
    body: str
    params: dict[str, Any]
    created_at: str
    read_at: str | None


def _notification_out(n: Notification, lang: str) -> dict[str, Any]:
    from econsec.i18n import t

    subject, body = notify.text(n, lang)
    return {"id": n.pk, "kind": n.kind, "kind_label": t(f"governance.notify.kind.{n.kind}", lang),
            "subject": subject, "body": body, "params": n.params,
            "created_at": n.created_at.isoformat(), "read_at": _iso(n.read_at)}  # fmt: skip


@router.get("", response=list[NotificationOut], url_name="governance_notifications")
@require(READ)
def list_notifications(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    """The caller's in-app notifications, newest first (``unread=true``: those not yet read),
    in the caller's language."""
    lang = request_language(request)
    rows = Notification.objects.filter(recipient=_user(request), channel="inbox")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [_notification_out(n, lang) for n in rows[:MAX_LIST]]


@router.post("/{notification_id}/read", response=NotificationOut,
             url_name="governance_notification_read")  # fmt: skip
@require(READ)
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read (another user's is not found: 404)."""
    user = _user(request)
    found = Notification.objects.filter(pk=notification_id, recipient=user, channel="inbox").first()
    if found is None:
        raise HttpError(404, "not found")
    notify.mark_read(user, found.pk)
    found.refresh_from_db()
    return _notification_out(found, request_language(request))


class PreferencesOut(Schema):
    email: str
    by_email: bool
    digest: bool
    language: str


class PreferencesIn(Schema):
    email: str = ""
    by_email: bool = False
    digest: bool = False
    language: str = "ja"


def _prefs_out(username: str) -> dict[str, Any]:
    pref = channels.preferences(username)
    return {"email": pref.email, "by_email": pref.by_email, "digest": pref.digest,
            "language": pref.language}  # fmt: skip


@router.get("/preferences", response=PreferencesOut, url_name="governance_preferences")
@require(READ)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    """The caller's own notification preferences (the defaults when none were saved)."""
    return _prefs_out(_user(request))


@router.put("/preferences", response=PreferencesOut, url_name="governance_preferences_change",
            openapi_extra=_doc(PreferencesIn))  # fmt: skip
@require(READ)
def put_preferences(request: HttpRequest) -> dict[str, Any]:
    """Replace the caller's own preferences (an e-mail channel needs an address)."""
    body = json_body(request, PreferencesIn)
    try:
        channels.save_preferences(_user(request), **body.model_dump())
    except GovernanceError as exc:
        raise _refused(request, exc) from exc
    return _prefs_out(_user(request))


# --- webhook receivers and the delivery log (administrators) -------------------------------


class WebhookOut(Schema):
    id: int
    url: str
    kinds: list[str]
    active: bool


class WebhookCreated(WebhookOut):
    secret: str


class WebhookIn(Schema):
    url: str
    kinds: list[str] = []


class WebhookChange(Schema):
    url: str | None = None
    kinds: list[str] | None = None
    active: bool | None = None


def _hook_out(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.pk, "url": hook.url, "kinds": list(hook.kinds), "active": hook.active}


def _hook(hook_id: int) -> Webhook:
    found = Webhook.objects.filter(pk=hook_id).first()
    if found is None:
        raise HttpError(404, "not found")
    return found


@router.get("/webhooks", response=list[WebhookOut], url_name="governance_webhooks")
@require(ADMIN)
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every receiver (never its secret)."""
    return [_hook_out(h) for h in Webhook.objects.order_by("pk")]


@router.post("/webhooks", response={201: WebhookCreated}, url_name="governance_webhook_create",
             openapi_extra=_doc(WebhookIn))  # fmt: skip
@require(ADMIN)
def create_webhook(request: HttpRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    """Add a receiver (``kinds`` empty: every kind). The answer carries the signing secret —
    the only time it is given out; keep it with the receiver."""
    body = json_body(request, WebhookIn)
    try:
        hook, secret = channels.add_webhook(body.url, body.kinds, actor=_user(request))
    except GovernanceError as exc:
        raise _refused(request, exc) from exc
    response["Cache-Control"] = "no-store"
    return Status(201, {**_hook_out(hook), "secret": secret})


@router.get("/webhooks/{hook_id}", response=WebhookOut, url_name="governance_webhook")
@require(ADMIN)
def get_webhook(request: HttpRequest, hook_id: int) -> dict[str, Any]:
    return _hook_out(_hook(hook_id))


@router.put("/webhooks/{hook_id}", response=WebhookOut, url_name="governance_webhook_change",
            openapi_extra=_doc(WebhookChange))  # fmt: skip
@require(ADMIN)
def change_webhook(request: HttpRequest, hook_id: int) -> dict[str, Any]:
    """Change the address, the kinds or whether it is active (``webhook.changed`` in the audit
    trail); the secret stays."""
    hook = _hook(hook_id)
    body = json_body(request, WebhookChange)
    try:
        channels.change_webhook(hook, actor=_user(request), **body.model_dump())
    except GovernanceError as exc:
        raise _refused(request, exc) from exc
    return _hook_out(hook)


@router.delete("/webhooks/{hook_id}", response={204: None}, url_name="governance_webhook_delete")
@require(ADMIN)
def delete_webhook(request: HttpRequest, hook_id: int) -> Status[None]:
    """Remove a receiver; its pending deliveries fail with the reason (kept in the log)."""
    channels.remove_webhook(_hook(hook_id), actor=_user(request))
    return Status(204, None)


class DeliveryOut(Schema):
    id: int
    kind: str
    channel: str
    recipient: str
    address: str
    webhook_id: int | None
    status: str
    attempts: int
    last_error: str
    created_at: str
    next_attempt_at: str | None
    sent_at: str | None


def _delivery_out(n: Notification) -> dict[str, Any]:
    return {"id": n.pk, "kind": n.kind, "channel": n.channel, "recipient": n.recipient,
            "address": n.address, "webhook_id": n.webhook_id, "status": n.status,
            "attempts": n.attempts, "last_error": n.last_error,
            "created_at": n.created_at.isoformat(),
            "next_attempt_at": _iso(n.next_attempt_at) if n.status == "pending" else None,
            "sent_at": _iso(n.sent_at)}  # fmt: skip


@router.post("/webhooks/{hook_id}/test", response=DeliveryOut,
             url_name="governance_webhook_test")  # fmt: skip
@require(ADMIN)
def test_webhook(request: HttpRequest, hook_id: int) -> dict[str, Any]:
    """Send a signed test message to the receiver now; the answer is the delivery's outcome
    (sent, or pending with the error and the next attempt)."""
    return _delivery_out(channels.send_test(_hook(hook_id), actor=_user(request)))


@router.get("/deliveries", response=list[DeliveryOut], url_name="governance_deliveries")
@require(ADMIN)
def list_deliveries(
    request: HttpRequest, status: str = "", channel: str = ""
) -> list[dict[str, Any]]:
    """The e-mail and webhook delivery log, newest first: every attempt's outcome stays
    visible (``status``: pending, sent, failed; ``channel``: email, webhook)."""
    rows = Notification.objects.filter(channel__in=("email", "webhook"))
    for field, value, allowed in (("status", status, STATUSES),
                                  ("channel", channel, ("email", "webhook"))):  # fmt: skip
        if value and value not in allowed:
            raise _refused(request, GovernanceError("governance.deliveries.bad_filter",
                                                    field=field, value=value[:20],
                                                    allowed=", ".join(allowed)))  # fmt: skip
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    return [_delivery_out(n) for n in rows[:MAX_LIST]]


# --- requests waiting for a decision -------------------------------------------------------


class RequestOut(Schema):
    ref: str
    kind: str
    kind_label: str
    what: str
    requested_by: str
    requested_at: str | None
    reason: str
    may_decide: bool


class DecisionIn(Schema):
    ref: str
    decision: str
    reason: str = ""


def _request_out(r: requests.PendingRequest, request: HttpRequest) -> dict[str, Any]:
    from econsec.i18n import t

    lang = request_language(request)
    admin = has_capability(request.user, ADMIN)
    return {"ref": r.ref, "kind": r.kind, "kind_label": t(f"governance.request.kind.{r.kind}", lang),
            "what": r.what[lang], "requested_by": r.requested_by,
            "requested_at": _iso(r.requested_at), "reason": r.reason,
            "may_decide": requests.may_decide(r.ref, _user(request), is_administrator=admin)}  # fmt: skip


@router.get("/requests", response=list[RequestOut], url_name="governance_requests")
@require(READ)
def list_requests(request: HttpRequest) -> list[dict[str, Any]]:
    """Risk acceptances and disclosure approvals waiting for a decision, oldest first."""
    return [_request_out(r, request) for r in requests.pending()]


@router.post("/requests/decide", response=RequestOut, url_name="governance_request_decide",
             openapi_extra=_doc(DecisionIn))  # fmt: skip
@require(EDIT)
def decide_request(request: HttpRequest) -> dict[str, Any]:
    """Approve or refuse a request (``decision``: approve, refuse). Refusing needs a reason
    and restores the state before the request; the requester is told either way."""
    body = json_body(request, DecisionIn)
    admin = has_capability(request.user, ADMIN)
    try:
        decided = requests.decide(body.ref, body.decision, actor=_user(request),
                                  is_administrator=admin, reason=body.reason)  # fmt: skip
    except GovernanceError as exc:
        status = requests.STATUS.get(exc.key, 400)
        raise _refused(request, exc, status) from exc
    return _request_out(decided, request)
