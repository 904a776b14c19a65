"""The authentication backend: Django's ModelBackend with the per-request user read prepared.

Every signed-in request reads its user by primary key; the query is compiled once
(``econsec.web.prepared``) rather than built by the ORM each time. Passwords, permissions and
``is_active`` are Django's own: only ``get_user`` differs, and it returns the same instance the
ORM would (docs/decisions/0058-per-request-cpu.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import router

from .prepared import Prepared, int_marker

_by_pk: dict[str, Prepared] = {}


def _user_query() -> tuple[Any, list[str], Prepared]:
    model = get_user_model()
    names = [f.attname for f in model._meta.concrete_fields]
    found = _by_pk.get(model._meta.label)
    if found is None:
        found = _by_pk[model._meta.label] = Prepared(
            lambda pk: model._default_manager.filter(pk=pk).values_list(*names), int_marker(0)
        )
    return model, names, found


class PreparedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model, names, query = _user_query()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        using = router.db_for_read(model)
        row = query.first(pk, using=using)
        if row is None:
            return None
        user = model.from_db(using, names, row)
        return user if self.user_can_authenticate(user) else None
