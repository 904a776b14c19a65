"""Collecting the tiers a company does not know from its suppliers."""
