from __future__ import annotations

from pathlib import Path

import pytest

from econsec.guideline.frameworks import Framework, load_framework

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_framework(FIXTURES / "mini.yaml")
