"""The forms on a technology's page for where it is held, who has access and which partners
have access: add, change, remove — for analysts and administrators with need-to-know only;
refusals located by field and value in the reader's language, nothing saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from tests.technology.chain import demo_chain_rows

TECH = "T-SERVO-ENC"
FORMS = {
    "holding": {"kind": "document", "site_id": "", "label": "設計図面 PDM", "country": "JP"},
    "access": {"name": "品質保証課", "headcount": "5", "key_people": "yes",
               "need_to_know": "出荷検査で条件を参照", "people": ""},
    "partner": {"org_id": "NORDLICHT", "role": "licensee", "nda": "yes", "notes": ""},
    "control": {"route_id": "psia.cyber", "status": "partial", "description": "USB 制限",
                "evidence": "IT 規程"},
}  # fmt: skip
MODELS = {"holding": m.Holding, "access": m.AccessGroup, "partner": m.PartnerAccess,
          "control": m.Control}  # fmt: skip


@pytest.fixture
def demo(db: Any, users: Any) -> m.Technology:
    demo_chain_rows()
    create_demo_register()
    return m.Technology.objects.get(tech_id=TECH)


def _url(action: str, kind: str, fact_id: int | None = None, tech: str = TECH) -> str:
    args: list[Any] = [tech, kind] + ([fact_id] if fact_id is not None else [])
    return reverse(f"web:technology_fact_{action}", args=args)


def _detail(tech: str = TECH) -> str:
    return reverse("web:technology_detail", args=[tech])


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_add_change_and_remove_through_the_page(demo: m.Technology, client_for: Any,
                                                kind: str) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    model = MODELS[kind]
    before = model.objects.filter(technology=demo).count()
    added = client.post(_url("add", kind), FORMS[kind])
    assert added.status_code == 303 and added["Location"] == _detail() + f"#facts-{kind}"
    fact = model.objects.filter(technology=demo).order_by("-id").first()
    assert model.objects.filter(technology=demo).count() == before + 1 and fact is not None
    page = client.get(_detail()).content.decode()
    assert f'data-testid="fact-{kind}-{fact.pk}"' in page
    shown = {"holding": "設計図面 PDM", "access": "出荷検査で条件を参照", "partner": "NORDLICHT",
             "control": "USB 制限"}  # fmt: skip
    assert shown[kind] in page
    changed = {**FORMS[kind]}
    field, value, stored = {"holding": ("label", "設計図面 PLM", "設計図面 PLM"),
                            "access": ("headcount", "9", 9),
                            "partner": ("role", "joint_research", "joint_research"),
                            "control": ("status", "in_place", "in_place")}[kind]  # fmt: skip
    changed[field] = value
    assert client.post(_url("change", kind, fact.pk), changed).status_code == 303
    fact.refresh_from_db()
    assert getattr(fact, field) == stored
    assert client.post(_url("remove", kind, fact.pk)).status_code == 303
    assert model.objects.filter(technology=demo).count() == before


def test_a_site_holding_shows_the_sites_country(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    form = {"kind": "site", "site_id": "HOKUNB-PLT", "label": "寧波", "country": ""}
    assert client.post(_url("add", "holding"), form).status_code == 303
    # No country entered: the page shows the site's, which the exposure uses.
    assert "<td>(CN)</td>" in client.get(_detail()).content.decode()


def test_unchecked_boxes_clear_a_flag(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    client.post(_url("add", "partner"), FORMS["partner"])
    fact = m.PartnerAccess.objects.filter(technology=demo).get()
    assert fact.nda is True
    without = {k: v for k, v in FORMS["partner"].items() if k != "nda"}  # a box left unticked
    assert client.post(_url("change", "partner", fact.pk), without).status_code == 303
    fact.refresh_from_db()
    assert fact.nda is False


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Field 'headcount' (value 'many'): not a number.",
                "Field 'key_people' (value 'perhaps'): expected yes or no.",
                "Nothing was saved (problems found: 2)."]),
        ("ja", ["項目「headcount」(値「many」):数値ではありません。",
                "項目「key_people」(値「perhaps」):はい/いいえ(yes/no)で入力してください。",
                "2 件の問題があるため、何も保存していません。"]),
    ],
)  # fmt: skip
def test_a_refused_form_is_400_located_and_kept(demo: m.Technology, client_for: Any,
                                                lang: str, expected: list[str]) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    count = m.AccessGroup.objects.count()
    bad = {**FORMS["access"], "headcount": "many", "key_people": "perhaps"}
    answer = client.post(_url("add", "access"), bad, HTTP_ACCEPT_LANGUAGE=lang)
    assert answer.status_code == 400
    page = answer.content.decode()
    from django.utils.html import escape

    for line in expected:
        assert escape(line) in page, line
    # The add form is open again with what was sent.
    assert 'value="品質保証課"' in page and 'value="many"' in page
    assert m.AccessGroup.objects.count() == count


def test_a_refused_change_keeps_the_old_values(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    fact = demo.holdings.get()
    answer = client.post(_url("change", "holding", fact.pk),
                         {"kind": "site", "site_id": "NOWHERE", "label": "x"},
                         HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert answer.status_code == 400
    assert "Field &#x27;site_id&#x27; (value &#x27;NOWHERE&#x27;)" in answer.content.decode()
    fact.refresh_from_db()
    assert (fact.site_id, fact.label) == ("TOHO-AZM", "安曇野工場")


def test_who_may_use_the_forms(demo: m.Technology, client_for: Any) -> None:
    fact = demo.access.get()
    grant("viewer", allow=True)
    # Need-to-know without the edit role: the page shows facts but no form; a post is 403.
    viewer = client_for("viewer")
    page = viewer.get(_detail()).content.decode()
    assert "サーボ設計課" in page and 'data-testid="add-access"' not in page
    for url in (_url("add", "access"), _url("change", "access", fact.pk),
                _url("remove", "access", fact.pk)):  # fmt: skip
        assert viewer.post(url, FORMS["access"]).status_code == 403
    # The edit role without need-to-know: 403 before the technology is looked up, the same
    # page whether or not the technology exists (beyond the address the caller typed, which
    # the language switch carries back).
    analyst = client_for("analyst")
    pages = []
    for tech in (TECH, "T-NOPE"):
        answer = analyst.post(_url("remove", "access", fact.pk, tech=tech))
        assert answer.status_code == 403
        page = answer.content.decode().replace(tech, "…")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page))
    assert pages[0] == pages[1] and "サーボ" not in pages[0]
    assert demo.access.filter(pk=fact.pk).exists()
    grant("analyst", allow=True)
    assert analyst.get(_detail()).content.decode().count('data-testid="add-') == 4
    # Unknown technology, kind or fact: 404; a fact of another technology is not reachable.
    other = m.Technology.objects.get(tech_id="T-MAG-GBD").access.first()
    assert other is not None
    assert analyst.post(_url("add", "access", tech="T-NOPE"), FORMS["access"]).status_code == 404
    assert analyst.post(_url("add", "controls"), {}).status_code == 404
    assert analyst.post(_url("remove", "access", other.pk)).status_code == 404
    assert analyst.post(_url("change", "access", 999999), FORMS["access"]).status_code == 404
    assert m.AccessGroup.objects.filter(pk=other.pk).exists()
    # A GET changes nothing: it goes back to the page.
    assert analyst.get(_url("remove", "access", fact.pk)).status_code == 303
    assert demo.access.filter(pk=fact.pk).exists()


# ------------------------------------------------------- the items we sell (dependence page)

ITEM_FORMS = {
    "market_share": {"item_id": "P-INV800", "year": "2025", "share": "0.3", "source": "業界誌"},
    "customer": {"item_id": "P-INV800", "customer": "YAMATO", "country": "JP",
                 "switch_months": "18", "share_of_supply": "0.5"},
}  # fmt: skip
ITEM_MODELS = {"market_share": m.MarketShare, "customer": m.CustomerTie}


def _item_url(action: str, kind: str, fact_id: int | None = None) -> str:
    args: list[Any] = [kind] + ([fact_id] if fact_id is not None else [])
    return reverse(f"web:technology_item_fact_{action}", args=args)


@pytest.mark.parametrize("kind", sorted(ITEM_FORMS))
def test_item_facts_through_the_dependence_page(demo: m.Technology, client_for: Any,
                                                kind: str) -> None:  # fmt: skip
    grant("analyst", allow=True)
    client = client_for("analyst")
    model = ITEM_MODELS[kind]
    before = model.objects.count()
    added = client.post(_item_url("add", kind), ITEM_FORMS[kind])
    assert added.status_code == 303
    assert added["Location"] == reverse("web:technology_dependence") + f"#facts-{kind}"
    fact = model.objects.order_by("-id").first()
    assert fact is not None and model.objects.count() == before + 1
    page = client.get(reverse("web:technology_dependence")).content.decode()
    assert f'data-testid="fact-{kind}-{fact.pk}"' in page and "P-INV800" in page
    field, value, stored = {"market_share": ("share", "0.4", 0.4),
                            "customer": ("switch_months", "6", 6.0)}[kind]  # fmt: skip
    assert client.post(_item_url("change", kind, fact.pk),
                       {**ITEM_FORMS[kind], field: value}).status_code == 303  # fmt: skip
    fact.refresh_from_db()
    assert getattr(fact, field) == stored
    assert client.post(_item_url("remove", kind, fact.pk)).status_code == 303
    assert model.objects.count() == before


def test_item_fact_refusal_is_located_on_the_page(demo: m.Technology, client_for: Any) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    bad = {**ITEM_FORMS["market_share"], "share": "30%", "year": "2024", "item_id": "P-EAX150"}
    answer = client.post(_item_url("add", "market_share"), bad, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Field &#x27;share&#x27; (value &#x27;30%&#x27;): not a number." in page
    assert "Field &#x27;year&#x27; (value &#x27;2024&#x27;): a share for item P-EAX150" in page
    assert "Nothing was saved (problems found: 2)." in page and 'value="30%"' in page
    assert m.MarketShare.objects.count() == 2  # the demo's two


def test_who_may_change_item_facts(demo: m.Technology, client_for: Any) -> None:
    share = m.MarketShare.objects.first()
    assert share is not None
    # Without need-to-know even the edit role is refused before anything is looked up; the
    # dependence page shows no customer and no form.
    analyst = client_for("analyst")
    for url in (_item_url("add", "customer"), _item_url("change", "market_share", share.pk),
                _item_url("remove", "market_share", share.pk), _item_url("add", "nope")):  # fmt: skip
        assert analyst.post(url, ITEM_FORMS["customer"]).status_code == 403
    page = analyst.get(reverse("web:technology_dependence")).content.decode()
    assert "YAMATO" not in page and 'data-testid="add-customer"' not in page
    # Need-to-know without the edit role: the facts are shown, without forms; posts are 403.
    grant("viewer", allow=True)
    viewer = client_for("viewer")
    page = viewer.get(reverse("web:technology_dependence")).content.decode()
    assert "YAMATO" in page and 'data-testid="add-customer"' not in page
    assert viewer.post(_item_url("remove", "market_share", share.pk)).status_code == 403
    grant("analyst", allow=True)
    assert analyst.post(_item_url("add", "nope"), {}).status_code == 404
    assert analyst.post(_item_url("remove", "customer", 10**9)).status_code == 404
    assert m.MarketShare.objects.filter(pk=share.pk).exists()
