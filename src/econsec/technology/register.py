"""Create and change a technology one at a time (the API's writes; the workbook replaces many).

Each field is checked the way the workbook checks its column, and a refusal names the field
and the value in ja/en. Audit records name the technology by database id only.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from econsec import trail
from econsec.characters import unwanted
from econsec.technology.errors import TechnologyError
from econsec.technology.models import KINDS, Technology

TECH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
TEXTS = {"name_ja": 300, "name_en": 300, "description": 10000, "owner": 200}
RATINGS = ("market", "strategic", "damage")
FIELDS = (*TEXTS, "kind", "items", *RATINGS, "catch_up_years", "exhibited")


def _bad(field: str, value: Any, expected_key: str, **params: Any) -> TechnologyError:
    return TechnologyError("technology.api.bad_field", field=field, value=str(value)[:80],
                           expected=expected_key, **params)  # fmt: skip


def check(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored; a TechnologyError names the first one at fault."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in FIELDS:
            raise TechnologyError("technology.api.unknown_field", field=name[:80])
        if name in TEXTS:
            if not isinstance(value, str) or len(value) > TEXTS[name]:
                raise _bad(name, value, f"≤ {TEXTS[name]}")
            found = unwanted(value)
            if found is not None:
                raise TechnologyError("technology.api.bad_char", field=name, position=found[0],
                                      char=found[1])  # fmt: skip
            value = value.strip()
            if name in ("name_ja", "name_en") and not value:
                raise _bad(name, value, "—")
        elif name == "kind" and value not in KINDS:
            raise _bad(name, value, ", ".join(KINDS))
        elif name in RATINGS and (type(value) is not int or not 1 <= value <= 5):
            raise _bad(name, value, "1–5")
        elif (
            name == "catch_up_years"
            and value is not None
            and (type(value) not in (int, float) or not 0 <= value <= 100)
        ):
            raise _bad(name, value, "0–100")
        elif name == "exhibited" and type(value) is not bool:
            raise _bad(name, value, "true / false")
        elif name == "items":
            if not isinstance(value, list) or not all(
                isinstance(i, str) and 0 < len(i) <= 100 and unwanted(i, identifier=True) is None
                for i in value
            ):
                raise _bad(name, value, "[item id, …]")
            value = list(dict.fromkeys(value))
        out[name] = value
    return out


def create(tech_id: str, fields: dict[str, Any], *, actor: str) -> Technology:
    if not isinstance(tech_id, str) or not TECH_ID.match(tech_id):
        raise _bad("tech_id", tech_id, "A-Z a-z 0-9 _ . -")
    values = check(fields)
    for required in ("name_ja", "name_en", "kind"):
        if required not in values:
            raise TechnologyError("technology.api.required", field=required)
    with transaction.atomic():
        if Technology.objects.filter(tech_id=tech_id).exists():
            raise TechnologyError("technology.api.exists", tech=tech_id)
        tech = Technology.objects.create(tech_id=tech_id, **values)
        trail.record("technology.created", f"technology:{tech.pk}", actor=actor)
    return tech


def change(tech: Technology, fields: dict[str, Any], *, actor: str, reason: str = "") -> Technology:
    values = check(fields)
    if not values:
        raise TechnologyError("technology.api.nothing")
    with transaction.atomic():
        for name, value in values.items():
            setattr(tech, name, value)
        tech.save()
        # The reason may name the technology; the audit trail is read without need-to-know.
        trail.record("technology.changed", f"technology:{tech.pk}", actor=actor,
                     reasoned=bool(reason.strip()),
                     fields=sorted(values))  # fmt: skip
    return tech
