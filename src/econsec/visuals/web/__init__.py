"""The visuals pages and API."""
