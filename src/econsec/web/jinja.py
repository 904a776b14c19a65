"""Jinja2 environment for page parts rendered in loops (Django's Jinja2 backend).

Templates (``*.jinja``) live beside each capability's Django templates, in
``<capability>/web/templates`` and the shell's own ``templates``; they are compiled once per
process and kept by Jinja2's cache. Autoescaping is on: every value printed is escaped unless it
is markup already (``__html__``, which Django's ``SafeString`` has).
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
from .markup import query_string

_templates: dict[str, Template] = {}


def environment(**options: Any) -> Environment:
    dirs = [
        *get_app_template_dirs(os.path.join("web", "templates")),
        *get_app_template_dirs("templates"),
    ]
    options["loader"] = FileSystemLoader(dirs)
    env = Environment(**options)
    env.globals["t"] = t
    env.globals["query"] = query_string
    env.filters["t"] = t  # a filter is called directly; a global function through the context
    env.filters["num"] = format_number
    env.filters["pct"] = format_percent
    return env


def template(name: str) -> Template:
    """The compiled template ``name`` (looked up once per process)."""
    found = _templates.get(name)
    if found is None:
        found = _templates[name] = engines["jinja2"].env.get_template(name)  # type: ignore[attr-defined]
    return found


def render_part(name: str, **context: Any) -> SafeString:
    """Template ``name`` rendered with ``context`` as markup for a Django template."""
    return mark_safe(template(name).render(context))
