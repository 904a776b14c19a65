"""Stored text renders inert; numbers, money and dates follow the language; catalogs complete."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from econsec.i18n import catalog
from econsec.web.formatting import format_datetime, format_money, format_number, format_percent

PAGES = [
    "web:dashboard",
    "web:organisations",
    "web:sites",
    ("web:organisation", "SUP"),
    ("web:site", "S2"),
    ("web:site", "P1"),
]


@pytest.mark.parametrize("page", PAGES)
def test_script_in_stored_names_is_escaped(page: Any, client_for: Any, chain: Any) -> None:
    name, *args = page if isinstance(page, tuple) else (page,)
    html = client_for("viewer").get(reverse(name, args=args)).content.decode()
    assert "<script>alert(1)</script>" not in html
    if name != "web:dashboard":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_with_markup_is_escaped(client_for: Any, chain: Any) -> None:
    html = (
        client_for("viewer")
        .get(reverse("web:organisations"), {"q": '"><img src=x onerror=alert(1)>'})
        .content.decode()
    )
    assert "<img src=x" not in html


def test_list_search_filter_and_sort(client_for: Any, chain: Any) -> None:
    client = client_for("viewer")
    html = client.get(reverse("web:sites"), {"country": "cn", "sort": "-id"}).content.decode()
    order = [html.index(f">S{n}<") for n in (5, 4, 2)]
    assert order == sorted(order) and ">S3<" not in html and ">P1<" not in html
    html = client.get(reverse("web:links"), {"q": "REE"}).content.decode()
    assert "Item REE" in html and "Item BAT" not in html
    html = client.get(reverse("web:items"), {"critical": "1"}).content.decode()
    assert "MAG" in html and ">CAR<" not in html


def test_number_money_and_date_formats() -> None:
    assert format_number(1234567.891, "en") == "1,234,567.89"
    assert format_number(1234567, "ja") == "1,234,567"
    assert format_percent(0.256, "en") == "25.6%"
    assert format_money(Decimal("12345.6"), "JPY", "ja") == "12,346円"
    assert format_money(Decimal("12345.6"), "JPY", "en") == "¥12,346"
    assert format_money(Decimal("-5.5"), "USD", "en") == "-$5.50"
    assert format_money(Decimal("5.5"), "CNY", "ja") == "5.50 CNY"
    moment = datetime(2026, 1, 23, 5, 4, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(moment, "ja") == "2026年1月23日 14:04"  # Asia/Tokyo
    assert format_datetime(moment, "en") == "23 Jan 2026, 14:04"
    assert format_number(None, "en") == "—"


def test_every_web_message_has_both_languages() -> None:
    web = {k: v for k, v in catalog().items() if k.startswith("web.")}
    assert web and all(set(v) >= {"ja", "en"} and all(v.values()) for v in web.values())


def test_templates_only_use_known_message_ids() -> None:
    import re
    from pathlib import Path

    import econsec.web

    root = Path(econsec.web.__file__).parent / "templates"
    known = catalog()
    for path in root.rglob("*.html"):
        for key in re.findall(r'{% t "([a-z_.]+[a-z_])"', path.read_text(encoding="utf-8")):
            assert key in known, f"{path.name}: {key}"
