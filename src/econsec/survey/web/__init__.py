"""The survey pages and API."""
