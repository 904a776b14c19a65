"""Internal events: what other capabilities record becomes an alert in the inbox.

- A sanctions or export-control list loaded with new entries (screening's ``list_loaded``
  record) → an event naming the list and what changed; it matches nothing on its own.
- A new screening hit on one of our counterparties (``hit_raised`` on ``org:…``) → a sanction
  event on that organisation, so its impact (what stops if we can no longer buy from it) is
  assessed like any listing.
- A key risk indicator turning red (governance's new ``KriValue`` whose previous value for the
  key was not red) → an ``indicator`` event.

The models are named by label ("screening.ScreeningEvent"), so monitoring imports neither
capability and, with either absent, simply hears nothing. Each event is written in a savepoint
of the same transaction (a rolled-back list load leaves no event) and a failure to write one is
logged, never raised into the capability that recorded the fact.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from econsec.i18n import t

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha256(f"internal\x00{text}".encode()).hexdigest()


def _texts(key: str, /, **params: Any) -> dict[str, str]:
    return {f"title_{lang}": t(key, lang, **params) for lang in ("ja", "en")}


def _safely(make: Callable[[], dict[str, Any] | None]) -> None:
    from econsec.monitoring import models as m
    from econsec.monitoring.service import record

    try:
        with transaction.atomic():
            fields = make()
            if fields is None or m.Event.objects.filter(source_key=fields["source_key"]).exists():
                return
            record(fields, actor="econsec")
    except Exception:  # the capability that recorded the fact must not fail because of us
        log.warning("internal event not recorded", exc_info=True)


def _on_screening_event(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    if not created:
        return
    detail = instance.detail or {}
    if instance.action == "list_loaded" and int(detail.get("added") or 0) > 0:
        _safely(lambda: _list_event(instance, detail))
    elif instance.action == "hit_raised" and str(detail.get("subject", "")).startswith("org:"):
        _safely(lambda: _hit_event(instance, detail))


def _list_event(instance: Any, detail: dict[str, Any]) -> dict[str, Any]:
    name = instance.object_ref.removeprefix("list:")
    counts = {k: int(detail.get(k) or 0) for k in ("added", "changed", "removed")}
    return {
        **_texts("monitoring.internal.list.title", list=name, **counts),
        # A listing not tied to a counterparty: a sanction footprint with no one in it touches
        # nothing (a regulation without a place would touch every product).
        "kind": "sanction",
        "footprint": {"kind": "sanction"},
        "source_key": _key(f"list:{detail.get('version')}"),
        "summary_en": t("monitoring.internal.list.summary", "en", source=detail.get("source", "")),
        "summary_ja": t("monitoring.internal.list.summary", "ja", source=detail.get("source", "")),
        "announced_on": instance.at.date(),
        "inferences": [["kind", "sanction", f"screening: list_loaded {name}"]],
    }


def _hit_event(instance: Any, detail: dict[str, Any]) -> dict[str, Any] | None:
    hit_model = instance._meta.apps.get_model("screening", "Hit")
    hit = hit_model.objects.filter(pk=instance.object_ref.removeprefix("hit:")).first()
    if hit is None:
        return None
    org = hit.subject_ref.removeprefix("org:")
    params = {"org": hit.subject_name, "entity": hit.entity_name, "list": hit.list_name,
              "score": f"{hit.score:.2f}"}  # fmt: skip
    return {
        **_texts("monitoring.internal.hit.title", **params),
        "kind": "sanction",
        "footprint": {"kind": "sanction", "orgs": [org]},
        "source_key": _key(f"hit:{hit.pk}"),
        "announced_on": instance.at.date(),
        "inferences": [["orgs", org, f"screening hit {hit.pk}: {hit.entity_name}"]],
    }


def _on_kri_value(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    if not created or instance.status != "red":
        return
    previous = (
        type(instance)
        .objects.filter(key=instance.key)
        .exclude(pk=instance.pk)
        .order_by("-computed_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    if previous == "red":
        return  # still red: raised when it turned
    _safely(
        lambda: {
            **_texts(
                "monitoring.internal.kri.title", key=instance.key, value=f"{instance.value:g}"
            ),
            "kind": "indicator",
            "footprint": {"kind": "indicator"},
            "source_key": _key(f"kri:{instance.pk}"),
            "announced_on": instance.computed_at.date(),
            "inferences": [["kind", "indicator", f"KRI {instance.key} = {instance.value:g}"]],
        }
    )


def connect() -> None:
    post_save.connect(
        _on_screening_event, sender="screening.ScreeningEvent", dispatch_uid="monitoring.scr"
    )
    post_save.connect(_on_kri_value, sender="governance.KriValue", dispatch_uid="monitoring.kri")
