"""Governance: the tamper-evident audit trail and the risk register (principle 3)."""
