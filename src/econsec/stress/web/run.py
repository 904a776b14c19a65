"""The web side of the stress tests: chain loading, scenario forms, runs, the sweep job, the card.

Everything here goes through the public API of :mod:`econsec.stress` (scenario parsing,
``run_scenario``, ``sweep``, the store). Two small adapters live here rather than in the stress
package: the form → scenario document mapping, and the per-row explanation of a sweep
(products affected and binding part, from re-running the top rows as scenarios, since a sweep
row carries only totals).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import reverse

from econsec.i18n import LANGUAGES, t
from econsec.jobs import JobFailed
from econsec.stress.api import Engine, local_executor, run_scenario, sweep
from econsec.stress.errors import StressError
from econsec.stress.scenario import Scenario, parse_scenario, scenario_from_document
from econsec.stress.store import save_result
from econsec.stress.sweep import BY, SweepSpec, spec_document
from econsec.valuechain.compiled import CompiledChain

# Sweep rows explained in detail (products affected, binding part): the ranking's head is what
# people read, and each explanation is one more scenario solve.
DETAIL_ROWS = 25
# Progress is written to the job row at most this often (a Ford-scale sweep has thousands of
# scenarios; one UPDATE per scenario would slow it down for nothing).
PROGRESS_EVERY_SECONDS = 0.25

POOL_CHUNK = 8


def sweep_workers() -> int:
    """Worker processes for a web-launched sweep: ECONSEC_SWEEP_WORKERS, default 1 (in-process).

    In-process keeps the job light for company-sized chains and reports progress per scenario;
    a Ford-scale chain is worth a pool (see benchmarks/stress_web).
    """
    try:
        return max(1, int(os.environ.get("ECONSEC_SWEEP_WORKERS", "1")))
    except ValueError:
        return 1


FORM_KINDS = (
    "site_disruption",
    "org_disruption",
    "country_disruption",
    "partial_capacity_loss",
    "export_restriction",
    "chokepoint_closure",
    "sanction",
)
# form kind → (event kind, the event field the targets go to)
_KIND_EVENT = {
    "site_disruption": ("disruption", "sites"),
    "org_disruption": ("disruption", "orgs"),
    "country_disruption": ("disruption", "countries"),
    "partial_capacity_loss": ("disruption", "sites"),
    "export_restriction": ("export_restriction", "countries"),
    "chokepoint_closure": ("chokepoint_closure", "chokepoints"),
    "sanction": ("sanction", "orgs"),
}
# form kind → which picker the targets field uses
TARGET_SOURCE = {
    "site_disruption": "site",
    "org_disruption": "org",
    "country_disruption": "country",
    "partial_capacity_loss": "site",
    "export_restriction": "country",
    "chokepoint_closure": "chokepoint",
    "sanction": "org",
}
ITEM_FILTERS = ("items", "hs_codes", "critical_tags", "mineral_tags")
# scenario field named in a StressError → the form field to show it at
_ERROR_FIELD = {
    "sites": "targets",
    "orgs": "targets",
    "countries": "targets",
    "chokepoints": "targets",
    "items": "items",
}


# ---- the chain and its engine ------------------------------------------------------------
_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def load_chain() -> CompiledChain:
    """The compiled stored value chain; a located error when nothing has been imported."""
    from econsec.valuechain.store_io import compile_store, current_version

    if not current_version():
        raise StressError("stress.web.no_chain")
    try:
        return compile_store()
    except StressError:
        raise
    except Exception as exc:  # the stored data cannot be compiled: say why, do not crash
        raise StressError("stress.cli.no_chain", problem=str(exc)) from exc


def engine_for(chain: CompiledChain) -> Engine:
    """One engine per data version (building it computes the steady state once)."""
    engine = _engines.get(chain.version)
    if engine is None:
        engine = Engine(chain)
        _engines.clear()
        _engines[chain.version] = engine
    return engine


def run_and_store(scenario: Scenario) -> Any:
    """Run ``scenario`` on the stored chain and store the result (returns the Result row)."""
    chain = load_chain()
    # An engine keeps one solver model and warm-starts it: one run at a time per process.
    with _lock:
        payload = run_scenario(engine_for(chain), scenario)
    return save_result(payload, scenario)


# ---- the scenario form -------------------------------------------------------------------
@dataclass
class FormOutcome:
    """A scenario built from the form, or the problems per form field."""

    scenario: Scenario | None = None
    errors: dict[str, str] = field(default_factory=dict)


def split_ids(text: str) -> list[str]:
    """Ids typed or picked into one field: separated by commas, spaces or new lines."""
    parts = text.replace("、", ",").replace("\n", ",").replace(" ", ",").split(",")
    seen: dict[str, None] = {}
    for part in parts:
        value = part.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _number(raw: str, name: str, lang: str, errors: dict[str, str], default: float) -> float:
    text = (raw or "").strip().replace(",", "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        errors[name] = t("stress.web.form.not_number", lang, value=raw)
        return default
    if not math.isfinite(value):
        errors[name] = t("stress.web.form.not_number", lang, value=raw)
        return default
    return value


def scenario_from_form(data: Mapping[str, str], lang: str) -> FormOutcome:
    """Build and validate a one-event scenario from the form fields."""
    errors: dict[str, str] = {}
    kind = data.get("kind", "")
    if kind not in FORM_KINDS:
        errors["kind"] = t("stress.web.form.bad_kind", lang, value=kind)
        return FormOutcome(errors=errors)
    event_kind, target_field = _KIND_EVENT[kind]
    targets = split_ids(data.get("targets", ""))
    if target_field == "countries":
        targets = [c.upper() for c in targets]
    if not targets:
        errors["targets"] = t("stress.web.form.no_targets", lang)
    start = _number(data.get("start_week", ""), "start_week", lang, errors, 0.0)
    duration = _number(data.get("duration_weeks", ""), "duration_weeks", lang, errors, 0.0)
    if "duration_weeks" not in errors and duration <= 0:
        errors["duration_weeks"] = t("stress.web.form.positive", lang)
    if "start_week" not in errors and start < 0:
        errors["start_week"] = t("stress.web.form.not_negative", lang)
    event: dict[str, Any] = {"kind": event_kind, target_field: targets}
    if kind == "partial_capacity_loss":
        loss = _number(data.get("capacity_loss_pct", ""), "capacity_loss_pct", lang, errors, 0.0)
        if "capacity_loss_pct" not in errors and not 0 < loss <= 100:
            errors["capacity_loss_pct"] = t("stress.web.form.percent", lang)
        event["capacity_loss"] = loss / 100
    for name in ITEM_FILTERS:
        values = split_ids(data.get(name, ""))
        if values:
            event[name] = values
    if errors:
        return FormOutcome(errors=errors)
    name = (data.get("name") or "").strip()
    document: dict[str, Any] = {
        "name": name[:300] if name else _auto_name(kind, event, duration),
        "start_week": start,
        "duration_weeks": duration,
        "events": [event],
    }
    try:
        scenario = scenario_from_document(document, source=t("stress.web.form.source", lang))
    except StressError as exc:
        errors["form"] = exc.message(lang)
        return FormOutcome(errors=errors)
    return FormOutcome(scenario=scenario)


def _auto_name(kind: str, event: dict[str, Any], duration: float) -> dict[str, str]:
    """A bilingual name from what the event hits, e.g. "Export restriction: CN · rare_earths"."""
    _event_kind, target_field = _KIND_EVENT[kind]
    parts = list(event[target_field][:3]) + (["…"] if len(event[target_field]) > 3 else [])
    for name in ITEM_FILTERS:
        parts += event.get(name, [])[:2]
    shown = " · ".join(parts)
    if kind == "partial_capacity_loss":
        shown += f" −{event['capacity_loss'] * 100:g}%"
    return {
        lang: t("stress.web.auto_name", lang, kind=t(f"stress.web.short.{kind}", lang),
                targets=shown, weeks=f"{duration:g}")
        for lang in LANGUAGES
    }  # fmt: skip


def error_field(exc: StressError) -> str:
    """Which form field a resolution error belongs to ("form" when none)."""
    return _ERROR_FIELD.get(str(exc.params.get("field", "")), "form")


def parse_yaml(text: str, source: str) -> Scenario:
    """Parse uploaded or pasted scenario YAML (errors name the line and field)."""
    return parse_scenario(text, source=source)


def error_line(exc: StressError) -> int | None:
    """The 1-based YAML line a parse or validation error points at, when known."""
    line = exc.params.get("line")
    return line if isinstance(line, int) else None


# ---- example scenarios -------------------------------------------------------------------
def examples_dir() -> Path:
    """Where the example scenarios live: ECONSEC_STRESS_EXAMPLES, else the source tree's."""
    configured = os.environ.get("ECONSEC_STRESS_EXAMPLES")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "examples" / "scenarios"


