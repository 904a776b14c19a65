"""Parts of the list and detail pages (table rows and header, list toolbar, pager, links to a
detail page), rendered from Jinja2 templates (``web/*.jinja``, ``econsec.web.jinja``).

Django's template language cost a few microseconds per tag and per loop turn, more than a
page's queries (docs/decisions/0055-fast-list-and-detail-pages.md, 0058-per-request-cpu.md);
Jinja2's compiled templates render the same markup within a tenth of the cost of building it
in Python (0091-markup-jinja2-measured.md). Every value a template prints is escaped unless it is
markup already.

Parts that depend only on the language and script prefix (table headers, linked references to
an item or site) are memoised per process; the memo keys include the text itself, so an edited
name can never show its old markup.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

from .jinja import macro, render_part


class Cell(NamedTuple):
    """One table cell: text, optional link, and how to show it (``web/table_rows.jinja``)."""

    text: Any
    url: str = ""
    kind: str = "text"  # text | num | code | pct | bool | unit | tags | msg | html (already markup)


# What Django's reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and ~:@); "/" is
# quoted because a key holding it could not match the <str:…> converter anyway.
_URL_SAFE = "!$&'()*+,;=~:@"
_url_parts: dict[tuple[str, str], tuple[str, str]] = {}


def object_url(name: str, key: str, script: str | None = None) -> str:
    """``reverse(name, args=[key])`` for a one-key detail URL, without resolver work per row.

    ``script`` is the script prefix when the caller already has it (one lookup per page)."""
    if script is None:
        script = get_script_prefix()
    parts = _url_parts.get((script, name))
    if parts is None:
        marker = "econsec-key-marker"
        before, after = reverse(name, args=[marker]).split(marker)
        parts = _url_parts[(script, name)] = (before, after)
    return parts[0] + quote(str(key), safe=_URL_SAFE) + parts[1]


_MEMO_LIMIT = 300_000  # entries per memo before it starts afresh (bounded memory)
_lock = threading.Lock()
_refs: dict[tuple[str, str, str, str, str], SafeString] = {}


def ref_html(url_name: str, key: str, text: str, script: str, css: str = "") -> SafeString:
    """``<a href="…">text</a>`` to a detail page (escaped; memoised per prefix, key and text).

    ``css`` is a class for the link (``code`` for an id)."""
    memo_key = (script, url_name, key, text, css)
    found = _refs.get(memo_key)
    if found is None:
        url = object_url(url_name, key, script)
        found = SafeString(macro("web/links.jinja", "ref")(url, text, css))
        if len(_refs) >= _MEMO_LIMIT:
            with _lock:
                _refs.clear()
        _refs[memo_key] = found
    return found


def table_rows(rows: Sequence[Sequence[Cell]], lang: str, columns: int) -> SafeString:
    """``<tr>`` per row of cells, or one "nothing to show" row spanning ``columns``."""
    return render_part("web/table_rows.jinja", rows=rows, lang=lang, columns=columns)


_heads: dict[tuple[tuple[str, ...], str], SafeString] = {}


def thead_html(headers: tuple[str, ...], lang: str) -> SafeString:
    """A table's header row from message ids (memoised per headers and language)."""
    key = (headers, lang)
    found = _heads.get(key)
    if found is None:
        found = _heads[key] = render_part("web/thead.jinja", headers=headers, lang=lang)
    return found


def toolbar_html(
    *,
    lang: str,
    q: str,
    filters: Sequence[Any],
    active: Mapping[str, str],
    sorts: Sequence[tuple[str, str]],
    sort_key: str,
    descending: bool,
    clear_url: str,
) -> SafeString:
    """A list page's search form: text search, filters, sort and apply/clear.

    ``filters`` have ``param``, ``label_key`` and ``choices`` ((value, message id); empty for a
    free-text filter); ``sorts`` are (sort key, column message id)."""
    return render_part(
        "web/list_toolbar.jinja",
        lang=lang,
        q=q,
        filters=filters,
        active=active,
        sorts=sorts,
        sort_key=sort_key,
        descending=descending,
        clear_url=clear_url,
    )


def query_string(params: Mapping[str, str], **changes: Any) -> str:
    """``params`` with ``changes`` applied (None or "" removes one) as ``?…`` (also the
    template tag ``{% query %}`` and the Jinja2 function ``query``)."""
    merged = dict(params)
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


def pager_html(
    lang: str,
    params: Mapping[str, str],
    prev_cursor: str | None,
    next_cursor: str | None,
) -> SafeString:
    """Previous / first / next links of a keyset page, keeping the other query parameters."""
    return render_part(
        "web/pager.jinja",
        lang=lang,
        params=params,
        prev_cursor=prev_cursor,
        next_cursor=next_cursor,
    )
