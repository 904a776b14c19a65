"""Key risk indicators on the demo company, recomputed by hand from the stored rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from typer.testing import CliRunner

from econsec.cli import app
from econsec.governance import kri, risks
from econsec.governance.models import KriValue

from .test_risks import demo_results  # noqa: F401 - the fixture

runner = CliRunner()


def test_tts_below_ttr_counts_the_demo_scenarios_by_hand(demo_results: dict[str, Any]) -> None:  # noqa: F811
    expected = sorted(
        p["scenario_name"] for p in demo_results.values()
        if p["tts_weeks"] is not None and p["tts_weeks"] < p["ttr_weeks"]
    )  # fmt: skip
    assert expected  # the demo company does not survive at least one of its scenarios
    readings = {r.key: r for r in kri.compute_all()}
    r = readings["stress_tts_below_ttr"]
    assert r.value == len(expected)
    assert sorted(x["scenario"] for x in r.reasons) == expected
    assert r.status == kri.status("stress_tts_below_ttr", len(expected), 1, 2)
    assert r.previous is None
    again = {x.key: x for x in kri.compute_all()}
    assert again["stress_tts_below_ttr"].previous == len(expected)  # the trend
    assert KriValue.objects.filter(key="stress_tts_below_ttr").count() == 2


def test_overdue_reviews_and_old_hits_with_thresholds(db: None, settings: Any) -> None:
    from econsec.screening.models import Hit

    now = timezone.now()
    for code, days in (("R-1", -3), ("R-2", 10), ("R-3", -40)):
        r = risks.create(code, actor="a", title_ja=code, title_en=code, owner="o")
        risks.change(r, actor="a", next_review=timezone.localdate(now) + dt.timedelta(days=days))
    for n, age in enumerate((20, 3)):
        Hit.objects.create(subject_ref=f"org:{n}", subject_name=f"S{n}", subject_fingerprint="f",
                           list_name="l", entity_id=str(n), entity_name=f"E{n}",
                           entry_fingerprint="e", score=0.9, first_seen_at=now - dt.timedelta(days=age),
                           last_screened_at=now)  # fmt: skip
    readings = {r.key: r for r in kri.compute_all(now)}
    overdue = readings["reviews_overdue"]
    assert overdue.value == 2 and [x["risk"] for x in overdue.reasons] == ["R-3", "R-1"]
    assert overdue.status == "amber"  # default amber 1, red 3
    hits = readings["open_hits_older"]
    assert hits.value == 1 and hits.reasons[0]["subject"] == "S0"
    settings.ECONSEC_KRI_THRESHOLDS = {"reviews_overdue": (1, 2)}
    assert {r.key: r for r in kri.compute_all(now)}["reviews_overdue"].status == "red"
    result = runner.invoke(app, ["kri", "list", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "red" in result.output and "R-3 (owner o" in result.output


def test_critical_items_with_fewer_than_two_qualified_sources_by_hand(
    demo_results: dict[str, Any],  # noqa: F811
) -> None:
    from econsec.valuechain.models import Item, SupplyLink

    # Brute force over every stored link, organisation by organisation.
    expected = []
    for item in Item.objects.order_by("item_id"):
        links = SupplyLink.objects.filter(item=item)
        if not links.exists() or not (item.critical_tags or item.mineral_tags):
            continue
        orgs = {link.supplier_site.organisation_id for link in links if link.qualified}
        if len(orgs) < 2:
            expected.append(item.item_id)
    assert expected  # the demo company has such items
    readings = {r.key: r for r in kri.compute_all()}
    r = readings["critical_single_source"]
    assert [x["item"] for x in r.reasons] == expected and r.value == len(expected)
