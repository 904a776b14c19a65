"""The dashboard: the figures each capability registers, each linking to its detail.

The figures are computed once per state of the tables they are computed from, not per request
(docs/decisions/0057-request-floor-and-dashboard-cache.md): one query reads a fingerprint
(row count, highest id, last update) of every table a card declares, and the cards are
recomputed when it changes, or after ``STALE_SECONDS`` as a bound on anything a fingerprint
cannot see (e.g. a row edited in place without an update time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix

from econsec.registry import DashboardCard, registry, resolve

from ..jinja import render_part
from ..language import request_language
from ..models import Job
from ..roles import READ, has_capability, role_required

STALE_SECONDS = 30.0
# Columns whose maximum shows an in-place change (an answer edited, an import finished).
_CHANGE_COLUMNS = ("updated_at", "finished_at")

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[tuple[Any, ...], float, dict[str, Any]]] = {}


def _models(labels: Iterable[str]) -> list[type[Model]]:
    found = []
    for label in sorted(set(labels)):
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue  # the app is not installed here: nothing of it to watch
    return found


def fingerprint(labels: Iterable[str]) -> tuple[Any, ...]:
    """Row count, highest id and last change time of each model's table, in one query."""
    quote = connection.ops.quote_name
    parts = []
    for model in _models(labels):
        table = quote(model._meta.db_table)
        pk = quote(str(model._meta.pk.column))
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]
        names = {f.name for f in model._meta.get_fields()}
        for column in _CHANGE_COLUMNS:
            if column in names:
                parts.append(f"(SELECT MAX({quote(column)}) FROM {table})")
    if not parts:
        return ()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts))
            row = cursor.fetchone()
    except DatabaseError:
        return (time.monotonic(),)  # unreadable: never reuse
    return tuple(str(v) for v in row or ())


def _cacheable(cards: Iterable[DashboardCard]) -> list[DashboardCard]:
    return [c for c in cards if c.depends is not None]


def cached_figures(request: HttpRequest) -> dict[str, Any]:
    """The headline and every cacheable registered card, for this state and language."""
    cacheable = _cacheable(registry.cards)
    labels = [label for c in cacheable for label in c.depends or ()]
    state = (fingerprint(labels), tuple(c.label_key for c in cacheable))
    key = (request_language(request), get_script_prefix())
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] == state and now - hit[1] < STALE_SECONDS:
        return hit[2]
    lang = key[0]
    headlines = (resolve(ref)(request, lang) for ref in registry.headlines)
    figures: dict[str, Any] = {
        "headline": " ".join(h for h in headlines if h),
        "cards": {c.label_key: {"label_key": c.label_key, **figure(c, request)} for c in cacheable},
    }
    with _lock:
        _cache[key] = (state, now, figures)
    return figures


def clear_cache() -> None:
    """Forget the cached figures (tests; a process that changed data out of band)."""
    with _lock:
        _cache.clear()


def figure(card: DashboardCard, request: HttpRequest) -> dict[str, Any]:
    result: dict[str, Any] = resolve(card.figure)(request)
    return result


def _forget(sender: Any, **_: Any) -> None:
    # A write in this process (a form, a job run in-process, a test) to a table a figure is
    # computed from shows at once; writes by other processes show through the fingerprint.
    if not _cache:
        return
    label = getattr(getattr(sender, "_meta", None), "label", "")
    watched: set[str] = set()
    for card in _cacheable(registry.cards):
        watched.update(card.depends or (), card.watch)
    if label in watched:
        clear_cache()


post_save.connect(_forget, dispatch_uid="econsec.web.dashboard.forget.save")
post_delete.connect(_forget, dispatch_uid="econsec.web.dashboard.forget.delete")


@role_required(READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = cached_figures(request)
    cards = []
    for card in registry.cards:
        if has_capability(request.user, card.capability):
            found = figures["cards"].get(card.label_key)
            if found is None:
                found = {"label_key": card.label_key, **figure(card, request)}
            cards.append(found)
    jobs = Job.objects.filter(created_by_id=request.user.pk)[:5]
    return render(
        request,
        "web/dashboard.html",
        {
            "cards": render_part("web/cards.jinja", cards=cards, lang=request_language(request)),
            "headline": figures["headline"],
            "jobs": jobs,
        },
    )
