"""Value chains made by program: the demo company and synthetic networks of any size.

Both return workbook tables (sheet name → list of row dicts keyed by schema column), ready for
``econsec.valuechain.workbook.write_workbook`` or ``validate_tables``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["demo_company", "generate_network"]


def __getattr__(name: str) -> Any:
    # Lazy, so ``python -m econsec.valuechain.generators.demo`` does not import itself twice.
    if name == "demo_company":
        from econsec.valuechain.generators.demo import demo_company

        return demo_company
    if name == "generate_network":
        from econsec.valuechain.generators.synthetic import generate_network

        return generate_network
    raise AttributeError(name)
