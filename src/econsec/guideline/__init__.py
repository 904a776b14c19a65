"""Guideline self-assessment: frameworks as data, campaigns, evidence, scoring, interchange."""
