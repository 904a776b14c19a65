"""Stress tests: time-to-survive and time-to-recover programmes, scenarios and sweeps."""
