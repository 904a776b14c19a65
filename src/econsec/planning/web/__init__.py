"""The planning pages and API."""
