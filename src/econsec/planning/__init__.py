"""Measures as investments: loss distributions, mitigation measures, the investment case."""
