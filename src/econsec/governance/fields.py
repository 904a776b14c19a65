"""Type and size checks of submitted field values against the model's own definition, so a
value of the wrong kind is refused with its field named (not by the database, differently on
each engine: SQLite stores a 10,000-character title or a NUL, PostgreSQL refuses them)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import models

from econsec.characters import unwanted
from econsec.governance.errors import GovernanceError

MAX_TEXT = 20_000  # a free-text field (description, evidence, comment)


def check_values(model: type[models.Model], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if value is None:
            continue
        field = model._meta.get_field(name)
        shown = str(value)[:60]
        if isinstance(field, models.CharField | models.TextField):
            if not isinstance(value, str):
                raise GovernanceError("governance.field.not_text", field=name, value=shown)
            limit = field.max_length or MAX_TEXT
            if len(value) > limit:
                raise GovernanceError("governance.field.too_long", field=name, limit=limit)
            # Control, bidi and zero-width characters: never meant, and they make text lie
            # (econsec.characters); refused the same on both engines.
            found = unwanted(value)
            if found is not None:
                raise GovernanceError("governance.field.bad_character", field=name,
                                      position=found[0], character=found[1])  # fmt: skip
        elif isinstance(field, models.DateField):
            if not isinstance(value, dt.date):
                raise GovernanceError("governance.field.not_date", field=name, value=shown)
        elif isinstance(field, models.FloatField):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not math.isfinite(value):
                raise GovernanceError("governance.risk.bad_impact", value=shown)
        elif isinstance(field, models.IntegerField) and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 36_500
        ):
            raise GovernanceError("governance.risk.bad_level", field=name, value=shown)
