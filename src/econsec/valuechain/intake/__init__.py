"""Intake: read a workbook or CSV folder, validate every row, and import all-or-nothing.

Modules: ``issues`` (located, bilingual findings), ``readers`` (xlsx/CSV to raw cells, with file
safety checks), ``parse`` (cells to typed values), ``checks`` (rules across rows and sheets),
``validate`` (the pipeline), ``apply`` (the transactional write).
"""

from econsec.valuechain.intake.issues import IntakeError, Issue
from econsec.valuechain.intake.validate import Validation, validate_source, validate_tables

__all__ = ["IntakeError", "Issue", "Validation", "validate_source", "validate_tables"]
