"""The technology operations fuzzed *with* need-to-know (the shared fuzz pass runs without it,
so there every write stops at 403): generated bodies must never cause a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from econsec.web.api.root import api
from econsec.web.models import ApiToken
from econsec.web.wsgi import application
from tests.technology.chain import demo_chain_rows

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/")).include(
    path_regex="/technology/"
)


@pytest.fixture
def tokens(users: Any, settings: Any, tmp_path: Any) -> dict[str, str]:
    settings.DATA_DIR = tmp_path / "data"  # evidence uploads the fuzzer makes land here
    demo_chain_rows()
    create_demo_register()
    for role in ("analyst", "administrator"):
        grant(role, allow=True)
    return {role: ApiToken.issue(users[role], "fuzz")[1] for role in ("analyst", "administrator")}


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_no_technology_operation_answers_with_a_server_error(case: Any,
                                                              tokens: dict[str, str]) -> None:  # fmt: skip
    for token in tokens.values():
        response = case.call(app=application, headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error])
