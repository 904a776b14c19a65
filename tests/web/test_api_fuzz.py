"""A fuzz pass over the REST API: every operation of /api/openapi.json, for every role, gets
requests generated from its schema (schemathesis), and none may answer with a server error.

The schema is the one the server publishes (django-ninja builds it from the same routers); the
requests go in-process through the WSGI application, so the whole request path runs —
middleware, authentication, roles, the view — against the test database. Bounded: a few
examples per operation, each sent once per role.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from econsec.web.api.root import api
from econsec.web.models import ApiToken
from econsec.web.roles import ROLES
from econsec.web.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
MAX_EXAMPLES = int(os.environ.get("ECONSEC_FUZZ_EXAMPLES", "6"))


@pytest.fixture
def tokens(users: Any, chain: Any, settings: Any, tmp_path: Path) -> dict[str, str]:
    """A bearer token per role, over the small value chain."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return {role: ApiToken.issue(users[role], "fuzz")[1] for role in ROLES}


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # A request through the WSGI application closes the database connection when it ends (as
    # in production); the test's transaction lives on that connection. Django's test client
    # keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(case: Any, tokens: dict[str, str]) -> None:
    for role in ROLES:
        response = case.call(app=application, headers={"Authorization": f"Bearer {tokens[role]}"})
        case.validate_response(response, checks=[not_a_server_error])
