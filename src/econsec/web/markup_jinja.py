"""The list and detail page parts of ``econsec.web.markup`` rendered from Jinja2 templates
(``web/*.jinja``), same arguments and output. Selected by ``settings.ECONSEC_MARKUP``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString

from .jinja import render_part
from .markup import Cell, row_html, tbody_rows


def jinja_markup() -> bool:
    return getattr(settings, "ECONSEC_MARKUP", "python") == "jinja2"


def table_rows(rows: Sequence[Sequence[Cell]], lang: str, columns: int) -> SafeString:
    if jinja_markup():
        return render_part("web/rows.jinja", rows=rows, lang=lang, columns=columns)
    return tbody_rows([row_html(cells, lang) for cells in rows], lang, columns)


_heads: dict[tuple[tuple[str, ...], str], SafeString] = {}


def thead_html(headers: tuple[str, ...], lang: str) -> SafeString:
    key = (headers, lang)
    found = _heads.get(key)
    if found is None:
        found = _heads[key] = render_part("web/thead.jinja", headers=headers, lang=lang)
    return found


def toolbar_html(**context: Any) -> SafeString:
    return render_part("web/toolbar.jinja", **context)


def pager_html(
    lang: str, params: Mapping[str, str], prev_cursor: str | None, next_cursor: str | None
) -> SafeString:
    return render_part(
        "web/pager.jinja",
        lang=lang,
        params=params,
        prev_cursor=prev_cursor,
        next_cursor=next_cursor,
    )


def cards_html(cards: Iterable[dict[str, Any]], lang: str) -> SafeString:
    return render_part("web/cards.jinja", cards=cards, lang=lang)
