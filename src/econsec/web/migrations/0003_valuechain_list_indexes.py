"""Indexes for the value-chain list pages' sort and filter columns.

Keyset pages walk (column, id) in order; without these the database sorts the whole table on
every page. Plain CREATE INDEX IF NOT EXISTS is understood by SQLite and PostgreSQL alike.
"""

from django.db import migrations

INDEXES = [
    ("web_org_name", "valuechain_organisation", "name, id"),
    ("web_org_country", "valuechain_organisation", "country, id"),
    ("web_org_kind", "valuechain_organisation", "kind, org_id"),
    ("web_site_name", "valuechain_site", "name, id"),
    ("web_site_country", "valuechain_site", "country, id"),
    ("web_site_kind", "valuechain_site", "kind, site_id"),
    ("web_item_name", "valuechain_item", "name, id"),
    ("web_item_kind", "valuechain_item", "kind, item_id"),
    ("web_bom_qty", "valuechain_bomline", "quantity_per_unit, id"),
    ("web_link_share", "valuechain_supplylink", "share, id"),
]

operations = [
    migrations.RunSQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
        f"DROP INDEX IF EXISTS {name}",
    )
    for name, table, columns in INDEXES
]


class Migration(migrations.Migration):
    dependencies = [("web", "0002_role_groups"), ("valuechain", "0001_initial")]
    operations = operations
