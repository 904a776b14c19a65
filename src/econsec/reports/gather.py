"""Collect what a report needs from the store (the ORM side of the reports package)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from econsec.exposure.results import ExposureReport
from econsec.reports.actions import owner_key
from econsec.reports.assemble import Assessment, StoredScenario, assemble
from econsec.reports.decisions import PendingAcceptance
from econsec.reports.model import ActionOwner, BoardReport, Section
from econsec.reports.text import Bilingual, same

# The options the CLI stores its default analysis under (no groups, no concern group), so the
# web pages, the CLI and the report share one stored result per data version.
DEFAULT_OPTIONS: dict[str, object] = {"groups": [], "concern": None}


def current_version() -> str:
    from econsec.valuechain.store_io import current_version as version

    return version()


def stored_exposure(version: str | None = None) -> ExposureReport | None:
    """The stored default exposure report of the current data version, if computed."""
    from econsec.exposure.store import load_report

    version = version if version is not None else current_version()
    if not version:
        return None
    return load_report(version, DEFAULT_OPTIONS)


def compute_exposure() -> ExposureReport:
    """Analyse the stored value chain with the default options and store the result."""
    from econsec.exposure.analyse import Options, analyse
    from econsec.exposure.store import save_report
    from econsec.valuechain.store_io import compile_store

    report = analyse(compile_store(), Options())
    save_report(report, DEFAULT_OPTIONS)
    return report


def item_tags() -> dict[str, list[str]]:
    """Critical-product and mineral tags per item id (only tagged items)."""
    from econsec.valuechain.models import Item

    out: dict[str, list[str]] = {}
    rows = Item.objects.values_list("item_id", "critical_tags", "mineral_tags")
    for item_id, critical, minerals in rows.iterator(chunk_size=2000):
        tags = [*(critical or []), *(minerals or [])]
        if tags:
            out[item_id] = [str(x) for x in tags]
    return out


def home_countries() -> set[str]:
    """Countries of our own sites (organisations of kind "self")."""
    from econsec.valuechain.models import Site

    return set(
        Site.objects.filter(organisation__kind="self").values_list("country", flat=True).distinct()
    )


def own_ids() -> set[str]:
    """Ids of our own sites and organisations (kind "self")."""
    from econsec.valuechain.models import Organisation, Site

    sites = Site.objects.filter(organisation__kind="self").values_list("site_id", flat=True)
    orgs = Organisation.objects.filter(kind="self").values_list("org_id", flat=True)
    return {*sites, *orgs}


def site_facts() -> tuple[dict[str, str], dict[str, str]]:
    """Site id → name, and site id → organisation id."""
    from econsec.valuechain.models import Site

    names: dict[str, str] = {}
    orgs: dict[str, str] = {}
    rows = Site.objects.values_list("site_id", "name", "organisation__org_id")
    for site_id, name, org in rows.iterator(chunk_size=2000):
        names[site_id] = name or site_id
        orgs[site_id] = org or ""
    return names, orgs


def item_names() -> dict[str, str]:
    """Item id → name, for the codes other capabilities' messages carry."""
    from econsec.valuechain.models import Item

    rows = Item.objects.values_list("item_id", "name")
    return {item_id: name for item_id, name in rows.iterator(chunk_size=2000) if name}


def governance_owners() -> dict[str, ActionOwner]:
    """The governance register's actions by the recommended action's key they cover, through
    their risk's links: the open one due first, else the one done last. Nothing when the
    governance capability is absent or not migrated."""
    from django.apps import apps
    from django.db import DatabaseError

    try:
        action_model = apps.get_model("governance", "Action")
        link_model = apps.get_model("governance", "RiskLink")
        keys: dict[int, set[str]] = {}
        for risk_id, kind, ref in link_model.objects.values_list("risk_id", "kind", "ref"):
            key = owner_key(kind, ref)
            if key:
                keys.setdefault(risk_id, set()).add(key)
        risk_model = apps.get_model("governance", "Risk")
        for risk_id, ref in risk_model.objects.filter(link_kind="scenario").values_list(
            "id", "link_ref"
        ):
            keys.setdefault(risk_id, set()).add(f"scenario-hash:{ref}")
        rows = list(
            action_model.objects.filter(risk_id__in=list(keys))
            .exclude(status="cancelled")
            .values_list("risk_id", "owner", "due", "status", "closed_at")
        )
    except (LookupError, DatabaseError):
        return {}
    best: dict[str, tuple[tuple[int, str], ActionOwner]] = {}
    for risk_id, owner, due, status, closed in rows:
        found = ActionOwner(owner, due.isoformat(), status)
        # Open actions first, earliest due; otherwise the latest closed.
        rank = (0, due.isoformat()) if status != "done" else (1, _desc(closed))
        for key in keys.get(risk_id, ()):
            if key not in best or rank < best[key][0]:
                best[key] = (rank, found)
    return {key: found for key, (_, found) in best.items()}


def _desc(when: Any) -> str:
    # Sorts later dates first among done actions.
    stamp = when.isoformat() if when is not None else ""
    return "".join(chr(0x10FFFF - ord(c)) for c in stamp)


