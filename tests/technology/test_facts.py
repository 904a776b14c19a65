"""Facts of a technology one at a time (holdings, access groups, partners): checked by the
workbook importer's converter, refused with the field and value in ja/en, all-or-nothing, the
audit trail told, and the exposure matrix following the change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from econsec import trail
from econsec.i18n import LANGUAGES, t
from econsec.sheet_problems import ImportProblems
from econsec.technology import facts, workbook
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.errors import TechnologyError
from econsec.technology.service import compute
from tests.technology.chain import demo_chain_rows

pytestmark = pytest.mark.django_db

HOLDING = {"kind": "site", "site_id": "HOKUNB-PLT", "label": "寧波合弁工場", "country": ""}
ACCESS = {"name": "品質保証課", "headcount": "5", "key_people": "yes",
          "need_to_know": "出荷検査で条件を参照", "people": ""}  # fmt: skip
PARTNER = {"org_id": "NORDLICHT", "role": "joint_research", "nda": "yes", "exit_clause": "",
           "notes": "共同研究契約 2026"}  # fmt: skip
CONTROL = {"route_id": "people.trade_show", "status": "in_place",
           "description": "展示前の審査(技術部長承認)", "evidence": "展示審査規程 第3条"}  # fmt: skip


@pytest.fixture
def tech(db: Any) -> m.Technology:
    demo_chain_rows()
    create_demo_register()
    return m.Technology.objects.get(tech_id="T-SERVO-ENC")


@pytest.fixture
def heard() -> Any:
    events: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        events.append(kwargs)

    trail.evidence.connect(listen, dispatch_uid="test_facts")
    yield events
    trail.evidence.disconnect(dispatch_uid="test_facts")


def _counts(tech: m.Technology) -> tuple[int, int, int, int]:
    return (tech.holdings.count(), tech.access.count(), tech.partners.count(),
            tech.controls.count())  # fmt: skip


def test_the_converter_is_the_importers() -> None:
    # The form checks through the very function the workbook import uses.
    assert facts.convert is workbook.convert
    assert [c.key for c in facts.KINDS["holding"].columns] == [
        "kind",
        "site_id",
        "label",
        "country",
    ]
    assert [c.key for c in facts.KINDS["access"].columns] == [
        "name", "headcount", "key_people", "need_to_know", "people"]  # fmt: skip
    assert [c.key for c in facts.KINDS["partner"].columns] == [
        "org_id", "role", "nda", "exit_clause", "notes"]  # fmt: skip
    route = facts.KINDS["control"].columns[0]
    assert route.key == "route_id" and "people.trade_show" in route.choices
    assert [c.key for c in facts.KINDS["control"].columns][1:] == [
        "status", "description", "evidence"]  # fmt: skip


def test_add_a_holding_overseas_moves_the_exposure(tech: m.Technology, heard: list[Any]) -> None:
    before = {r: s for r, s, _ in compute().row("T-SERVO-ENC")}
    fact = facts.add(tech, facts.KINDS["holding"], HOLDING, actor="analyst")
    assert (fact.kind, fact.site_id, fact.label, fact.country) == (
        "site", "HOKUNB-PLT", "寧波合弁工場", "")  # fmt: skip
    after = compute()
    # Held at the site in China now (its country comes from the value chain): the overseas
    # operation route names the holding, and no cell fell.
    reasons = after.reasons("T-SERVO-ENC", "overseas.operation", "en")
    assert "Held overseas: 寧波合弁工場 (CN)" in reasons
    scores = {r: s for r, s, _ in after.row("T-SERVO-ENC")}
    assert all(scores[r] >= before[r] for r in before) and scores != before
    [event] = heard
    assert event["action"] == "technology.holding.added" and event["actor"] == "analyst"
    assert event["ref"] == f"technology:{tech.pk}"
    assert event["detail"] == {"fact": fact.pk, "fields": ["country", "kind", "label", "site_id"]}
    # The trail names no value (it is read without need-to-know).
    assert "寧波" not in repr(event) and "HOKUNB" not in repr(event)


def test_add_change_remove_each_kind(tech: m.Technology, heard: list[Any]) -> None:
    kinds = ("holding", "access", "partner", "control")
    for name, form in zip(kinds, (HOLDING, ACCESS, PARTNER, CONTROL), strict=True):
        kind = facts.KINDS[name]
        fact = facts.add(tech, kind, form, actor="a")
        changed_form = dict(form)
        key = {"holding": "label", "access": "headcount", "partner": "exit_clause",
               "control": "status"}[name]  # fmt: skip
        new = {"holding": "新工場", "access": "7", "partner": "yes", "control": "partial"}[name]
        changed_form[key] = new
        assert facts.change(tech, kind, fact.pk, changed_form, actor="b") == [key]
        fact.refresh_from_db()
        assert getattr(fact, key) == {"holding": "新工場", "access": 7, "partner": True,
                                      "control": "partial"}[name]  # fmt: skip
        assert facts.change(tech, kind, fact.pk, changed_form, actor="b") == []  # no-op
        facts.remove(tech, kind, fact.pk, actor="c")
        assert not kind.model.objects.filter(pk=fact.pk).exists()
    actions = [(e["action"], e["actor"]) for e in heard]
    assert actions == [(f"technology.{k}.{a}", who) for k in kinds
                       for a, who in (("added", "a"), ("changed", "b"), ("removed", "c"))]  # fmt: skip


def test_a_control_scales_its_routes_cell(tech: m.Technology) -> None:
    from econsec.technology.exposure import CONTROL_FACTOR, CONTROL_STATUSES

    route = "people.trade_show"
    before = {r: s for r, s, _ in compute().row("T-SERVO-ENC")}[route]
    assert before > 0
    fact = facts.add(tech, facts.KINDS["control"], CONTROL, actor="a")
    matrix = compute()
    after = {r: s for r, s, _ in matrix.row("T-SERVO-ENC")}[route]
    # No control recorded before (factor 1): now the in-place factor, and the reason says so.
    factor = float(CONTROL_FACTOR[CONTROL_STATUSES.index("in_place")])
    assert after == pytest.approx(before * factor)
    assert any("展示前の審査" in x for x in matrix.reasons("T-SERVO-ENC", route, "en"))
    facts.remove(tech, facts.KINDS["control"], fact.pk, actor="a")
    assert {r: s for r, s, _ in compute().row("T-SERVO-ENC")}[route] == pytest.approx(before)


def test_access_fields_are_stored_typed(tech: m.Technology) -> None:
    fact = facts.add(tech, facts.KINDS["access"], ACCESS, actor="a")
    assert (fact.headcount, fact.key_people, fact.need_to_know) == (5, True, "出荷検査で条件を参照")
    partner = facts.add(tech, facts.KINDS["partner"], PARTNER, actor="a")
    assert (partner.nda, partner.exit_clause, partner.role) == (True, False, "joint_research")
    # A headcount counts in the exposure's people figure (the reason quotes the sum).
    total = sum(tech.access.values_list("headcount", flat=True))
    matrix = compute()
    lines = [x for r, _s, _l in matrix.row("T-SERVO-ENC")
             for x in matrix.reasons("T-SERVO-ENC", r, "en")]  # fmt: skip
    assert any(f"{total} people have access" in x for x in lines)


@pytest.mark.parametrize(
    ("name", "form", "field", "value", "key"),
    [
        ("access", {**ACCESS, "headcount": "many"}, "headcount", "many", "technology.xlsx.number"),
        ("access", {**ACCESS, "headcount": "2.5"}, "headcount", "2.5", "technology.xlsx.count"),
        ("access", {**ACCESS, "headcount": "-3"}, "headcount", "-3", "technology.xlsx.count"),
        ("access", {**ACCESS, "headcount": ""}, "headcount", "", "technology.xlsx.required"),
        ("access", {**ACCESS, "name": " "}, "name", " ", "technology.xlsx.required"),
        ("access", {**ACCESS, "key_people": "maybe"}, "key_people", "maybe", "technology.xlsx.bool"),
        ("holding", {**HOLDING, "kind": "cloud"}, "kind", "cloud", "technology.xlsx.choice"),
        ("holding", {**HOLDING, "country": "XX"}, "country", "XX", "technology.xlsx.country"),
        ("holding", {**HOLDING, "site_id": "NOPE"}, "site_id", "NOPE",
         "technology.xlsx.unknown_site"),
        ("holding", {**HOLDING, "site_id": ""}, "site_id", "", "technology.xlsx.site_needed"),
        ("holding", {"kind": "system", "label": ""}, "label", "", "technology.xlsx.required"),
        ("partner", {**PARTNER, "org_id": "ACME"}, "org_id", "ACME", "technology.xlsx.unknown_org"),
        ("partner", {**PARTNER, "role": "friend"}, "role", "friend", "technology.xlsx.choice"),
        ("partner", {**PARTNER, "nda": "perhaps"}, "nda", "perhaps", "technology.xlsx.bool"),
        ("partner", {**PARTNER, "org_id": "NORD\u200bLICHT"}, "org_id", "NORD\u200bLICHT",
         "technology.facts.bad_char"),
        ("access", {**ACCESS, "name": "x" * 301}, "name", "x" * 80, "technology.facts.too_long"),
        ("access", {**ACCESS, "need_to_know": "a\u202eb"}, "need_to_know", "a\u202eb",
         "technology.facts.bad_char"),
        ("control", {**CONTROL, "route_id": "psia.magic"}, "route_id", "psia.magic",
         "technology.xlsx.choice"),
        ("control", {**CONTROL, "status": "done"}, "status", "done", "technology.xlsx.choice"),
        ("control", {**CONTROL, "route_id": ""}, "route_id", "", "technology.xlsx.required"),
    ],
)  # fmt: skip
def test_refusals_name_field_and_value_and_keep_nothing(
    tech: m.Technology, heard: list[Any], name: str, form: dict[str, str], field: str,
    value: str, key: str,
) -> None:  # fmt: skip
    before = _counts(tech)
    with pytest.raises(facts.FactProblems) as refused:
        facts.add(tech, facts.KINDS[name], form, actor="a")
    [problem] = refused.value.problems
    assert (problem.field, problem.key) == (field, key)
    for lang in LANGUAGES:
        text = problem.message(lang)
        where = t("technology.facts.where", lang, field=field, value=value)
        assert text.startswith(where) and text.endswith(t(key, lang, **problem.params))
    assert problem.message("en").startswith(f"Field '{field}' (value '{value}'): ")
    assert problem.message("ja").startswith(f"項目「{field}」(値「{value}」):")
    assert _counts(tech) == before and heard == []


def test_every_problem_of_a_form_is_reported_and_a_change_is_all_or_nothing(
    tech: m.Technology, heard: list[Any]
) -> None:
    fact = facts.add(tech, facts.KINDS["access"], ACCESS, actor="a")
    heard.clear()
    bad = {**ACCESS, "name": "改名", "headcount": "lots", "key_people": "?"}
    with pytest.raises(facts.FactProblems) as refused:
        facts.change(tech, facts.KINDS["access"], fact.pk, bad, actor="a")
    assert [p.field for p in refused.value.problems] == ["headcount", "key_people"]
    fact.refresh_from_db()
    assert (fact.name, fact.headcount) == ("品質保証課", 5)  # the valid name was not applied
    assert heard == []


def test_form_error_reads_like_the_import_error(tech: m.Technology, tmp_path: Path) -> None:
    # The same wrong headcount through the workbook import and through the form: the same
    # reason, located by sheet/row/column there and by field here.
    path = tmp_path / "register.xlsx"
    workbook.export(path, "en")
    wb = load_workbook(path)
    ws = wb["access"]
    col = [c.value for c in ws[1]].index("headcount") + 1
    ws.cell(row=3, column=col, value="many")
    wb.save(path)
    with pytest.raises(ImportProblems) as imported:
        workbook.import_workbook(path, actor="a")
    [sheet_problem] = imported.value.problems
    with pytest.raises(facts.FactProblems) as formed:
        facts.add(tech, facts.KINDS["access"], {**ACCESS, "headcount": "many"}, actor="a")
    [form_problem] = formed.value.problems
    assert form_problem.key == sheet_problem.key
    for lang in LANGUAGES:
        reason = t(sheet_problem.key, lang, **sheet_problem.params)
        assert sheet_problem.message(lang).endswith(reason)
        assert form_problem.message(lang).endswith(reason)
    assert form_problem.message("en") == "Field 'headcount' (value 'many'): not a number."


def test_a_fact_of_another_technology_is_not_found(tech: m.Technology) -> None:
    other = m.Technology.objects.get(tech_id="T-MAG-GBD")
    theirs = other.access.first()
    assert theirs is not None
    kind = facts.KINDS["access"]
    with pytest.raises(TechnologyError):
        facts.change(tech, kind, theirs.pk, ACCESS, actor="a")
    with pytest.raises(TechnologyError):
        facts.remove(tech, kind, theirs.pk, actor="a")
    with pytest.raises(TechnologyError):
        facts.remove(tech, kind, 2**63, actor="a")
    assert other.access.filter(pk=theirs.pk).exists()
    with pytest.raises(TechnologyError) as unknown:
        facts.kind_of("controls")
    assert "controls" in unknown.value.message("en")


# ------------------------------------------------------------- the items we sell

SHARE = {"item_id": "P-INV800", "year": "2025", "share": "0.3", "source": "業界誌 2026年1月号"}
CUSTOMER = {"item_id": "P-INV800", "customer": "YAMATO", "country": "JP", "switch_months": "18",
            "share_of_supply": "0.5", "second_source": ""}  # fmt: skip


def test_item_facts_feed_the_indispensability_score(tech: m.Technology,
                                                    heard: list[Any]) -> None:  # fmt: skip
    from econsec.technology.indispensable import scores

    share = facts.add(None, facts.ITEM_KINDS["market_share"], SHARE, actor="a")
    customer = facts.add(None, facts.ITEM_KINDS["customer"], CUSTOMER, actor="a")
    assert (share.year, share.share, share.source) == (2025, 0.3, "業界誌 2026年1月号")
    assert (customer.switch_months, customer.share_of_supply, customer.second_source) == (
        18.0, 0.5, False)  # fmt: skip
    # By hand: 40 × 0.3 + 40 × 18/24 + 20 × 0.5 = 12 + 30 + 10.
    got = dict(scores())["P-INV800"]
    assert got.score == 52.0 and not got.eroding
    # A lower share the next year and a customer qualifying a second source: eroding.
    facts.add(None, facts.ITEM_KINDS["market_share"], {**SHARE, "year": "2026", "share": "0.25"},
              actor="a")  # fmt: skip
    facts.change(None, facts.ITEM_KINDS["customer"], customer.pk,
                 {**CUSTOMER, "second_source": "yes"}, actor="b")  # fmt: skip
    got = dict(scores())["P-INV800"]
    assert got.eroding and got.score == 50.0  # 40 × 0.25 + 30 + 10
    actions = [(e["action"], e["ref"]) for e in heard]
    assert actions[:2] == [("technology.market_share.added", f"market_share:{share.pk}"),
                           ("technology.customer.added", f"customer:{customer.pk}")]  # fmt: skip
    assert actions[-1] == ("technology.customer.changed", f"customer:{customer.pk}")
    assert "YAMATO" not in repr(heard) and "業界誌" not in repr(heard)
    facts.remove(None, facts.ITEM_KINDS["customer"], customer.pk, actor="c")
    assert not m.CustomerTie.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize(
    ("name", "form", "field", "key"),
    [
        ("market_share", {**SHARE, "share": "30%"}, "share", "technology.xlsx.number"),
        ("market_share", {**SHARE, "share": "1.5"}, "share", "technology.xlsx.share"),
        ("market_share", {**SHARE, "year": "99999"}, "year", "technology.xlsx.year"),
        ("market_share", {**SHARE, "year": "2024"}, "year", "technology.facts.share_taken"),
        ("market_share", {**SHARE, "source": ""}, "source", "technology.xlsx.required"),
        ("market_share", {**SHARE, "item_id": "P-NOPE"}, "item_id", "technology.xlsx.unknown_item"),
        ("customer", {**CUSTOMER, "customer": "ACME"}, "customer", "technology.xlsx.unknown_org"),
        ("customer", {**CUSTOMER, "switch_months": "-1"}, "switch_months",
         "technology.xlsx.negative"),
        ("customer", {**CUSTOMER, "switch_months": "inf"}, "switch_months",
         "technology.xlsx.number"),
        ("customer", {**CUSTOMER, "country": "Japan"}, "country", "technology.xlsx.country"),
    ],
)  # fmt: skip
def test_item_fact_refusals(tech: m.Technology, name: str, form: dict[str, str], field: str,
                            key: str) -> None:  # fmt: skip
    facts.add(None, facts.ITEM_KINDS["market_share"], {**SHARE, "year": "2024"}, actor="a")
    before = (m.MarketShare.objects.count(), m.CustomerTie.objects.count())
    with pytest.raises(facts.FactProblems) as refused:
        facts.add(None, facts.ITEM_KINDS[name], form, actor="a")
    [problem] = refused.value.problems
    assert (problem.field, problem.key) == (field, key)
    for lang in LANGUAGES:
        assert problem.message(lang).startswith(
            t("technology.facts.where", lang, field=field, value=form[field])
        )
    assert (m.MarketShare.objects.count(), m.CustomerTie.objects.count()) == before


def test_a_share_keeps_its_own_year_on_change(tech: m.Technology) -> None:
    share = facts.add(None, facts.ITEM_KINDS["market_share"], SHARE, actor="a")
    kind = facts.ITEM_KINDS["market_share"]
    assert facts.change(None, kind, share.pk, {**SHARE, "share": "0.35"}, actor="a") == ["share"]


def test_the_import_refuses_a_year_past_the_column(tech: m.Technology, tmp_path: Path) -> None:
    # Found while adding the forms: 99999 passed the import's check and failed in PostgreSQL's
    # small-integer column. The import now says so like the form.
    path = tmp_path / "register.xlsx"
    workbook.export(path, "en")
    wb = load_workbook(path)
    ws = wb["market_shares"]
    col = [c.value for c in ws[1]].index("year") + 1
    ws.cell(row=3, column=col, value=99999)
    wb.save(path)
    with pytest.raises(ImportProblems) as refused:
        workbook.import_workbook(path, actor="a")
    assert [(p.sheet, p.row, p.column, p.key) for p in refused.value.problems] == [
        ("market_shares", 3, "year", "technology.xlsx.year")]  # fmt: skip


def test_a_share_taken_by_another_writer_meanwhile_is_the_same_refusal(
    tech: m.Technology, monkeypatch: Any
) -> None:
    # The check passed, then another writer stored the same item and year: the database's
    # unique key refuses it and the answer is the check's own.
    real = facts.check

    def check_then_race(kind: Any, form: Any, **kwargs: Any) -> Any:
        values = real(kind, form, **kwargs)
        m.MarketShare.objects.create(item_id="P-INV800", year=2025, share=0.1, source="other")
        return values

    monkeypatch.setattr(facts, "check", check_then_race)
    with pytest.raises(facts.FactProblems) as refused:
        facts.add(None, facts.ITEM_KINDS["market_share"], SHARE, actor="a")
    assert [p.key for p in refused.value.problems] == ["technology.facts.share_taken"]
    assert list(
        m.MarketShare.objects.filter(item_id="P-INV800").values_list("source", flat=True)
    ) == ["other"]


def test_facts_from_the_command_line(tech: m.Technology, heard: list[Any]) -> None:
    from typer.testing import CliRunner

    from econsec.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["tech", "fact", "add", "holding", "kind=site", "site_id=HOKUNB-PLT",
                               "label=寧波合弁工場", "--tech", "T-SERVO-ENC", "--actor", "ops",
                               "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0, done.output
    made = tech.holdings.get(site_id="HOKUNB-PLT")
    assert f"Added holding #{made.pk}." in done.output
    bad = runner.invoke(app, ["tech", "fact", "add", "access", "name=x", "headcount=many",
                              "--tech", "T-SERVO-ENC", "--lang", "ja"])  # fmt: skip
    assert bad.exit_code == 1
    assert "項目「headcount」(値「many」):数値ではありません。" in bad.output
    changed = runner.invoke(app, ["tech", "fact", "change", "holding", "kind=site",
                                  "site_id=HOKUNB-PLT", "label=寧波工場", "--id", str(made.pk),
                                  "--tech", "T-SERVO-ENC", "--lang", "en"])  # fmt: skip
    assert changed.exit_code == 0 and tech.holdings.get(pk=made.pk).label == "寧波工場"
    share = runner.invoke(app, ["tech", "fact", "add", "market_share", "item_id=P-INV800",
                                "year=2025", "share=0.3", "source=業界誌", "--lang", "en"])  # fmt: skip
    assert share.exit_code == 0, share.output
    for args, text in (
        (["remove", "holding", "--id", str(made.pk), "--tech", "T-NOPE"], "T-NOPE is not in"),
        (["add", "holding", "colour=red", "--tech", "T-SERVO-ENC"], "There is no field colour"),
        (["add", "holding", "kind", "--tech", "T-SERVO-ENC"], "'kind' is not field=value"),
        (["burn", "holding", "--tech", "T-SERVO-ENC"], "Cannot 'burn'"),
        (["add", "secrets"], "no kind of fact 'secrets'"),
    ):
        refused = runner.invoke(app, ["tech", "fact", *args, "--lang", "en"])
        assert refused.exit_code == 1 and text in refused.output, (args, refused.output)
    done = runner.invoke(app, ["tech", "fact", "remove", "holding", "--id", str(made.pk),
                               "--tech", "T-SERVO-ENC", "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0 and not tech.holdings.filter(pk=made.pk).exists()
    assert [e["actor"] for e in heard][:1] == ["ops"]
