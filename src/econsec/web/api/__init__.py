"""The REST API: the shell's root (``root``), authentication, schemas and job operations."""
