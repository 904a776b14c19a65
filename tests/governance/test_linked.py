"""Every link kind's figure follows the data: on the mini value chain, each figure equals the
number read straight from the sweep and exposure payloads the test itself computed; after a
re-import it is stale until the analyses are re-run, then it is the new payload's number; a
screening decision moves it at once."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from econsec.governance import linked, risks, structure
from econsec.governance.models import Risk
from tests.valuechain.minichain import mini_tables


def _analyse(tables: dict[str, Any]) -> dict[str, Any]:
    """Import ``tables``, then run and store the site and organisation sweeps and the exposure
    analysis, as `econsec stress sweep` and `econsec exposure` do; returns the payloads."""
    from econsec.exposure.analyse import Options, analyse
    from econsec.exposure.store import save_report
    from econsec.stress.store import save_result
    from econsec.stress.sweep import sweep
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import compile_store

    import_tables(tables, "mini")
    chain = compile_store()
    out: dict[str, Any] = {"version": chain.version}
    for by in ("site", "org"):
        payload = sweep(chain, by)
        save_result(payload)
        out[by] = {r["id"]: r["lost_margin"] for r in payload["rows"] if r["status"] == "ok"}
    report = analyse(chain, Options())
    save_report(report)
    out["spofs"] = {f"{p.site_id}/{p.item_id}": list(p.single_points_of_failure)
                    for p in report.products}  # fmt: skip
    return out


def _hit(org: str) -> int:
    from django.utils import timezone

    from econsec.screening.models import Hit

    now = timezone.now()
    hit = Hit.objects.create(
        subject_ref=f"org:{org}", subject_name=org, subject_fingerprint="f", list_name="sdn",
        entity_id="1", entity_name="listed", entry_fingerprint="e", score=0.97,
        first_seen_at=now, last_screened_at=now,
    )  # fmt: skip
    return int(hit.pk)


def _expected(
    a: dict[str, Any], m_sources: list[str], hit_open: bool = True
) -> dict[tuple[str, str], float]:
    spofs = a["spofs"]["J1/P"]
    return {
        ("element", "site:T1"): a["site"]["T1"],
        ("spof", "J1/P"): max((a["site"][s] for s in spofs), default=0.0),
        ("spof", "N1"): a["site"]["N1"],
        ("hit", "hit"): a["org"]["CNS"] if hit_open else 0.0,
        # K1 has no recovery time in the mini chain: the sweep skips it.
        ("item", "M"): max(a["site"][s] for s in m_sources if s in a["site"]),
    }


def _figures(risk: Risk) -> dict[tuple[str, str], linked.Figure]:
    return {(f.kind, "hit" if f.kind == "hit" else f.ref): f for f in linked.figures(risk)}


def test_every_link_kind_follows_a_data_change(db: None) -> None:
    from econsec.screening import service

    tables = mini_tables()
    first = _analyse(tables)
    assert first["spofs"]["J1/P"] == ["N1"]  # M and R come only from N1
    risk = risks.create("R-L", actor="ana", title_ja="調達", title_en="supply", entered_impact=1.0)
    hit = _hit("CNS")
    for kind, ref in (("element", "site:T1"), ("spof", "J1/P"), ("spof", "N1"),
                      ("hit", str(hit)), ("item", "M")):  # fmt: skip
        structure.link(risk, kind, ref, actor="ana")
    got = _figures(risk)
    for key, money in _expected(first, ["N1"]).items():
        assert got[key].money == pytest.approx(money), key
        assert not got[key].stale and got[key].data_version == first["version"], key
    assert got[("spof", "J1/P")].params == {"count": 1, "site": "N1"}
    rated = risks.rate(risk)
    assert rated.impact.money == pytest.approx(max(_expected(first, ["N1"]).values()))
    assert rated.impact.money > 1.0  # the linked figures, not the entered one

    # A data change: twice the stock of M at J1 (more cover while N1 is out).
    from econsec.valuechain.intake.apply import import_tables

    changed = copy.deepcopy(tables)
    for row in changed["inventory"]:
        if row["item_id"] == "M":
            row["on_hand_units"] = 400.0
    import_tables(changed, "mini")
    # Re-imported, not yet re-analysed: every figure is the old one, marked stale.
    stale = _figures(risk)
    assert stale[("element", "site:T1")].stale and stale[("hit", "hit")].stale
    assert stale[("spof", "N1")].money == pytest.approx(first["site"]["N1"])
    assert stale[("spof", "J1/P")].money is None  # no exposure analysis of the new data yet

    second = _analyse(changed)
    assert second["version"] != first["version"]
    assert 0 < second["site"]["N1"] < first["site"]["N1"]
    got = _figures(risk)
    for key, money in _expected(second, ["N1"]).items():
        assert got[key].money == pytest.approx(money), key
        assert not got[key].stale and got[key].data_version == second["version"], key
    assert risks.rate(risk).impact.money == pytest.approx(second["site"]["N1"])

    # A screening decision is a data change too: a dismissed hit weighs nothing.
    service.decide(hit, "dismissed", reviewer="sato", reason="別法人")
    got = _figures(risk)
    assert got[("hit", "hit")].money == 0.0
    assert linked.note(got[("hit", "hit")], "en").startswith("the hit is dismissed")
    assert got[("spof", "N1")].money == pytest.approx(second["site"]["N1"])

    # A second qualified source of M (K1): N1 is no longer a single point of failure of P.
    third_tables = copy.deepcopy(changed)
    third_tables["supply_links"].append({
        "supplier_site_id": "K1", "item_id": "M", "receiving_site_id": "J1", "share": 0.0,
        "annual_value": Decimal("1000000"), "currency": "JPY", "qualified": True,
    })  # fmt: skip
    third = _analyse(third_tables)
    got = _figures(risk)
    assert third["spofs"]["J1/P"] == [] and got[("spof", "J1/P")].money == 0.0
    assert linked.note(got[("spof", "J1/P")], "en").startswith("this product has no single")
    assert got[("item", "M")].params["count"] == 2
    for key, money in _expected(third, ["N1", "K1"], hit_open=False).items():
        assert got[key].money == pytest.approx(money), key
    assert risks.rate(risk).impact.money == pytest.approx(
        max(_expected(third, ["N1", "K1"], hit_open=False).values())
    )


def test_the_risk_page_and_list_show_the_linked_figures(client_for: Any, users: Any) -> None:
    from django.urls import reverse

    a = _analyse(mini_tables())
    risk = risks.create("R-P", actor="ana", title_ja="拠点", title_en="site")
    structure.link(risk, "spof", "N1", "Baotou", actor="ana")
    page = client_for("viewer").get(reverse("web:governance_risk", args=["R-P"]),
                                    HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    text = page.content.decode()
    assert f"{a['site']['N1']:,.0f}" in text
    assert "a single point of failure of 1 products" in text
    listing = client_for("viewer").get(reverse("web:governance_risks"))
    assert f"{a['site']['N1']:,.0f}" in listing.content.decode()
