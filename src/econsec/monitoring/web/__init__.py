"""The monitoring pages and API."""
