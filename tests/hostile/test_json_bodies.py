"""Hostile JSON request bodies at the API: every capability reads its bodies through one reader
(econsec.web.api.body), which refuses each kind of bad body with a located message in ja and
en (400; 413 when too large), within the budget, and writes nothing."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from django.urls import reverse

from econsec.governance.models import AuditEvent, Risk
from econsec.web.api.body import DEFAULT_LIMIT, MAX_DEPTH, BodyRefused, read_json
from econsec.web.guards import json_carries_nul
from tests.hostile.budget import measured

MiB = 1024 * 1024
RISK = '"code": "R-J", "title_ja": "あ", "title_en": "a"'


def _deep(levels: int) -> bytes:
    return ('{"a": ' + "[" * (levels - 1) + "1" + "]" * (levels - 1) + "}").encode()


LONG_INT = "7" * 5000
# (body, status, what the message holds in ja, in en)
CASES: dict[str, tuple[bytes, int, list[str], list[str]]] = {
    "too large": (
        ("{" + RISK + ', "owner": "' + "x" * (DEFAULT_LIMIT + 10) + '"}').encode(),
        413,
        ["上限", "4.0 MB"],
        ["exceeds", "4.0 MB"],
    ),
    "not UTF-8": (
        (b'{"code": "R-J", "title_ja": "') + b"\xff\xfe" + b'"}',
        400,
        ["UTF-8", "29"],
        ["UTF-8", "byte offset 29"],
    ),
    "not JSON": (
        ("{\n" + RISK + ",\n" + '"owner": "x",\n}').encode(),
        400,
        ["4 行 1 列", "JSON"],
        ["line 4, column 1", "not valid JSON"],
    ),
    "33 levels": (
        _deep(MAX_DEPTH + 1),
        400,
        ["入れ子", "a[0]", "32"],
        ["nested too deeply", "a[0][0]", "32"],
    ),
    "100,000 levels": (
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        400,
        ["入れ子", "バイト目"],
        ["nested too deeply", "byte offset 37"],
    ),
    "NaN": (
        ("{" + RISK + ', "entered_impact": NaN}').encode(),
        400,
        ["entered_impact", "NaN"],
        ["entered_impact: NaN is not allowed"],
    ),
    "Infinity": (
        ("{" + RISK + ', "entered_impact": -Infinity}').encode(),
        400,
        ["entered_impact", "-Infinity"],
        ["entered_impact: -Infinity"],
    ),
    "float overflow": (
        ("{" + RISK + ', "entered_impact": 1e400}').encode(),
        400,
        ["entered_impact", "浮動小数点"],
        ["entered_impact", "overflows"],
    ),
    "integer past 64 bits": (
        ("{" + RISK + f', "likelihood": {2**63}}}').encode(),
        400,
        ["likelihood", str(2**63), "64"],
        ["likelihood: the integer 9223372036854775808 is beyond 64 bits"],
    ),
    "negative integer past 64 bits": (
        ("{" + RISK + f', "likelihood": {-(2**63) - 1}}}').encode(),
        400,
        ["likelihood", "64"],
        ["likelihood", "-9223372036854775809"],
    ),
    "integer of 5,000 digits": (
        ("{" + RISK + f', "likelihood": {LONG_INT}}}').encode(),
        400,
        ["整数", "66 バイト目"],
        ["byte offset 66", "64 bits"],
    ),
    "duplicate key": (
        ("{" + RISK + ', "code": "R-K"}').encode(),
        400,
        ["「code」", "二度"],
        ['the key "code" appears twice'],
    ),
    "array at the top": (
        b"[1, 2]",
        400,
        ["JSON オブジェクト", "array"],
        ["must be a JSON object (it is array)"],
    ),
    "string at the top": (b'"risk"', 400, ["string"], ["(it is string)"]),
    "null at the top": (b"null", 400, ["null"], ["(it is null)"]),
    "empty": (b"  \n", 400, ["空"], ["empty"]),
    "missing field": (
        b'{"code": "R-J", "title_en": "a"}',
        400,
        ["title_ja：必須です"],
        ["title_ja: is required"],
    ),
    "wrong type": (
        ("{" + RISK + ', "likelihood": "high"}').encode(),
        400,
        ["likelihood：整数で指定してください（値：high）"],
        ["likelihood: must be an integer (value: high)"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_body_is_refused_located_in_both_languages(
    client_for: Any, users: Any, case: str
) -> None:
    body, status, ja, en = CASES[case]
    client = client_for("analyst")
    url = reverse("api:governance_risk_create")
    for lang, wanted in (("ja", ja), ("en", en)):
        with measured() as spent:
            response = client.post(url, body, content_type="application/json",
                                   HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
        spent.check()
        assert response.status_code == status, response.content[:300]
        detail = response.json()["detail"]
        for part in wanted:
            assert part in detail, (lang, detail)
    assert not Risk.objects.exists() and not AuditEvent.objects.exists()


def test_the_offsets_named_are_the_bad_bytes() -> None:
    # The offsets the messages name, against the bodies themselves.
    raw = CASES["not UTF-8"][0]
    with pytest.raises(BodyRefused) as bad:
        read_json(raw)
    assert bad.value.params["offset"] == raw.index(b"\xff") == 29
    raw = CASES["integer of 5,000 digits"][0]
    with pytest.raises(BodyRefused) as bad:
        read_json(raw)
    assert bad.value.params["offset"] == raw.index(LONG_INT.encode()) == 66
    # Multi-byte characters before a syntax error: the byte offset, not the character index.
    raw = '{"title_ja": "経済安全保障" "x": 1}'.encode()
    with pytest.raises(BodyRefused) as bad:
        read_json(raw)
    assert bad.value.params["offset"] == raw.index(b'"x"')
    raw = _deep(5_000)
    with pytest.raises(BodyRefused) as bad:
        read_json(raw)
    opened = [i for i, c in enumerate(raw) if c in b"[{"]
    assert bad.value.key == "web.api.body.too_deep_at"
    assert bad.value.params["offset"] == opened[MAX_DEPTH]


def test_what_is_within_the_rules_passes() -> None:
    assert read_json(_deep(MAX_DEPTH))["a"]
    edge = read_json(
        f'{{"a": {2**63 - 1}, "b": {-(2**63)}, "c": 1.5e308, "d": "\\"NaN\\""}}'.encode()
    )
    assert edge == {"a": 2**63 - 1, "b": -(2**63), "c": 1.5e308, "d": '"NaN"'}
    # The same key in two different objects is no duplicate.
    assert read_json(b'{"a": {"k": 1}, "b": {"k": 2}}') == {"a": {"k": 1}, "b": {"k": 2}}
    assert read_json(b" ", empty={}) == {}
    # A key that looks like a constant or a number is text.
    assert read_json(b'{"NaN": "Infinity", "1e400": [true, false, null]}')["NaN"] == "Infinity"


def test_a_duplicate_deep_inside_is_named_by_its_path() -> None:
    with pytest.raises(BodyRefused) as bad:
        read_json(b'{"events": [{"a": 1}, {"b": {"k": 1, "k": 2}}]}')
    assert bad.value.message("en") == 'events[1].b: the key "k" appears twice in the same object.'
    assert bad.value.message("ja") == "events[1].b：キー「k」が同じオブジェクトに二度あります。"


# Every capability's body-taking operation without an id in its path, with a role allowed it.
ENDPOINTS = [
    ("api:governance_risk_create", "analyst"),
    ("api:governance_action_create", "analyst"),
    ("api:assessment_create", "analyst"),
    ("api:monitoring_event_create", "analyst"),
    ("api:monitoring_source_create", "administrator"),
    ("api:planning_measure_create", "analyst"),
    ("api:planning_simulate", "analyst"),
    ("api:planning_optimise", "analyst"),
    ("api:stress_scenario_create", "analyst"),
    ("api:stress_sweep_start", "analyst"),
    ("api:technology_create", "analyst"),
    ("api:technology_incident_create", "analyst"),
    ("api:screening_run", "analyst"),
    ("api:governance_webhook_create", "administrator"),
    ("api:governance_request_decide", "administrator"),
    ("api:governance_preferences_change", "viewer"),
]


@pytest.mark.parametrize(("name", "role"), ENDPOINTS)
def test_every_capability_reads_bodies_through_the_one_reader(
    client_for: Any, users: Any, name: str, role: str
) -> None:
    if name.startswith("api:technology_"):
        from econsec.technology.service import grant

        grant(role, allow=True)  # technology's bodies are read after the need-to-know check
    client = client_for(role)
    for body, wanted in (
        (b'{"a": 1, "a": 2}', 'the key "a" appears twice'),
        (b'{"a": NaN}', "a: NaN is not allowed"),
        (b"[]", "must be a JSON object"),
    ):
        send = client.put if name.endswith("_change") else client.post
        response = send(reverse(name), body, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
        assert response.status_code == 400, (name, response.content[:300])
        assert wanted in response.json()["detail"], name


def test_the_monitoring_import_takes_up_to_32_mib(client_for: Any, users: Any) -> None:
    client = client_for("analyst")
    url = reverse("api:monitoring_event_create")
    pad = "x" * (8 * MiB)
    # Past the API's usual 4 MiB: read (its schema answers, not the size limit).
    body = json.dumps({"events": [{"title": pad}], "with_tts": "maybe"}).encode()
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "with_tts" in response.json()["detail"]
    body = json.dumps({"events": [], "pad": "x" * (32 * MiB)}).encode()
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and "32.0 MB" in response.json()["detail"]


def _nul_by_parsing(body: bytes) -> bool:
    def walk(value: Any) -> bool:
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, dict):
            return any(walk(k) or walk(v) for k, v in value.items())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(json.loads(body))


def test_the_nul_check_agrees_with_a_json_parser() -> None:
    # Strings of backslashes, "u", zeros and quotes, as JSON text: the guard and a parser agree.
    rng = random.Random(13)
    alphabet = ["\\", "\x00", "u0000", "u", "0", "a", '"', "\\u0000"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        body = json.dumps({"k": text, text: [text]}).encode()
        assert json_carries_nul(body) == _nul_by_parsing(body), body
    for raw in (rb'"\u0000"', rb'"\\\u0000"', rb'["\\\\\u0000"]'):
        assert json_carries_nul(raw) and _nul_by_parsing(raw)
    for raw in (rb'"\\u0000"', rb'"\\\\u0000"', rb'"\\"', rb'"u0000"'):
        assert not json_carries_nul(raw) and not _nul_by_parsing(raw)


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"k": "\\" * 5_000_000}).encode(),
        json.dumps({"k": ["\\u0000"] * 1_000_000}).encode(),
        json.dumps({"k": ["\\u0000"] * 1_000_000 + ["\x00"]}).encode(),
        json.dumps({"k": ["abc def"] * 1_000_000}).encode(),
    ],
    ids=["backslashes", "escaped escapes", "escaped escapes then a NUL", "plain"],
)
def test_the_nul_check_of_a_10_mb_body_stays_within_budget(body: bytes) -> None:
    with measured() as spent:
        found = json_carries_nul(body)
    spent.check()
    assert found == _nul_by_parsing(body)
