"""Notifications raised by what other capabilities record: a new screening hit, a sign-off
requested, a monitoring alert that reaches our products. :mod:`econsec.governance.hooks` calls
these from the screening and assessment event logs and the monitoring alerts (models named by
label), so no capability imports governance."""

from __future__ import annotations

from typing import Any

from econsec.governance import notify
from econsec.governance.models import Notification
from econsec.governance.recipients import administrators, editors, owner_or_editors
from econsec.i18n import t

# Screening events that mean a counterparty matched a list entry for the first time.
NEW_HIT_ACTIONS = ("hit_raised", "ownership_flag")
SUBMITTED = "campaign.submitted"


def new_screening_hit(object_ref: str, *, actor: str) -> list[Notification]:
    """Tell the users who review hits; ``object_ref`` is the screening log's ``hit:<id>``."""
    from econsec.screening.models import Hit

    pk = object_ref.removeprefix("hit:")
    hit = Hit.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if hit is None:
        return []
    params = {"hit": hit.pk, "subject": hit.subject_name[:200], "subject_ref": hit.subject_ref,
              "list": hit.list_name, "entity": hit.entity_name[:200], "score": round(hit.score, 3),
              "via": hit.via}  # fmt: skip
    return notify.raise_event(
        "screening_hit", params, recipients=editors(), dedupe=f"screening_hit:{hit.pk}"
    )


def request_signoff(
    what: dict[str, str], *, ref: str, by: str, recipients: list[str], dedupe: str
) -> list[Notification]:
    """One "sign-off requested" event; ``what`` names the thing in ja and en."""
    params: dict[str, Any] = {"what": what, "ref": ref, "by": by or "-"}
    return notify.raise_event("signoff_requested", params, recipients=recipients, dedupe=dedupe)


def assessment_submitted(campaign_id: int, event_id: int, *, actor: str) -> list[Notification]:
    """A campaign handed in for review: tell those who may sign it off — analysts and
    administrators who did not contribute to it (separation of duties would refuse them)."""
    from econsec.guideline.models import Campaign
    from econsec.guideline.signoff import contributors

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return []
    excluded = contributors(campaign) | {actor}
    reviewers = [u for u in editors() if u not in excluded] or administrators()
    what = {"ja": f"自己評価「{campaign.name}」", "en": f"the self-assessment '{campaign.name}'"}
    return request_signoff(what, ref=f"campaign:{campaign.pk}", by=actor, recipients=reviewers,
                           dedupe=f"signoff_requested:campaign:{event_id}")  # fmt: skip


# Monitoring alerts: the order of severities and the setting naming the lowest that notifies.
SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}
NOTIFY_SETTING = "ECONSEC_MONITORING_NOTIFY_SEVERITY"
DEFAULT_NOTIFY_SEVERITY = "medium"
MAX_NAMED_PRODUCTS = 10


def notify_threshold() -> int | None:
    """The rank from which an alert notifies; None when monitoring notifications are off."""
    from django.conf import settings

    value = str(getattr(settings, NOTIFY_SETTING, DEFAULT_NOTIFY_SEVERITY) or "").lower()
    if value == "off":
        return None
    return SEVERITY_RANK.get(value, SEVERITY_RANK[DEFAULT_NOTIFY_SEVERITY])


def _event_path(event_id: int) -> str:
    # The event's page in the monitoring capability (its web/urls.py); engines resolve no URLs,
    # so the path is spelled here and a test holds it equal to the route.
    return f"/monitoring/events/{int(event_id)}/"


def _products(impact: dict[str, Any]) -> dict[str, str]:
    """The products the alert names, in each language: stopped first, as the impact orders them."""
    from econsec.valuechain.models import Item

    codes = list(dict.fromkeys(str(p.get("item", "")) for p in impact.get("products", [])))
    shown = codes[:MAX_NAMED_PRODUCTS]
    names = {i.item_id: (i.name, i.name_en or i.name)
             for i in Item.objects.filter(item_id__in=shown)}  # fmt: skip
    out = {}
    for at, lang in enumerate(("ja", "en")):
        text = ", ".join(f"{names[c][at]} ({c})" if c in names else c for c in shown) or "-"
        if len(codes) > len(shown):
            text += t("governance.notify.more", lang, count=len(codes) - len(shown))
        out[lang] = text
    return out


def monitoring_alert(alert: Any) -> list[Notification]:
    """Tell the alert's owner (else analysts and administrators) that an event reaches products.

    An alert notifies once per severity at or above the setting, and only when its severity rises
    above every severity it has notified at before: a re-assessment at the same or a lower
    severity, or a triage change, adds nothing — except that an owner assigned after the alert
    was raised (an active user) is told once."""
    threshold = notify_threshold()
    rank = SEVERITY_RANK.get(alert.severity, 0)
    if threshold is None or rank == 0 or rank < threshold:
        return []
    prefix = f"monitoring_alert:{alert.pk}:"
    before = Notification.objects.filter(kind="monitoring_alert", dedupe__startswith=prefix)
    told = {
        d.removeprefix(prefix).split(":", 1)[0] for d in before.values_list("dedupe", flat=True)
    }
    recipients = owner_or_editors(alert.owner)
    key = alert.severity
    if any(SEVERITY_RANK.get(s, 0) >= rank for s in told):
        # Nothing new about the event; an owner assigned since is told once, under the key of
        # what was told before (so webhooks, keyed without a user, hear nothing again).
        owner = recipients if recipients == [alert.owner] else []
        if not owner or before.filter(recipient=alert.owner, channel="inbox").exists():
            return []
        key = max(told, key=lambda s: SEVERITY_RANK.get(s, 0))
    event = alert.event
    impact = alert.impact or {}
    products = impact.get("products", [])
    params: dict[str, Any] = {
        "alert": alert.pk,
        "event": event.pk,
        "title": {
            "ja": (event.title_ja or event.title_en)[:300],
            "en": (event.title_en or event.title_ja)[:300],
        },
        "severity": {
            lang: t(f"governance.notify.severity.{alert.severity}", lang) for lang in ("ja", "en")
        },
        "level": alert.severity,
        "touched": len({p.get("item") for p in products}),
        "stopped": len({p.get("item") for p in products if p.get("stopped")}),
        "products": _products(impact),
        "path": _event_path(event.pk),
    }
    return notify.raise_event(
        "monitoring_alert", params, recipients=recipients, dedupe=f"{prefix}{key}"
    )
