"""Owners and due dates of recommended actions, from the governance register's actions linked
to the same risk (site, organisation, country or scenario), and "done" since the last report."""

from __future__ import annotations

import datetime as dt

import pytest

from econsec.exposure.results import ExposureReport
from econsec.reports.actions import owner_key
from econsec.reports.model import ActionOwner

from .test_board_pages import PAYLOAD, _board


def test_owner_keys_follow_the_risk_links() -> None:
    assert owner_key("element", "site:S4") == "site:S4"
    assert owner_key("element", "org:SUP") == "supplier:SUP"
    assert owner_key("element", "country:CN") == "country:CN"
    assert owner_key("spof", "S4/MAG") == "site:S4"
    assert owner_key("scenario", "abc") == "scenario-hash:abc"
    assert owner_key("hit", "12") is None and owner_key("element", "region:X") is None


def test_actions_carry_owner_and_due(exposure: ExposureReport) -> None:
    PAYLOAD["scenario_hash"] = "h1"
    try:
        owners = {"site:S4": ActionOwner("sato", "2026-03-31", "open"),
                  "scenario-hash:h1": ActionOwner("suzuki", "2026-06-30", "done")}  # fmt: skip
        board = _board(exposure, owners=owners)
    finally:
        PAYLOAD.pop("scenario_hash")
    by_key = {a.key: a for a in board.actions}  # type: ignore[attr-defined]
    assert (by_key["site:S4"].owner, by_key["site:S4"].due) == ("sato", "2026-03-31")
    assert by_key["scenario:Strait closed"].status == "done"
    assert by_key["country:CN"].owner == ""
    table = board.table("actions")  # type: ignore[attr-defined]
    rows = {a.key: r for a, r in zip(board.actions, table.rows, strict=True)}  # type: ignore[attr-defined]
    assert [c.label["en"] for c in table.columns][-2:] == ["Owner", "Due"]
    assert rows["site:S4"][-2:] == ["sato", {"ja": "2026-03-31", "en": "2026-03-31"}]
    assert rows["scenario:Strait closed"][-1]["ja"] == "完了（期限 2026-06-30）"
    assert rows["country:CN"][-2:] == [None, None]
    # The next report, once the site's action is done too, says so.
    owners["site:S4"] = ActionOwner("sato", "2026-03-31", "done")
    later = _board(exposure, owners=owners, previous=board.to_json())  # type: ignore[attr-defined]
    done = [c for c in later.changes if c.kind == "action_done"]  # type: ignore[attr-defined]
    assert len(done) == 1 and "sato" in done[0].text["en"]


@pytest.mark.django_db
def test_governance_owners_read_from_the_register() -> None:
    from econsec.governance.models import Action, Risk, RiskLink
    from econsec.reports.gather import governance_owners

    risk = Risk.objects.create(code="R-1", title_ja="磁石", title_en="Magnets")
    RiskLink.objects.create(risk=risk, kind="element", ref="site:S4")
    RiskLink.objects.create(risk=risk, kind="element", ref="country:CN")
    scenario = Risk.objects.create(code="R-2", title_ja="海峡", title_en="Strait",
                                   link_kind="scenario", link_ref="h1")  # fmt: skip
    Action.objects.create(risk=risk, title_ja="a", title_en="a", owner="late",
                          due=dt.date(2026, 9, 1))  # fmt: skip
    Action.objects.create(risk=risk, title_ja="b", title_en="b", owner="sato",
                          due=dt.date(2026, 3, 31), status="in_progress")  # fmt: skip
    Action.objects.create(risk=risk, title_ja="c", title_en="c", owner="gone",
                          due=dt.date(2026, 1, 1), status="cancelled")  # fmt: skip
    Action.objects.create(risk=scenario, title_ja="d", title_en="d", owner="suzuki",
                          due=dt.date(2026, 6, 30), status="done")  # fmt: skip
    Action.objects.create(title_ja="e", title_en="e", owner="nobody", due=dt.date(2026, 1, 2))
    assert governance_owners() == {
        "site:S4": ActionOwner("sato", "2026-03-31", "in_progress"),
        "country:CN": ActionOwner("sato", "2026-03-31", "in_progress"),
        "scenario-hash:h1": ActionOwner("suzuki", "2026-06-30", "done"),
    }
