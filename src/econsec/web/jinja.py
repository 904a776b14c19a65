"""Jinja2 environment for page parts rendered in loops (Django's Jinja2 backend).

The pages themselves are Django templates; the parts they print that loop over rows, tiers,
cards or navigation entries are Jinja2 templates (``*.jinja``) beside them, in each
capability's ``<capability>/web/templates`` and the shell's ``templates``: Django's template
language cost several times as much per loop turn (docs/decisions/0058-per-request-cpu.md,
0091-markup-jinja2-measured.md). Templates are compiled once per process and kept by Jinja2's
cache. Autoescaping is on: every value printed is escaped unless it is markup already
(``__html__``, which Django's ``SafeString`` has).
"""

from __future__ import annotations

import os
from typing import Any

from django.template import engines
from django.template.utils import get_app_template_dirs
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, FileSystemLoader, Template

from econsec.i18n import t

from .formatting import format_number, format_percent

_templates: dict[str, Template] = {}
_macros: dict[tuple[str, str], Any] = {}


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend uses (``TEMPLATES`` in settings)."""
    from econsec.reference.labels import tag_label, unit_label

    from .markup import query_string  # markup renders through this module

    dirs = [
        *get_app_template_dirs(os.path.join("web", "templates")),
        *get_app_template_dirs("templates"),
    ]
    options["loader"] = FileSystemLoader(dirs)
    env = Environment(**options)
    # Only the globals the templates use: every render copies them into its context, and
    # Jinja2's defaults (range, dict, lipsum, cycler, joiner, namespace) were most of that cost.
    env.globals.clear()
    env.globals["query"] = query_string
    # Messages are a filter ("web.list.next"|t(lang)): a filter is called directly, a global
    # function through the context on every call.
    env.filters["t"] = t
    env.filters["num"] = format_number
    env.filters["pct"] = format_percent
    env.filters["tag"] = tag_label
    env.filters["unit"] = unit_label
    return env


def template(name: str) -> Template:
    """The compiled template ``name`` (looked up once per process)."""
    found = _templates.get(name)
    if found is None:
        found = _templates[name] = engines["jinja2"].env.get_template(name)  # type: ignore[attr-defined]
    return found


def render_part(name: str, **context: Any) -> SafeString:
    """Template ``name`` rendered with ``context``, as markup for a Django template."""
    return mark_safe(template(name).render(context))


def macro(name: str, macro_name: str) -> Any:
    """The macro ``macro_name`` of template ``name``: called with arguments, it returns markup.
    Cheaper than a whole template for a small part built many times (a link, a chip)."""
    found = _macros.get((name, macro_name))
    if found is None:
        found = _macros[(name, macro_name)] = getattr(template(name).module, macro_name)
    return found
