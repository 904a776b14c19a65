"""Hostile returned supplier workbooks: a located error in ja, en and zh within the budget,
no rows kept, the process alive."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec.survey.answers import Problem
from econsec.survey.campaigns import brief, load_chain
from econsec.survey.models import Answer, Provenance
from econsec.survey.questionnaire import fill
from econsec.survey.returns import receive
from tests.hostile import files
from tests.hostile.budget import measured
from tests.survey.filler import fill_workbook
from tests.survey.test_round_trip import K1_SOURCES

Build = Callable[[Path, Path], Path]


def _macro(base: Path, out: Path) -> Path:
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        new.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out


# sheet index 4 is "sources" (instructions, about, lists, supplied, sources, …)
CASES: dict[str, tuple[Build, list[str]]] = {
    "far-away cell": (lambda b, o: files.far_cell(b, o, sheet=4), ["XFD1048576"]),
    "huge declared dimension": (
        lambda b, o: files.declared_dimension(b, o, sheet=4),
        ["XFD1048576"],
    ),
    "zip bomb": (files.zip_bomb, ["case.xlsx"]),
    "xml entities": (files.xml_entities, ["case.xlsx"]),
    "formula": (
        lambda b, o: files.set_cell(b, o, "F3", formula=files.FORMULA, sheet=4),
        ["HYPERLINK"],
    ),
    "macro": (_macro, ["case.xlsx"]),
    "oversized": (lambda b, o: files.oversized(o, 8 * 1024 * 1024), ["case.xlsx"]),
    **{
        name: (lambda b, o, text=text: files.set_cell(b, o, "F3", text=text, sheet=4), ["F"])
        for name, text in files.CHARACTERS.items()
    },
}


@pytest.fixture
def campaign(db: Any) -> Any:
    from econsec.survey.campaigns import Selection, create
    from econsec.valuechain.intake.apply import import_tables
    from tests.valuechain.minichain import mini_tables

    import_tables(mini_tables(), "mini")
    return create("Hostile", 2026, Selection(tiers=(1,)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_return(case: str, campaign: Any, tmp_path: Path) -> None:
    request = campaign.requests.get(org_id="KRS")
    base = fill_workbook(
        fill(brief(request, load_chain())), tmp_path / "base.xlsx", sources=K1_SOURCES
    )
    build, must_name = CASES[case]
    path = build(base, tmp_path / "case.xlsx")
    with measured() as spent:
        answer = receive(request, path, via="test", name="case.xlsx")
    spent.check()
    assert not answer.ok and answer.rows == {} and answer.errors
    for data in answer.errors:
        for lang in ("ja", "en", "zh"):
            text = Problem.from_dict(data).message(lang)
            assert all(part in text for part in must_name), (lang, text)
    assert not Provenance.objects.exists()
    assert Answer.objects.filter(ok=True).count() == 0


def _post(client: Any, url: str, path: Path, **headers: Any) -> Any:
    with path.open("rb") as handle:
        return client.post(url, {"workbook": handle}, **headers)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("who", ["supplier", "analyst"])
def test_hostile_return_through_the_api(
    case: str, who: str, campaign: Any, tmp_path: Path, client_for: Any
) -> None:
    from econsec.survey.campaigns import issue_tokens

    request = campaign.requests.get(org_id="KRS")
    base = fill_workbook(
        fill(brief(request, load_chain())), tmp_path / "base.xlsx", sources=K1_SOURCES
    )
    build, must_name = CASES[case]
    path = build(base, tmp_path / "case.xlsx")
    if who == "supplier":
        token = issue_tokens(campaign, ["KRS"])["KRS"]
        client, url, lang = client_for(None), "/api/survey/supplier/answer?lang=zh", "zh"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    else:
        client, lang = client_for("analyst"), "en"
        url = f"/api/survey/campaigns/{campaign.pk}/suppliers/KRS/answer"
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    with measured() as spent:
        response = _post(client, url, path, **headers)
    spent.check()
    assert not Answer.objects.filter(ok=True).exists() and not Provenance.objects.exists()
    if case == "oversized":  # refused from its Content-Length, before the body is read
        assert response.status_code == 413
        return
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert not body["ok"] and body["errors"] and body["supplier_id"] == "KRS"
    stored = Answer.objects.get(request=request)
    assert [e["message"] for e in body["errors"]] == [
        Problem.from_dict(p).message(lang) for p in stored.errors
    ]  # in the supplier's language (zh) or the analyst's
    for error in body["errors"]:
        assert all(part in error["message"] for part in must_name), (lang, error)


FORM_CASES = {
    "bidi override in the name": ({"name": "Mapping \u202e7202"}, "name"),
    "escape character in the name": ({"name": "Mapping \x1b[31m"}, "name"),
    "100,000-character tag list": ({"tags": "a," * 50_000}, "tags"),
    "thousands of countries": ({"countries": "JP," * 3000}, "countries"),
    "huge year": ({"year": "9" * 5000}, "year"),
    "not-a-number spend": ({"min_spend": "nan"}, "min_spend"),
    "expiry years ahead": ({"expires": "2999-01-01"}, "expires"),
    "forged supplier": ({"picked": "1", "org": ["<script>"]}, "org"),
}


@pytest.mark.parametrize("case", sorted(FORM_CASES))
def test_hostile_campaign_form(case: str, db: Any, client_for: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from econsec.survey.models import Campaign
    from econsec.valuechain.intake.apply import import_tables
    from tests.valuechain.minichain import mini_tables

    import_tables(mini_tables(), "mini")
    changes, field = FORM_CASES[case]
    data = {"name": "m", "year": "2027", "tiers": "1", "min_spend": "0", "action": "create",
            "expires": (timezone.localdate() + dt.timedelta(days=9)).isoformat(), **changes}  # fmt: skip
    with measured() as spent:
        response = client_for("analyst").post("/survey/new/", data, HTTP_ACCEPT_LANGUAGE="ja")
    spent.check()
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert not Campaign.objects.exists()