def pending_acceptances() -> list[PendingAcceptance]:
    """Register entries whose owner asked for acceptance and nobody accepted yet."""
    from django.apps import apps
    from django.db import DatabaseError

    try:
        risk = apps.get_model("governance", "Risk")
        rows = list(
            risk.objects.filter(treatment="accept", accepted_by="")
            .exclude(acceptance_requested_by="")
            .order_by("code")[:5]
        )
    except (LookupError, DatabaseError):
        return []
    return [
        PendingAcceptance(
            r.code, {"ja": r.title_ja or r.title_en, "en": r.title_en or r.title_ja}, r.owner
        )
        for r in rows
    ]


def _scenario_name(record: Any, payload: dict[str, Any]) -> Bilingual:
    if record is not None:
        try:
            import yaml

            doc = yaml.safe_load(record.yaml) or {}
            name = doc.get("name")
            if isinstance(name, dict) and name:
                en = str(name.get("en") or next(iter(name.values())))
                return {"ja": str(name.get("ja") or en), "en": en}
        except Exception:  # an unreadable stored document: fall back to the stored name
            pass
    return same(str(payload.get("scenario_name") or payload.get("scenario_hash", "")[:12]))


def stress_results(version: str) -> tuple[list[StoredScenario], dict[str, Any] | None]:
    """The latest stored result per scenario, and the latest site sweep, for ``version``.

    The stress package may be absent or not migrated yet: then there is simply nothing.
    """
    from django.apps import apps
    from django.db import DatabaseError

    try:
        result_model = apps.get_model("stress", "Result")
    except LookupError:
        return [], None
    try:
        rows = list(
            result_model.objects.filter(data_version=version)
            .select_related("scenario")
            .order_by("-created_at", "-id")[:200]
        )
    except DatabaseError:
        return [], None
    seen: set[str] = set()
    scenarios: list[StoredScenario] = []
    sweep: dict[str, Any] | None = None
    for row in rows:
        payload = row.payload or {}
        if row.kind == "sweep":
            if sweep is None and payload.get("by", row.sweep_by) in ("site", ""):
                sweep = payload
            continue
        key = row.scenario_hash or payload.get("scenario_hash", "")
        if key in seen:
            continue
        seen.add(key)
        scenarios.append(StoredScenario(_scenario_name(row.scenario, payload), payload))
    scenarios.sort(key=lambda s: s.name["en"])
    return scenarios, sweep


def latest_assessment() -> Assessment | None:
    """The latest self-assessment campaign's score (approved ones first), if any."""
    from django.apps import apps

    try:
        apps.get_model("guideline", "Campaign")
        from econsec.guideline.campaigns import campaign_scorecard
        from econsec.guideline.models import Campaign
    except (LookupError, ImportError):
        return None
    campaign = (
        Campaign.objects.select_related("framework").filter(status="approved").first()
        or Campaign.objects.select_related("framework").first()
    )
    if campaign is None:
        return None
    framework, card = campaign_scorecard(campaign)
    # Each area's name in both languages (Text.get falls back when one is missing).
    areas = tuple(
        ({"ja": area.name.get("ja"), "en": area.name.get("en")}, card.areas[area.id].maturity)
        for area in framework.areas
        if area.id in card.areas
    )
    return Assessment(
        name=campaign.name,
        date=campaign.assessment_date.isoformat(),
        implementation=card.overall.implementation,
        maturity=card.overall.maturity,
        status=campaign.status,
        areas=areas,
    )


def build_board_report(
    progress: Callable[..., None] | None = None,
    *,
    recompute: bool = False,
    previous: dict[str, Any] | None = None,
) -> BoardReport:
    """Gather stored results (computing the exposure analysis if missing) and assemble;
    ``previous`` is the last stored report (JSON) to show the changes since."""

    def say(fraction: float, key: str) -> None:
        if progress is not None:
            progress(fraction, key)

    say(0.05, "reports.job.gathering")
    version = current_version()
    if not version:
        from econsec.jobs import JobFailed

        raise JobFailed("reports.job.empty_store")
    exposure = None if recompute else stored_exposure(version)
    if exposure is None:
        say(0.15, "reports.job.analysing")
        exposure = compute_exposure()
    say(0.5, "reports.job.assembling")
    scenarios, sweep = stress_results(exposure.data_version)
    names, orgs = site_facts()
    report = assemble(
        exposure,
        item_tags=item_tags(),
        home=home_countries(),
        scenarios=scenarios,
        sweep=sweep,
        assessment=latest_assessment(),
        created_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        own=own_ids(),
        site_names=names,
        site_org=orgs,
        item_names=item_names(),
        owners=governance_owners(),
        pending=pending_acceptances(),
        previous=previous,
    )
    report.sections = contributed_sections(exposure.data_version)
    return report


def contributed_sections(version: str) -> list[Section]:
    """The sections capabilities add through ``econsec.registry.register_report_section``."""
    from econsec.registry import registry, resolve

    sections = []
    for entry in registry.report_sections:
        section = resolve(entry.build)(version)
        if section is not None:
            sections.append(section)
    return sections
