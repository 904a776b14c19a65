from __future__ import annotations

import pytest

from econsec.monitoring.index import ChainIndex, build_index
from econsec.monitoring.places import site_places
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company


@pytest.fixture(scope="session")
def demo_index() -> ChainIndex:
    tables = demo_company()
    chain = compile_tables(tables)
    return build_index(chain, site_places(chain.site_ids, tables["sites"]))
