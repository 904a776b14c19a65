"""Extension points for capability apps (exposure, stress, reports…).

An installed app adds its navigation entries, dashboard cards and job kinds by calling the
``register_*`` functions from its ``AppConfig.ready()``; the workbench shows only what is
registered, so a missing app simply leaves no trace in the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavEntry:
    """A top-level navigation link: ``label_key`` is a message id, ``url_name`` a URL name."""

    label_key: str
    url_name: str
    capability: str = "read"
    order: int = 100


@dataclass(frozen=True)
class DashboardCard:
    """A headline figure on the dashboard. ``figure(request)`` returns value and detail URL.

    ``depends`` lists the models ("app_label.Model") whose rows the figure is computed from.
    With it the dashboard computes the figure once per language and state of those tables
    (their row count, highest id and last update) and reuses it; without it (``None``) the
    figure is computed on every dashboard request. A figure may depend on the reader's
    language but not on who the reader is.
    """

    label_key: str
    figure: Callable[[HttpRequest], dict[str, Any]]
    capability: str = "read"
    order: int = 100
    depends: tuple[str, ...] | None = None


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    cards: list[DashboardCard] = field(default_factory=list)
    job_kinds: dict[str, Callable[..., dict[str, Any]]] = field(default_factory=dict)


registry = Registry()


def register_nav(entry: NavEntry) -> None:
    if entry not in registry.nav:
        registry.nav.append(entry)
        registry.nav.sort(key=lambda e: e.order)


def register_card(card: DashboardCard) -> None:
    if all(c.label_key != card.label_key for c in registry.cards):
        registry.cards.append(card)
        registry.cards.sort(key=lambda c: c.order)


def register_job_kind(kind: str, handler: Callable[..., dict[str, Any]]) -> None:
    """``handler(job, progress)`` does the work; ``progress(fraction, key, **params)`` reports.

    It returns a dict stored as the job's result; it raises :class:`JobFailed` (or any error)
    to fail the job with a reason.
    """
    registry.job_kinds[kind] = handler
