"""Open the store: configure Django once and migrate on first use.

Everything outside the web server (CLI, benchmarks, notebooks) calls :func:`open_store` before
touching models, so a fresh machine needs no set-up step beyond installing the package.
"""

from __future__ import annotations

import os

_ready = False


def open_store(*, migrate: bool = True, verbosity: int = 0) -> None:
    """Configure Django and bring the database schema up to date (idempotent)."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsec.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=verbosity)
    _ready = True


def database_label() -> str:
    """A human description of the configured database (engine and name, no password)."""
    from django.db import connection

    settings = connection.settings_dict
    engine = str(settings["ENGINE"]).rsplit(".", 1)[-1]
    return f"{engine}:{settings.get('NAME')}"
