"""What a capability declares to the workbench shell.

Each capability's ``AppConfig.ready()`` registers its URL patterns, API router, navigation
entries, dashboard cards, job kinds and cache warmers here, naming its own web code by dotted
path; the shell (``econsec.web``) reads the registry and imports those paths when it needs them.
So neither an engine nor an ``apps.py`` imports the shell, and the shell names no capability
(docs/decisions/0090-capability-slices.md). This module imports nothing of Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

# A dotted path ("package.module.attribute") or the object itself.
Ref = str | Callable[..., Any]


def resolve(ref: Ref) -> Any:
    """The object a :data:`Ref` names (imported on first use, then cached by Python)."""
    if not isinstance(ref, str):
        return ref
    module, _, name = ref.rpartition(".")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class NavEntry:
    """A navigation link: ``label_key`` is a message id, ``url_name`` a URL name.

    ``section`` "main" entries form the side navigation; "secondary" ones the short list below
    it (upload, jobs, tokens…).
    """

    label_key: str
    url_name: str
    capability: str = "read"
    order: int = 100
    section: str = "main"


@dataclass(frozen=True)
class DashboardCard:
    """A headline figure on the dashboard. ``figure(request)`` returns value and detail URL.

    ``depends`` lists the models ("app_label.Model") whose rows the figure is computed from.
    With it the dashboard computes the figure once per language and state of those tables
    (their row count, highest id and last update) and reuses it; without it (``None``) the
    figure is computed on every dashboard request. A figure may depend on the reader's
    language but not on who the reader is. ``watch`` lists further models whose writes in this
    process forget the figure at once, without being read for the fingerprint (a large table
    that only changes together with one in ``depends``).
    """

    label_key: str
    figure: Ref
    capability: str = "read"
    order: int = 100
    depends: tuple[str, ...] | None = None
    watch: tuple[str, ...] = ()


@dataclass(frozen=True)
class Warmer:
    """Caches to build when the data version changes: ``warm()`` after ``version()`` moves."""

    version: Ref
    warm: Ref


@dataclass(frozen=True)
class ReportSection:
    """A section a capability adds to the board report.

    ``build(data_version)`` returns an :class:`econsec.reports.model.Section` (figures already
    rendered in both languages) or ``None`` when the capability has nothing to say yet. It runs
    inside the report job, with the database available; ``order`` sorts the sections (a
    section marked ``appendix`` goes after the main pages).
    """

    key: str
    build: Ref
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A block a capability adds to another capability's page, at a named ``slot``
    ("governance.risk"): ``render(request, **params)`` returns safe HTML, or "" for nothing.

    The page names only the slot (``{% panels "slot" key=value %}``, library
    ``econsec_panels``), so the page's capability never imports the one that fills it; the
    panel decides itself what the reader may see.
    """

    slot: str
    render: Ref
    order: int = 100


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    cards: list[DashboardCard] = field(default_factory=list)
    job_kinds: dict[str, Ref] = field(default_factory=dict)
    url_modules: list[str] = field(default_factory=list)
    api_routers: list[tuple[str, str]] = field(default_factory=list)
    headlines: list[Ref] = field(default_factory=list)
    warmers: list[Warmer] = field(default_factory=list)
    schedules: list[Ref] = field(default_factory=list)
    body_limits: dict[str, int | Ref] = field(default_factory=dict)
    report_sections: list[ReportSection] = field(default_factory=list)
    demo_steps: list[tuple[int, Ref]] = field(default_factory=list)
    info_lines: list[Ref] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)


registry = Registry()


def register_nav(entry: NavEntry) -> None:
    if entry not in registry.nav:
        registry.nav.append(entry)
        registry.nav.sort(key=lambda e: e.order)


def register_card(card: DashboardCard) -> None:
    if all(c.label_key != card.label_key for c in registry.cards):
        registry.cards.append(card)
        registry.cards.sort(key=lambda c: c.order)


def register_job_kind(kind: str, handler: Ref) -> None:
    """``handler(job, progress)`` does the work; ``progress(fraction, key, **params)`` reports.

    It returns a dict stored as the job's result; it raises :class:`econsec.jobs.JobFailed` (or
    any error) to fail the job with a reason.
    """
    registry.job_kinds[kind] = handler


def register_urls(module: str) -> None:
    """A module whose ``urlpatterns`` join the workbench pages (URL namespace ``web``)."""
    if module not in registry.url_modules:
        registry.url_modules.append(module)


def register_api(prefix: str, router: str) -> None:
    """A django-ninja ``Router`` (dotted path) mounted under ``/api`` at ``prefix``."""
    if (prefix, router) not in registry.api_routers:
        registry.api_routers.append((prefix, router))


def register_headline(ref: Ref) -> None:
    """``headline(request, lang)`` returns the dashboard's status line (plain text) or None."""
    if ref not in registry.headlines:
        registry.headlines.append(ref)


def register_schedule(ref: Ref) -> None:
    """``due()`` returns the jobs (kind, params) to queue now; the job worker polls it."""
    if ref not in registry.schedules:
        registry.schedules.append(ref)


def register_warmer(warmer: Warmer) -> None:
    if warmer not in registry.warmers:
        registry.warmers.append(warmer)


def register_body_limit(view_name: str, limit: int | Ref) -> None:
    """The largest request body (bytes) the view ``view_name`` ("web:upload", "api:import")
    accepts; ``limit`` is a number or names a function returning one (read per request).

    The shell refuses a larger body on its Content-Length before reading it; the view still
    checks what it received.
    """
    registry.body_limits[view_name] = limit


def register_report_section(section: ReportSection) -> None:
    if all(s.key != section.key for s in registry.report_sections):
        registry.report_sections.append(section)
        registry.report_sections.sort(key=lambda s: s.order)


def register_demo_step(ref: Ref, order: int = 100) -> None:
    """``step(lang)`` runs in ``econsec demo`` after the core steps (value chain, exposure,
    scenarios, sweep, lists, assessment), in ``order``; it prints its own line and must be
    idempotent (a second demo run finds its earlier result and does nothing)."""
    if all(r != ref for _, r in registry.demo_steps):
        registry.demo_steps.append((order, ref))
        registry.demo_steps.sort(key=lambda e: e[0])


def register_info_lines(ref: Ref) -> None:
    """``lines(where, lang)`` returns extra lines for the command-line summaries: ``where`` is
    "info" (``econsec info``) or "exposure" (``econsec exposure``'s table); [] for none. It runs
    with the store open and must not fail the command (errors are its own to swallow)."""
    if ref not in registry.info_lines:
        registry.info_lines.append(ref)


def info_lines(where: str, lang: str) -> list[str]:
    """Every registered capability's lines for ``where``, in registration order."""
    return [line for ref in registry.info_lines for line in resolve(ref)(where, lang)]


def register_panel(panel: Panel) -> None:
    if panel not in registry.panels:
        registry.panels.append(panel)
        registry.panels.sort(key=lambda p: p.order)


def panels(slot: str) -> list[Panel]:
    """The panels registered for ``slot``, in order."""
    return [p for p in registry.panels if p.slot == slot]
