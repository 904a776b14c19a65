"""Reference data: countries, regions, country groups, critical products and minerals.

Everything here is data shipped with the package (``data/``, see ``data/PROVENANCE.md``) plus
small loaders; nothing touches the database.
"""
