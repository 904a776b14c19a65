"""Page parts rendered from Jinja2 templates (econsec.web.markup, the frame's navigation in
econsec.web.context): escaped, translated, and the same links Django's reverse makes."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import numpy as np
import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.safestring import mark_safe

from econsec.i18n import t
from econsec.valuechain.web.tiers import WalkMemo
from econsec.valuechain.web.views import SPECS, tier_index, tiers_html
from econsec.web.jinja import render_part, template
from econsec.web.markup import (
    Cell,
    pager_html,
    ref_html,
    table_rows,
    thead_html,
    toolbar_html,
)

EVIL = '<script>alert("x")</script>&'


def test_references_and_cells_escape_stored_text(db: Any) -> None:
    html = ref_html("web:site", 'S 1 "x"', EVIL, "/")
    assert "<script>" not in html and "&lt;script&gt;" in html
    href = re.search(r'href="([^"]*)"', html)
    assert href is not None
    assert unescape(href.group(1)) == reverse("web:site", args=['S 1 "x"'])
    row = table_rows(
        [[Cell(EVIL), Cell(["<b>", "ok"], kind="tags"), Cell(0.25, kind="pct")]], "en", 3
    )
    assert "<script>" not in row and "<b>" not in row
    assert '<td class="num"><span class="num">25.0%</span></td>' in row


def test_reference_memo_keeps_names_apart(db: Any) -> None:
    a = ref_html("web:item", "I1", "old name", "/")
    b = ref_html("web:item", "I1", "new name", "/")
    assert "old name" in a and "new name" in b
    plain = ref_html("web:item", "I1", "x", get_script_prefix())
    set_script_prefix("/prefix/")
    try:
        prefixed = ref_html("web:item", "I1", "x", get_script_prefix())
    finally:
        set_script_prefix("/")
    assert plain == '<a href="/valuechain/items/I1/">x</a>'
    assert prefixed == '<a href="/prefix/valuechain/items/I1/">x</a>'


def test_toolbar_escapes_the_query_and_names_sort_columns() -> None:
    spec = SPECS["links"]
    html = toolbar_html(
        lang="ja",
        q=EVIL,
        filters=spec.filters,
        active={"qualified": "yes", "item": '"><x>'},
        sorts=[(k, v[1]) for k, v in spec.sorts.items()],
        sort_key="share",
        descending=True,
        clear_url="/valuechain/links/",
    )
    assert "<script>" not in html and "<x>" not in html
    # The query and a filter's text are shown escaped and read back as typed.
    query = re.search(r'name="q" value="([^"]*)"', html)
    assert query is not None and unescape(query.group(1)) == EVIL
    item = re.search(r'name="item" placeholder="[^"]*" aria-label="[^"]*" value="([^"]*)"', html)
    assert item is not None and unescape(item.group(1)) == '"><x>'
    # Sort options show the column's name, not its message id.
    share = t("web.col.share", "ja")
    assert f'<option value="-share" selected>{t("web.list.sort_by", "ja", column=share)} ↓' in html
    assert "web.col." not in html
    assert '<option value="yes" selected>' in html
    assert 'href="/valuechain/links/"' in html  # something is filtered: offer to clear


def test_cards_and_navigation_escape_their_texts() -> None:
    cards = render_part(
        "web/cards.jinja",
        cards=[{"label_key": "web.nav.items", "value": 1234, "url": '/x?a="b"', "note": EVIL}],
        lang="en",
    )
    assert "<script>" not in cards and "&lt;script&gt;" in cards
    assert '<span class="card-value">1,234</span>' in cards
    href = re.search(r'href="([^"]*)"', cards)
    assert href is not None and unescape(href.group(1)) == '/x?a="b"'
    nav = render_part(
        "web/sidenav.jinja",
        nav=[{"label": EVIL, "url": "/a/", "name": "web:a"}],
        more=[],
        current="/a/",
        secondary="",
        lang="en",
    )
    assert "<script>" not in nav
    assert '<a href="/a/" class="current" aria-current="page">&lt;script&gt;' in nav


def test_templates_are_compiled_once() -> None:
    assert template("web/table_rows.jinja") is template("web/table_rows.jinja")
    assert template("web/table_rows.jinja").environment.autoescape is True


def test_pager_keeps_other_parameters() -> None:
    html = pager_html("en", {"q": "a&b", "after": "C1"}, "P0", "N2")
    assert 'href="?q=a%26b&amp;before=P0"' in html
    assert 'href="?q=a%26b"' in html  # first page
    assert 'href="?q=a%26b&amp;after=N2"' in html
    assert pager_html("en", {}, None, None).count("<a ") == 0


def test_tables_and_tiers_when_empty_and_full() -> None:
    assert 'colspan="3"' in table_rows([], "en", 3)
    assert table_rows([[Cell("1")]], "en", 3) == "<tr><td>1</td></tr>\n"
    assert thead_html(("web.col.name",), "en") == '<th scope="col">Name</th>'
    assert t("web.tier.none", "en") in tiers_html([], "en")
    block = {
        "number": 2,
        "anchor": "up-2",
        "total": 1234,
        "open": False,
        "chips": mark_safe("<li>chip</li>"),
        "range": "1–25 of 1,234",
        "prev_url": "",
        "next_url": "?tier=up-2&page=2#up-2",
    }
    html = tiers_html([block], "en")
    assert '<details class="tier" id="up-2">' in html and "<li>chip</li>" in html
    assert '<span class="count">1,234</span>' in html
    assert 'href="?tier=up-2&amp;page=2#up-2" rel="next"' in html and 'rel="prev"' not in html


def test_side_navigation_marks_the_current_page(client_for: Any, chain: Any) -> None:
    html = client_for("analyst").get("/valuechain/links/").content.decode()
    current = re.findall(r'<a href="([^"]*)" class="current"', html)
    assert current == ["/valuechain/links/"]
    jobs = client_for("viewer").get("/jobs/").content.decode()
    assert re.findall(r'<a href="([^"]*)" class="current"', jobs) == ["/jobs/"]
    assert 'aria-pressed="true">日本語' in jobs


def test_walk_memo_is_bounded_and_read_only() -> None:
    memo = WalkMemo(limit=10)
    first = memo.put(("up", 1), [np.arange(6, dtype=np.int64)])
    with pytest.raises(ValueError):
        first[0][0] = 5
    memo.put(("up", 2), [np.arange(3, dtype=np.int64)])
    assert memo.get(("up", 1)) is not None  # now the most recently used
    memo.put(("up", 3), [np.arange(4, dtype=np.int64)])
    assert memo.get(("up", 2)) is None and memo.get(("up", 1)) is not None
    assert len(memo) == 2


def test_remembered_walks_equal_fresh_ones(chain: Any) -> None:
    from econsec.valuechain.web.tiers import ChainTiers

    index = tier_index()
    fresh = ChainTiers.build(index.chain)
    for site in index.site_index.values():
        for upstream in (True, False):
            again = index.site_tiers(site, upstream=upstream)
            assert index.site_tiers(site, upstream=upstream) is again
            expected = fresh.site_tiers(site, upstream=upstream)
            assert [a.tolist() for a in again] == [b.tolist() for b in expected]
    for item in index.item_index.values():
        assert [a.tolist() for a in index.item_tiers(item)] == [
            b.tolist() for b in fresh.item_tiers(item)
        ]
