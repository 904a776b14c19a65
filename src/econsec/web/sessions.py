"""Database sessions read with one prepared query.

Django's database session store, unchanged except how a session is read: the lookup by key is
compiled once (``econsec.web.prepared``) instead of built by the ORM on every request, and the
expiry is compared here instead of in the query (the same rule: a session expiring now or
earlier is gone). Sessions stay rows in the database, so signing out or changing the password
still ends them in every server process at once (docs/decisions/0058-per-request-cpu.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from .prepared import Prepared, str_marker

_BY_KEY = Prepared(
    lambda key: Session.objects.filter(session_key=key).values_list("session_data", "expire_date"),
    str_marker(0),
)


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        found = _BY_KEY.first(self.session_key, using=router.db_for_read(Session))
        if found is None or found[1] <= timezone.now():
            self._session_key = None
            return {}
        decoded: dict[str, Any] = self.decode(found[0])
        return decoded
