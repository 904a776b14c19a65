"""Core technology and its leakage routes."""
