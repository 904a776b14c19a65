"""Value chains made by program: the demo company and synthetic networks of any size.

Both return workbook tables (sheet name → list of row dicts keyed by schema column), ready for
``econsec.valuechain.workbook.write_workbook`` or ``validate_tables``.
"""

from econsec.valuechain.generators.demo import demo_company

__all__ = ["demo_company"]
