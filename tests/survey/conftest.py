"""A stored mini chain with a campaign asking its tier-1 suppliers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from econsec.valuechain.schema import Tables
from tests.valuechain.minichain import mini_tables


@pytest.fixture
def stored(db: Any) -> Tables:
    from econsec.valuechain.intake.apply import import_tables

    import_tables(mini_tables(), "mini")
    return mini_tables()


@pytest.fixture
def campaign(stored: Tables) -> Any:
    from econsec.survey.campaigns import Selection, create

    return create("Mapping 2026", 2026, Selection(tiers=(1,)), created_by="analyst")


@pytest.fixture
def inbox(settings: Any) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) that keeps what it is sent, as in governance's tests."""
    from aiosmtpd.controller import Controller

    from tests.governance.test_notify import _free_port, _Inbox

    kept = _Inbox()
    port = _free_port()
    controller = Controller(kept, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        yield kept
    finally:
        controller.stop()
