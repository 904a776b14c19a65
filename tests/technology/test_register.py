"""The register on the database: the demo register through the CLI, the seven-sheet workbook
(round trip; located all-or-nothing errors in ja and en), incidents, need-to-know, the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from tests.technology.chain import demo_chain_rows

runner = CliRunner()


def test_demo_register_flags_the_magnet_process_on_withdrawal(db: None) -> None:
    demo_chain_rows()
    assert create_demo_register() == 3 and create_demo_register() == 0
    listed = runner.invoke(app, ["tech", "list", "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert "T-MAG-GBD" in listed.output and "Damage if leaked 5/5" in listed.output
    out = runner.invoke(app, ["tech", "exposure", "--lang", "en"], env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    assert "Overseas production: withdrawal" in out.output
    assert "No exit or return-of-materials clause" in out.output
    from econsec.technology.service import compute

    matrix = compute()
    row = dict((r, level) for r, _s, level in matrix.row("T-MAG-GBD"))
    # no exit clause 0.6 + JV partner 0.2 + held in CN 0.3 → capped at 1, no control: high.
    assert row["overseas.withdrawal"] == "high"
    reasons = matrix.reasons("T-MAG-GBD", "overseas.withdrawal", "ja")
    assert reasons[0].startswith("撤退・資料返還条項がない")
    # The inverter software's job-change route has its own control in place.
    inv = dict((r, s) for r, s, _l in matrix.row("T-INV-CTL"))
    assert inv["people.job_change"] < 0.5


def test_workbook_round_trip_and_located_errors(db: None, tmp_path: Path) -> None:
    demo_chain_rows()
    create_demo_register()
    path = tmp_path / "tech.xlsx"
    done = runner.invoke(app, ["tech", "export", str(path), "--lang", "en"])
    assert done.exit_code == 0, done.output
    wb = load_workbook(path)
    assert wb.sheetnames == ["technologies", "holdings", "access", "partners", "controls",
                             "market_shares", "customers"]  # fmt: skip
    ws = wb["access"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("headcount") + 1, 99)  # a good change
    ws2 = wb["partners"]
    ph = [c.value for c in ws2[1]]
    ws2.cell(3, ph.index("role") + 1, "friend")
    wb["technologies"].cell(4, 6, 9)  # market 9
    wb.save(path)
    before = m.AccessGroup.objects.get(name="磁石プロセス開発チーム").headcount
    bad = runner.invoke(app, ["tech", "import", str(path), "--lang", "en"])
    assert bad.exit_code == 1
    assert "sheet 'partners', row 3, column 'role' (value 'friend'): expected one of" in bad.output
    assert "sheet 'technologies', row 4, column 'market' (value '9')" in bad.output
    assert "nothing was written" in bad.output
    ja = runner.invoke(app, ["tech", "import", str(path), "--lang", "ja"])
    assert "シート「partners」3 行目・列「role」(値「friend」)" in ja.output
    assert m.AccessGroup.objects.get(name="磁石プロセス開発チーム").headcount == before
    ws2.cell(3, ph.index("role") + 1, "licensee")
    wb["technologies"].cell(4, 6, 4)
    wb.save(path)
    ok = runner.invoke(app, ["tech", "import", str(path), "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    assert m.AccessGroup.objects.filter(headcount=99).count() == 1
    assert m.Technology.objects.count() == 3 and m.PartnerAccess.objects.count() == 3


def test_incident_workflow_raises_the_route(db: None) -> None:
    create_demo_register()
    from econsec.technology.service import compute

    before = dict((r, s) for r, s, _l in compute().row("T-SERVO-ENC"))["people.trade_show"]
    opened = runner.invoke(app, ["tech", "incident", "INC-1", "--title", "booth photo",
                                 "--tech", "T-SERVO-ENC", "--route", "people.trade_show"])  # fmt: skip
    assert opened.exit_code == 0, opened.output
    after = dict((r, s) for r, s, _l in compute().row("T-SERVO-ENC"))["people.trade_show"]
    assert after == min(1.0, before + 0.3)
    back = runner.invoke(app, ["tech", "incident", "INC-1", "--status", "reported", "--lang", "en"])
    assert back.exit_code == 1 and "needs a note" in back.output
    runner.invoke(app, ["tech", "incident", "INC-1", "--status", "contained"])
    again = runner.invoke(
        app, ["tech", "incident", "INC-1", "--status", "detected", "--lang", "en"]
    )
    assert "cannot go back" in again.output
    runner.invoke(app, ["tech", "incident", "INC-1", "--status", "remediated", "--note", "closed"])
    assert dict((r, s) for r, s, _l in compute().row("T-SERVO-ENC"))["people.trade_show"] == before
    assert [e.status for e in m.Incident.objects.get().events.all()] == [
        "detected",
        "contained",
        "remediated",
    ]


def test_report_section_has_counts_and_no_names(db: None) -> None:
    from econsec.technology.report import build

    assert build("v") is None
    create_demo_register()
    section = build("v")
    text = json.dumps(section.__dict__, default=lambda o: o.__dict__, ensure_ascii=False)
    for x in m.Technology.objects.all():
        for secret in (x.tech_id, x.name_ja, x.name_en):
            assert secret not in text
    assert "3 technologies in the register" in text


def test_report_counts_indispensability_by_level_without_names(db: None) -> None:
    from econsec.technology.importance import SWITCH_FULL_MONTHS
    from econsec.technology.report import build

    create_demo_register()
    # Demo e-axle: 40·0.15 + 40·mean(min(30, 24), 12)/24 + 20·mean(0.7, 0.4) = 6 + 30 + 11 = 47
    # (medium); its share fell (18% → 15%) and HUAAN qualifies a second source: eroding.
    e_axle = 40 * 0.15 + 40 * ((min(30, SWITCH_FULL_MONTHS) + 12) / 2) / 24 + 20 * 0.55
    assert e_axle == pytest.approx(47)
    m.MarketShare.objects.create(item_id="P-INV800", year=2025, share=0.5, source="s")
    m.CustomerTie.objects.create(
        item_id="P-INV800", customer="KOBE-EV", country="JP", switch_months=36, share_of_supply=1.0
    )  # 20 + 40 + 20 = 80: high
    m.MarketShare.objects.create(item_id="P-SMALL", year=2025, share=0.1, source="s")  # 4: low
    section = build("v")
    text = json.dumps(section.__dict__, default=lambda o: o.__dict__, ensure_ascii=False)
    assert ("3 items we sell are scored for indispensability: 1 high, 1 medium, 1 low. 1 show "
            "erosion (1 with a falling market share, 1 with a customer qualifying a second "
            "source).") in text  # fmt: skip
    table = next(x for x in section.tables if x.id == "technology-indispensability")
    assert [row[1:] for row in table.rows] == [[1, 0], [1, 1], [1, 0]]  # high, medium, low
    for secret in ("P-EAX150", "P-INV800", "P-SMALL", "YAMATO", "HUAAN", "KOBE-EV"):
        assert secret not in text


def test_need_to_know_grant(db: None) -> None:
    from django.contrib.auth import get_user_model

    from econsec.technology.service import may_see

    user = get_user_model().objects.create_user("kim", password="x")
    assert not may_see(user)
    assert runner.invoke(app, ["tech", "grant", "kim"]).exit_code == 0
    assert may_see(get_user_model().objects.get(username="kim"))
    runner.invoke(app, ["tech", "grant", "kim", "--revoke"])
    assert not may_see(get_user_model().objects.get(username="kim"))
    nobody = runner.invoke(app, ["tech", "grant", "nobody", "--lang", "en"])
    assert nobody.exit_code == 1 and "No user nobody" in nobody.output


def test_incident_evidence_is_kept_by_hash(db: None, tmp_path: Path, settings: Any) -> None:
    import hashlib

    settings.DATA_DIR = tmp_path / "data"

    create_demo_register()
    runner.invoke(app, ["tech", "incident", "INC-2", "--title", "mail", "--tech", "T-INV-CTL",
                        "--route", "psia.cyber"])  # fmt: skip
    file = tmp_path / "mail-headers.txt"
    file.write_bytes(b"Received: from evil.example\r\n")
    done = runner.invoke(app, ["tech", "incident", "INC-2", "--evidence", str(file),
                               "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0, done.output
    row = m.IncidentEvidence.objects.get()
    assert row.sha256 == hashlib.sha256(file.read_bytes()).hexdigest() in done.output
    assert row.size == file.stat().st_size and row.name == "mail-headers.txt"
    missing = runner.invoke(app, ["tech", "incident", "INC-404", "--evidence", str(file),
                                  "--lang", "en"])  # fmt: skip
    assert missing.exit_code == 1 and "No incident INC-404" in missing.output
