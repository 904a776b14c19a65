"""What ``econsec demo`` adds after the demo company so every capability shows real figures:
a small screening list set and a screen of the chain, a site sweep, and a self-assessment
campaign with answers, evidence and a gap list.

Each step is idempotent: run again on the same data it finds its earlier result and does
nothing, so a second ``make demo`` is quick.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LISTS = EXAMPLES / "lists"
DEMO_ACTOR = "econsec-demo"
CAMPAIGN_NAME = "デモ自己評価 2026 / Demo self-assessment 2026"
CAMPAIGN_FRAMEWORK = "esmg-1.0-draft"


@dataclass(frozen=True)
class DemoList:
    """One file of the demo list set (see examples/lists/PROVENANCE.md)."""

    file: str
    name: str
    fmt: str
    version_date: dt.date | None


DEMO_LISTS = (
    DemoList("us-csl-extract-2022-04.csv", "us_csl", "csl", dt.date(2022, 4, 21)),
    DemoList("un-consolidated-dprk-entities-2026-02-27.xml", "un_sc", "un", dt.date(2026, 2, 27)),
    DemoList(
        "demo-fictional-end-user-list.csv", "demo_fictional_eul", "user", dt.date(2026, 1, 15)
    ),
)


def load_demo_lists(lists_dir: Path = LISTS) -> list[tuple[str, int, bool]]:
    """Load each demo list unless its current version came from the same file.

    Returns (list name, entries, newly loaded) per list.
    """
    from econsec.screening import service
    from econsec.screening.loaders import file_sha256, load_list

    done: list[tuple[str, int, bool]] = []
    for entry in DEMO_LISTS:
        path = lists_dir / entry.file
        if not path.is_file():
            continue
        current = service.current_version(entry.name)
        if current is not None and current.source_sha256 == file_sha256([path]):
            done.append((entry.name, current.entity_count, False))
            continue
        loaded = load_list(
            path, list_name=entry.name, source_format=entry.fmt, version_date=entry.version_date
        )
        version, _diff = service.store_list(loaded, actor=DEMO_ACTOR, source_name=path.name)
        done.append((entry.name, version.entity_count, True))
    return done


def screen_chain() -> dict[str, int]:
    """Screen the value chain against the current lists (only what changed since last time)."""
    from econsec.screening import service

    subjects, owners = service.value_chain_subjects()
    return service.screen_subjects(subjects, actor=DEMO_ACTOR, delta=True, owners=owners)


def site_sweep(chain: Any) -> dict[str, Any]:
    """The stored site sweep of ``chain``'s data version, run and stored when missing."""
    from econsec.stress.models import Result
    from econsec.stress.store import save_result
    from econsec.stress.sweep import local_executor, sweep

    stored = (
        Result.objects.filter(kind="sweep", sweep_by="site", data_version=chain.version)
        .order_by("-created_at")
        .first()
    )
    if stored is not None:
        payload: dict[str, Any] = stored.payload
        return payload
    with local_executor(chain, None) as pool:
        payload = sweep(chain, "site", executor=pool)
    save_result(payload, None)
    return payload


def _pick(key: str, choices: tuple[Any, ...], weights: tuple[int, ...]) -> Any:
    """A choice fixed by ``key`` (the same answers on every run and machine)."""
    roll = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % sum(weights)
    for choice, weight in zip(choices, weights, strict=True):
        if roll < weight:
            return choice
        roll -= weight
    return choices[-1]


def assessment_campaign(
    exposure_id: str, sweep_id: str, data_version: str, today: dt.date | None = None
) -> Any:
    """The demo self-assessment campaign: answered in part, with evidence, so the scores, the
    gap list and the dashboard's cards have figures. Made once."""
    from econsec.guideline.campaigns import (
        ItemFields,
        QuestionFields,
        create_campaign,
        framework_of,
        record_answers,
    )
    from econsec.guideline.evidence import add_analysis_reference, add_link
    from econsec.guideline.models import Campaign
    from econsec.guideline.scoring import Result

    found = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if found is not None:
        return found
    today = today or dt.date(2026, 3, 31)
    campaign = create_campaign(
        CAMPAIGN_FRAMEWORK,
        CAMPAIGN_NAME,
        today,
        ["経営企画部 / Corporate planning", "調達部 / Procurement"],
        actor=DEMO_ACTOR,
    )
    framework = framework_of(campaign.framework)
    results = (Result.DONE, Result.PARTIAL, Result.NOT_DONE, None)
    questions = {
        qid: QuestionFields(result=result)
        for qid in framework.question_index
        if (result := _pick(f"q:{qid}", results, (5, 3, 2, 2))) is not None
    }
    items = {
        iid: ItemFields(
            maturity=_pick(f"m:{iid}", (1, 2, 3, 4), (2, 4, 3, 1)),
            owner=_pick(
                f"o:{iid}", ("経営企画部", "調達部", "法務部", "情報システム部"), (1, 1, 1, 1)
            ),
            due_date=today + dt.timedelta(days=_pick(f"d:{iid}", (90, 180, 365), (1, 1, 1))),
        )
        for iid in framework.item_index
    }
    record_answers(campaign, questions, items, actor=DEMO_ACTOR, source="demo")
    add_analysis_reference(
        campaign, "AUT-A", "exposure.concentration", exposure_id, data_version, actor=DEMO_ACTOR,
        title="依存度分析(デモ)/ Exposure analysis (demo)",
    )  # fmt: skip
    add_analysis_reference(
        campaign, "AUT-B", "stress.ttr_tts", sweep_id, data_version, actor=DEMO_ACTOR,
        title="拠点スイープ(デモ)/ Site sweep (demo)",
    )  # fmt: skip
    add_link(
        campaign, "GOV-A", "https://www.meti.go.jp/policy/economy/economic_security/",
        actor=DEMO_ACTOR, title="経済産業省 経済安全保障政策 / METI economic security policy",
    )  # fmt: skip
    return campaign
