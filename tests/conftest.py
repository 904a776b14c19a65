"""Shared test set-up.

Tests that touch the database get the ``db`` marker automatically, so `make test` can rerun
exactly those against PostgreSQL. When CI asks for PostgreSQL (ECONSEC_REQUIRE_POSTGRES=1) and
the pass would run on another engine, the run fails instead of passing quietly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The workbench's users, signed-in clients and a small stored chain, for every capability's
# web tests (tests/<capability>/web/) as well as the shell's (tests/web/).
pytest_plugins = ["tests.web.fixtures"]

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "external"

# Fixtures that give a test the database. (Not django_db_blocker: pytest-django's autouse
# fixtures request it for every test.)
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & _DB_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session", autouse=True)
def _engine_guard(request: pytest.FixtureRequest) -> None:
    from django.conf import settings

    url = os.environ.get("DATABASE_URL", "")
    engine = settings.DATABASES["default"]["ENGINE"]
    if url.startswith("postgres") and "postgresql" not in engine:
        pytest.exit(f"DATABASE_URL asks for PostgreSQL but Django uses {engine}", returncode=1)


@pytest.fixture(scope="session", autouse=True)
def _private_run_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Job progress and worker heartbeat files go to a folder of this test run."""
    from django.conf import settings

    settings.ECONSEC_RUN_DIR = tmp_path_factory.mktemp("run")
