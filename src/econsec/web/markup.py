"""Markup for the value-chain list and detail pages, built in Python.

A Django template costs a few microseconds per tag and per loop turn; a list page's toolbar,
header and pager, a detail page's tier blocks and every table row were tens of tags each, and
together cost more than the page's queries (docs/decisions/0055-fast-list-and-detail-pages.md,
0058-per-request-cpu.md). Here they are joined from f-strings. Every stored or user-supplied
text goes through ``html.escape``; message texts are escaped too.

Parts that depend only on the language and script prefix (table headers, linked references to
an item or site) are memoised per process; the memo keys include the text itself, so an edited
name can never show its old markup.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from econsec.i18n import t

from .formatting import format_number, format_percent


class Cell(NamedTuple):
    """One table cell: text, optional link, and how to show it."""

    text: Any
    url: str = ""
    kind: str = "text"  # text | num | code | pct | bool | unit | tags | msg | html (already markup)


NUMERIC = frozenset({"num", "pct"})  # right-aligned under a right-aligned heading

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
_refs: dict[tuple[str, str, str, str, str], str] = {}


def ref_html(url_name: str, key: str, text: str, script: str, css: str = "") -> str:
    """``<a href="…">text</a>`` to a detail page (escaped; memoised per prefix, key and text).

    ``css`` is a class for the link (``code`` for an id)."""
    memo_key = (script, url_name, key, text, css)
    found = _refs.get(memo_key)
    if found is None:
        href = escape(object_url(url_name, key, script))
        cls = f' class="{escape(css)}"' if css else ""
        found = f'<a href="{href}"{cls}>{escape(text)}</a>'
        if len(_refs) >= _MEMO_LIMIT:
            with _lock:
                _refs.clear()
        _refs[memo_key] = found
    return found


def cell_html(cell: Cell, lang: str) -> str:
    """One table cell's content as markup (stored text escaped)."""
    kind, text = cell.kind, cell.text
    if kind == "html":
        return str(text)
    if kind == "msg":
        return escape(t(str(text), lang))
    if kind == "num":
        return f'<span class="num">{escape(format_number(text, lang))}</span>'
    if kind == "pct":
        return f'<span class="num">{escape(format_percent(text, lang))}</span>'
    if kind == "bool":
        if text:
            return f'<span class="pill ok">{escape(t("web.yes", lang))}</span>'
        return f'<span class="pill warn">{escape(t("web.no", lang))}</span>'
    if kind == "unit":
        from econsec.reference.labels import unit_label

        return escape(unit_label(str(text), lang))
    if kind == "tags":
        from econsec.reference.labels import tag_label

        return "".join(
            f'<span class="tag" title="{escape(str(tag))}">{escape(tag_label(str(tag), lang))}</span>'
            for tag in text
        )
    body = escape(str(text))
    if cell.url:
        css = ' class="code"' if kind == "code" else ""
        return f'<a href="{escape(cell.url)}"{css}>{body}</a>'
    if kind == "code":
        return f'<span class="code">{body}</span>'
    return body


def row_html(cells: Sequence[Cell], lang: str) -> SafeString:
    """A table row's cells (``<td>…</td>`` each) as markup."""
    return mark_safe(
        "".join(
            f'<td class="num">{cell_html(c, lang)}</td>'
            if c.kind in NUMERIC
            else f"<td>{cell_html(c, lang)}</td>"
            for c in cells
        )
    )


def tbody_rows(rows: Sequence[str], lang: str, columns: int) -> SafeString:
    """``<tr>`` per row of cells markup, or one "nothing to show" row spanning ``columns``."""
    if not rows:
        empty = escape(t("web.list.empty", lang))
        return mark_safe(f'<tr><td colspan="{columns}" class="empty">{empty}</td></tr>')
    return mark_safe("".join(f"<tr>{row}</tr>\n" for row in rows))


_heads: dict[tuple[tuple[str, ...], str], SafeString] = {}


def thead_html(headers: tuple[str, ...], lang: str) -> SafeString:
    """A table's header row from message ids (memoised per headers and language)."""
    key = (headers, lang)
    found = _heads.get(key)
    if found is None:
        found = _heads[key] = mark_safe(
            "".join(f'<th scope="col">{escape(t(h, lang))}</th>' for h in headers)
        )
    return found