def examples() -> dict[str, Path]:
    """Example scenario files by name (empty when the folder is not shipped)."""
    folder = examples_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


# ---- the sweep job -----------------------------------------------------------------------
def row_document(chain: CompiledChain, row: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario a sweep row stands for (the stress package's own definition)."""
    return spec_document(chain, SweepSpec(row["kind"], row["id"], (), float(row["ttr_weeks"])))


def explain_rows(engine: Engine, payload: dict[str, Any], limit: int = DETAIL_ROWS) -> int:
    """Add ``detail`` (products affected, binding part, explanations) to the top rows."""
    done = 0
    for row in payload["rows"]:
        if done >= limit:
            break
        if row.get("status") != "ok" or not row.get("lost_margin"):
            continue
        scenario = scenario_from_document(row_document(engine.chain, row))
        result = run_scenario(engine, scenario)
        row["detail"] = {
            "products": [
                {k: p[k] for k in ("item", "name", "tts_weeks", "lost_units", "lost_margin")}
                for p in result["products"]
                if p["lost_units"] > 0
            ],
            "binding": result["binding"][:3],
            "explanations": result["explanations"],
        }
        done += 1
    return done


def sweep_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """Job kind ``stress.sweep``: sweep the stored chain, explain the top rows, store it."""
    by = str(job.params.get("by", "site"))
    if by not in BY:
        raise JobFailed("stress.cli.bad_by", value=by)
    default_ttr = job.params.get("default_ttr_weeks")
    try:
        chain = load_chain()
    except StressError as exc:
        raise JobFailed(exc.key, **exc.params) from exc
    progress(0.0, "stress.web.job.started")
    last = [0.0]

    def on_progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            share = done / total if total else 1.0
            progress(0.9 * share, "stress.web.job.progress", done=done, total=total)

    ttr = None if default_ttr is None else float(default_ttr)
    workers = sweep_workers()
    try:
        if workers > 1:
            # Large networks: the stress package's process pool (the chain is sent to each
            # worker once); progress then arrives per chunk of scenarios.
            with local_executor(chain, workers) as pool:
                payload = sweep(
                    chain, by, executor=pool, default_ttr_weeks=ttr, chunk_size=POOL_CHUNK,
                    progress=on_progress,
                )  # fmt: skip
        else:
            payload = sweep(chain, by, default_ttr_weeks=ttr, chunk_size=1, progress=on_progress)
        if not payload["rows"]:
            raise JobFailed("stress.web.job.no_entities", skipped=len(payload["skipped"]))
        progress(0.92, "stress.web.job.explaining")
        with _lock:
            explain_rows(engine_for(chain), payload)
    except StressError as exc:
        raise JobFailed(exc.key, **exc.params) from exc
    record = save_result(payload)
    return {
        "url": reverse("web:stress_result", args=[record.pk]),
        "result_id": record.pk,
        "entities": payload["entities"],
    }


# ---- dashboard card ----------------------------------------------------------------------
_card_cache: dict[int, dict[str, Any]] = {}


def worst_sites_card(request: Any) -> dict[str, Any]:
    """Dashboard card: the sites with the worst Risk Exposure Index in the latest site sweep."""
    from econsec.i18n import normalise_lang
    from econsec.stress.models import Result
    from econsec.web.language import request_language

    lang = normalise_lang(request_language(request))
    latest = Result.objects.filter(kind="sweep", sweep_by="site").values_list("pk", flat=True)
    pk = latest.first()
    if pk is None:
        return {"value": "—", "note": t("stress.web.card.none", lang), "url": reverse("web:stress")}
    top = _card_cache.get(pk)
    if top is None:
        payload = Result.objects.values_list("payload", flat=True).get(pk=pk)
        top = {"rows": [r for r in payload["rows"] if r.get("rei", 0) > 0][:3]}
        _card_cache.clear()  # results never change: only the latest is worth keeping
        _card_cache[pk] = top
    url = reverse("web:stress_result", args=[pk])
    rows = top["rows"]
    if not rows:
        return {"value": "—", "note": t("stress.web.card.no_impact", lang), "url": url}
    note = ", ".join(f"{r['id']} ({r['rei']:.2f})" for r in rows)
    return {"value": rows[0]["id"], "note": t("stress.web.card.note", lang, rows=note), "url": url}
