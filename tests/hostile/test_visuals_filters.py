"""Hostile query strings on the visuals pages and endpoints (filters): a 400 with a located
ja/en message or the unfiltered picture, never a 500, quickly and without growing memory."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401
from tests.hostile.budget import measured

pytestmark = pytest.mark.db

CASES = {
    "one huge value": "tier=" + "9" * 1_000_000,
    "huge product": "product=" + "P" * 200_000 + "/" + "C" * 200_000,
    "thousands of values": "&".join(["country=JP"] * 900),
    "more fields than Django parses": "&".join(f"x{i}=1" for i in range(5000)),
    "bad percent-encoding": "country=%FF%FE",
    "encoded surrogate": "tier=%ED%A0%80",
    "right-to-left override": "region=%E2%80%AE030",
    "NUL": "criticality=sp%00of",
    "zero-width space": "country=J%E2%80%8BP",
    "fullwidth digits": "tier=%EF%BC%91",
    "emoji": "country=%F0%9F%87%AF%F0%9F%87%B5",
    "combining marks": "criticality=spo%CC%81f",
    "HTML": "product=%3Cscript%3Ealert(1)%3C/script%3E/x",
    "path escape": "product=../../etc/passwd",
    "key without value": "tier&country",
    "many unknown keys": "&".join(f"k{i}={'v' * 50}" for i in range(500)),
}
OK_WHEN_UNFILTERED = {"key without value", "many unknown keys"}
# The web shell refuses NUL anywhere in a request before any view, naming the character.
SHELL_REFUSES = {"NUL": "U+0000"}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_query_strings(client_for: Any, analysed_chain: Any, name: str) -> None:  # noqa: F811
    client = client_for("viewer")
    urls = [
        reverse("web:visuals_map"),
        reverse("api:visuals_map"),
        reverse("web:visuals_flows"),
        reverse("api:visuals_flows"),
        reverse("web:visuals_network", args=["P1", "CAR"]),
        reverse("api:visuals_network", args=["P1", "CAR"]),
    ]
    for url in urls:
        for lang in ("ja", "en"):
            with measured() as spent:
                response = client.get(url + "?" + CASES[name], HTTP_ACCEPT_LANGUAGE=lang)
            spent.check()
            expected = 200 if name in OK_WHEN_UNFILTERED else 400
            assert response.status_code == expected, (url, lang, response.content[:300])
            body = response.content.decode("utf-8")
            assert len(body) < 2_000_000  # the value is never echoed whole
            if "/api/" in url:  # quoted as data in JSON, never as markup
                assert response["Content-Type"].startswith("application/json")
            else:
                assert "<script>alert" not in body
            if name in SHELL_REFUSES:
                assert SHELL_REFUSES[name] in body
            elif expected == 400 and "/api/" not in url:
                assert 'data-testid="visuals-filter-error"' in body, url
