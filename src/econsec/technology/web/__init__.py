"""The technology pages and API."""
