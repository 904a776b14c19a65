"""Controls taken from the self-assessment: the mapping is data (every route's framework item is
in it, every item exists), an item answered as in place halves the route's score for every
technology with the answer as the reason — checked against scores worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from econsec.guideline.campaigns import ItemFields, QuestionFields, create_campaign, record_answers
from econsec.guideline.scoring import Result
from econsec.technology.assessed import item_status, load_sources, parse_sources
from econsec.technology.demo import create_demo_register
from econsec.technology.routes import load_routes
from econsec.technology.service import compute
from tests.technology.chain import demo_chain_rows


@pytest.mark.parametrize(
    ("maturity", "results", "expected"),
    [
        (3, [], "in_place"), (4, ["not_done"], "in_place"), (2, [], "partial"), (1, [], "missing"),
        (None, ["done", "done", "na"], "in_place"), (None, ["done", "not_done"], "partial"),
        (None, ["partial"], "partial"), (None, ["not_done", "not_done"], "missing"),
        (None, [], None), (None, ["na", "na"], None), (4, ["na", "na"], None),
    ],
)  # fmt: skip
def test_item_status(maturity: int | None, results: list[str], expected: str | None) -> None:
    assert item_status(maturity, results) == expected


def test_the_mapping_covers_every_route_and_names_real_items() -> None:
    from econsec.guideline.frameworks import builtin_frameworks

    sources = load_sources()
    tlcg = {(s.item, r) for s in sources if s.framework == "tlcg-1" for r in s.routes}
    for route in load_routes():
        assert (route.framework_item, route.id) in tlcg, route.id
    frameworks = builtin_frameworks()
    for s in sources:
        assert s.item in frameworks[s.framework].item_index, (s.framework, s.item)
    with pytest.raises(ValueError, match=r"source 1 \(OVS-PLN\): unknown route moon"):
        parse_sources({"schema": "econsec.technology.control_sources/1",
                       "sources": [{"framework": "tlcg-1", "item": "OVS-PLN", "routes": ["moon"]}]})  # fmt: skip


def _score(tech: str, route: str) -> float:
    return dict((r, s) for r, s, _l in compute().row(tech))[route]


def test_an_item_in_place_halves_the_route_with_the_answer_as_reason(db: None) -> None:
    demo_chain_rows()
    create_demo_register()
    assert _score("T-MAG-GBD", "overseas.withdrawal") == pytest.approx(1.0)
    # no exit clause 0.6·1 + JV 0.2 + Beilun in CN 0.3 → 1 (capped), then maturity 3 → ×0.5.
    campaign = create_campaign("tlcg-1", "2026年 技術流出対策", dt.date(2026, 1, 23), ["x"])
    record_answers(campaign, {}, {"OVS-EXT": ItemFields(maturity=3,
                                                        comment="撤退条項を契約雛形に追加")})  # fmt: skip
    assert _score("T-MAG-GBD", "overseas.withdrawal") == pytest.approx(0.5)
    reasons = compute().reasons("T-MAG-GBD", "overseas.withdrawal", "en")
    assert reasons[-1] == ("Control in place (×0.5): Self-assessment '2026年 技術流出対策' "
                           "(2026-01-23, tlcg-1 OVS-EXT): maturity 3 — 撤退条項を契約雛形に追加")  # fmt: skip
    ja = compute().reasons("T-MAG-GBD", "overseas.withdrawal", "ja")[-1]
    assert ja.startswith("対策実施済み(×0.5):自己評価「2026年 技術流出対策」") and "成熟度 3" in ja
    # Questions only: both PPL-DEP questions done → job changes in place for every technology.
    # Magnet: 42/50 people × 0.4 + key people 0.4 + 30/42 without need-to-know × 0.2, × 0.5.
    before = _score("T-MAG-GBD", "people.job_change")
    assert before == pytest.approx(42 / 50 * 0.4 + 0.4 + 30 / 42 * 0.2)
    record_answers(campaign, {"PPL-DEP-01": QuestionFields(result=Result.DONE),
                              "PPL-DEP-02": QuestionFields(result=Result.DONE)}, {})  # fmt: skip
    assert _score("T-MAG-GBD", "people.job_change") == pytest.approx(before * 0.5)
    assert "2 of 2 questions done" in compute().reasons("T-MAG-GBD", "people.job_change", "en")[-1]


def test_an_approved_assessment_counts_over_a_newer_draft(db: None) -> None:
    from econsec.guideline.models import Campaign

    demo_chain_rows()
    create_demo_register()
    old = create_campaign("tlcg-1", "approved", dt.date(2025, 6, 1), ["x"])
    record_answers(old, {}, {"OVS-EXT": ItemFields(maturity=2)})
    Campaign.objects.filter(pk=old.pk).update(status="approved")
    version = compute().compiled.version
    new = create_campaign("tlcg-1", "draft", dt.date(2026, 1, 1), ["x"])
    record_answers(new, {}, {"OVS-EXT": ItemFields(maturity=4)})
    # Partial from the approved one (×0.75), not in place from the draft.
    assert _score("T-MAG-GBD", "overseas.withdrawal") == pytest.approx(0.75)
    assert compute().compiled.version == version  # the draft changed nothing that counts
    Campaign.objects.filter(pk=old.pk).update(status="draft")
    assert _score("T-MAG-GBD", "overseas.withdrawal") == pytest.approx(0.5)
    assert compute().compiled.version != version


def test_a_register_control_still_counts_when_it_is_better(db: None) -> None:
    demo_chain_rows()
    create_demo_register()
    # The demo's own control: job changes in place for the inverter software.
    campaign = create_campaign("tlcg-1", "c", dt.date(2026, 1, 23), ["x"])
    record_answers(campaign, {}, {"PPL-DEP": ItemFields(maturity=1)})
    reasons = compute().reasons("T-INV-CTL", "people.job_change", "en")
    assert reasons[-1] == "Control in place (×0.5): 退職時の誓約書と持出しログ確認"
    mag = compute().reasons("T-MAG-GBD", "people.job_change", "en")[-1]
    assert mag.startswith("Control missing: Self-assessment 'c'") and "maturity 1" in mag
