"""The governance pages and API."""