def _selected(flag: bool) -> str:
    return " selected" if flag else ""


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

    def msg(key: str, **params: Any) -> str:
        return escape(t(key, lang, **params))

    search = msg("web.list.search")
    out = [
        '<form method="get" class="toolbar" role="search">\n',
        f'  <input type="search" name="q" value="{escape(q)}" placeholder="{search}"'
        f' aria-label="{search}">\n',
    ]
    for flt in filters:
        label = msg(flt.label_key)
        param = escape(flt.param)
        value = active.get(flt.param)
        if flt.choices:
            out.append(f'  <select name="{param}" aria-label="{label}">\n')
            out.append(f'    <option value="">{label}: {msg("web.list.all")}</option>')
            out.extend(
                f'<option value="{escape(choice)}"{_selected(value == choice)}>{msg(key)}</option>'
                for choice, key in flt.choices
            )
            out.append("\n  </select>\n")
        else:
            shown = f' value="{escape(value)}"' if value is not None else ""
            out.append(
                f'  <input type="text" name="{param}" placeholder="{label}" aria-label="{label}"'
                f'{shown} class="narrow">\n'
            )
    out.append(f'  <select name="sort" aria-label="{msg("web.list.sort")}">\n')
    for key, column in sorts:
        label = msg("web.list.sort_by", column=t(column, lang))
        here = key == sort_key
        out.append(
            f'    <option value="{escape(key)}"{_selected(here and not descending)}>{label} ↑'
            f'</option>\n    <option value="-{escape(key)}"{_selected(here and descending)}>'
            f"{label} ↓</option>\n"
        )
    out.append("  </select>\n")
    out.append(f'  <button type="submit" class="primary">{msg("web.list.apply")}</button>\n')
    if q or active:
        out.append(f'  <a class="button" href="{escape(clear_url)}">{msg("web.list.clear")}</a>\n')
    out.append("</form>")
    return mark_safe("".join(out))


def query_string(params: Mapping[str, str], **changes: Any) -> str:
    """``params`` with ``changes`` applied (None or "" removes one) as ``?…`` (also the
    template tag ``{% query %}``)."""
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
    out = [f'<nav class="pager" aria-label="{escape(t("web.list.pages", lang))}">']
    if prev_cursor:
        url = escape(query_string(params, before=prev_cursor, after=None))
        out.append(
            f'<a class="button" href="{url}" rel="prev">← {escape(t("web.list.prev", lang))}</a>'
        )
    if prev_cursor or params.get("after") or params.get("before"):
        url = escape(query_string(params, before=None, after=None))
        out.append(f'<a class="button" href="{url}">{escape(t("web.list.first", lang))}</a>')
    if next_cursor:
        url = escape(query_string(params, after=next_cursor, before=None))
        out.append(
            f'<a class="button" href="{url}" rel="next">{escape(t("web.list.next", lang))} →</a>'
        )
    out.append("</nav>")
    return mark_safe("".join(out))


def tiers_html(blocks: Sequence[Mapping[str, Any]], lang: str) -> SafeString:
    """Tier blocks (``econsec.valuechain.web.views.tier_blocks``) as ``<details>`` elements.

    A block's ``chips`` are markup already (escaped when memoised); everything else is escaped
    here."""
    if not blocks:
        return mark_safe(f'<p class="muted">{escape(t("web.tier.none", lang))}</p>')
    pages = escape(t("web.list.pages", lang))
    prev_label = escape(t("web.list.prev", lang))
    next_label = escape(t("web.list.next", lang))
    out = []
    for tier in blocks:
        anchor = escape(tier["anchor"])
        opened = " open" if tier["open"] else ""
        out.append(
            f'<details class="tier" id="{anchor}"{opened}>\n'
            f"  <summary>{escape(t('web.tier.label', lang, number=tier['number']))}"
            f' <span class="count">{escape(format_number(tier["total"], lang))}</span></summary>\n'
            f'  <ul class="chips">{tier["chips"]}</ul>\n'
        )
        if tier["range"]:
            out.append(
                f'  <nav class="pager" aria-label="{pages}">'
                f'<span class="muted">{escape(tier["range"])}</span>\n'
            )
            if tier["prev_url"]:
                out.append(
                    f'    <a class="button" href="{escape(tier["prev_url"])}" rel="prev">'
                    f"← {prev_label}</a>\n"
                )
            if tier["next_url"]:
                out.append(
                    f'    <a class="button" href="{escape(tier["next_url"])}" rel="next">'
                    f"{next_label} →</a>\n"
                )
            out.append("  </nav>")
        out.append("\n</details>\n")
    return mark_safe("".join(out))
