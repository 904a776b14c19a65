"""Countries of concern: the CLI and the page manage the company's list (reason and source in
ja/en), and the exposure engine follows it — checked against scores worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from econsec.cli import app
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import compute
from tests.technology.chain import demo_chain_rows

runner = CliRunner()


def _score(tech: str, route: str) -> float:
    return dict((r, s) for r, s, _l in compute().row(tech))[route]


def test_cli_manages_the_list_and_the_exposure_follows(db: None) -> None:
    demo_chain_rows()
    create_demo_register()
    # Held at Beilun (CN): overseas 0.3 + concern 0.4 + 42/50 people × 0.2 + 30/42 without a
    # need-to-know reason × 0.2 → capped at 1.
    assert _score("T-MAG-GBD", "overseas.operation") == pytest.approx(1.0)
    listed = runner.invoke(app, ["tech", "countries", "list", "--lang", "en"],
                           env={"COLUMNS": "200"})  # fmt: skip
    assert listed.exit_code == 0 and "CN" in listed.output and "own choice" in listed.output
    gone = runner.invoke(app, ["tech", "countries", "remove", "中国", "--lang", "en"])
    assert gone.exit_code == 0, gone.output
    assert not m.ConcernCountry.objects.exists()
    assert _score("T-MAG-GBD", "overseas.operation") == pytest.approx(
        0.3 + 42 / 50 * 0.2 + 30 / 42 * 0.2
    )
    # Germany added: the Hamburg contract developer becomes a partner in a country of concern.
    assert _score("T-INV-CTL", "overseas.planning") == 0
    added = runner.invoke(app, ["tech", "countries", "add", "DE", "--reason-ja", "試験",
                                "--reason-en", "test", "--source", "board minute 12",
                                "--actor", "kato", "--lang", "en"])  # fmt: skip
    assert added.exit_code == 0, added.output
    row = m.ConcernCountry.objects.get()
    assert (row.country, row.reason_en, row.source, row.added_by) == ("DE", "test",
                                                                     "board minute 12", "kato")  # fmt: skip
    assert _score("T-INV-CTL", "overseas.planning") == pytest.approx(0.4)
    reasons = compute().reasons("T-INV-CTL", "overseas.planning", "en")
    assert reasons[0].startswith("Partner in a country of concern (DE)")


@pytest.mark.parametrize(
    ("args", "expected_en", "expected_ja"),
    [
        (
            ["add", "Atlantis", "--reason-en", "x"],
            "Not a country: 'Atlantis'",
            "国として認識できません",
        ),
        (["add", "RU"], "RU: give the reason", "RU:懸念国とする理由"),
        (["remove", "FR"], "FR is not on the list", "FR は懸念国に登録されていません"),
    ],
)
def test_cli_refusals_name_what_and_write_nothing(
    db: None, args: list[str], expected_en: str, expected_ja: str
) -> None:
    for lang, expected in (("en", expected_en), ("ja", expected_ja)):
        out = runner.invoke(app, ["tech", "countries", *args, "--lang", lang])
        assert out.exit_code == 1 and expected in " ".join(out.output.split()), out.output
    assert not m.ConcernCountry.objects.exists()


def test_a_changed_list_changes_the_register_version(db: None) -> None:
    from econsec.technology.countries import add

    demo_chain_rows()
    create_demo_register()
    before = compute().compiled.version
    add("KP", reason_en="sanctions", actor="a")
    assert compute().compiled.version != before


def test_page_lists_and_edits_by_role(db: None, users: Any, client_for: Any) -> None:
    demo_chain_rows()
    create_demo_register()
    page = client_for("viewer").get(reverse("web:technology_countries"))
    text = page.content.decode()
    assert page.status_code == 200 and "CN" in text and 'data-testid="concern-form"' not in text
    # Counts of affected technologies only: the magnet process is held in CN and its partners
    # are Chinese (one technology each), and no name appears.
    assert "T-MAG-GBD" not in text and "ネオジム" not in text
    assert ("1 technologies held" in text) or ("懸念国で保有している技術 1 件" in text)
    viewer = client_for("viewer").post(reverse("web:technology_country_add"),
                                       {"country": "RU", "reason_en": "x"})  # fmt: skip
    assert viewer.status_code == 403 and not m.ConcernCountry.objects.filter(country="RU").exists()
    analyst = client_for("analyst")
    bad = analyst.post(reverse("web:technology_country_add"), {"country": "RU"})
    assert bad.status_code == 400 and "RU" in bad.content.decode()
    ok = analyst.post(reverse("web:technology_country_add"),
                      {"country": "ロシア", "reason_ja": "輸出規制", "source": "社内規程"})  # fmt: skip
    assert ok.status_code == 303
    assert m.ConcernCountry.objects.get(country="RU").reason_ja == "輸出規制"
    removed = analyst.post(reverse("web:technology_country_remove", kwargs={"country": "CN"}))
    assert removed.status_code == 303 and not m.ConcernCountry.objects.filter(country="CN").exists()
