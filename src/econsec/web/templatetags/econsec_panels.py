"""``{% panels "slot" key=value %}``: what other capabilities add to a page (econsec.registry).

A page names a slot and passes plain values; each registered panel renders itself for the
request (and decides what its reader may see). The page's capability imports nothing of them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from econsec import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **params: Any) -> SafeString:
    request = context.get("request")
    parts = [str(registry.resolve(p.render)(request, **params)) for p in registry.panels(slot)]
    return mark_safe("".join(parts))
