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
        "\xff\xfe not json",
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
