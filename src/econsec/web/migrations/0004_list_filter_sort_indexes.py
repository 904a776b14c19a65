"""Indexes for filtered-and-sorted list pages (filter column, sort column, id).

With only (kind, id) and (name, id), "components sorted by name" read every component and sorted
them; (kind, name, id) walks the index straight to the page. Plain CREATE INDEX IF NOT EXISTS is
understood by SQLite and PostgreSQL alike.
"""

from django.db import migrations

INDEXES = [
    ("web_item_kind_name", "valuechain_item", "kind, name, id"),
    ("web_org_kind_name", "valuechain_organisation", "kind, name, id"),
    ("web_org_country_name", "valuechain_organisation", "country, name, id"),
    ("web_site_kind_name", "valuechain_site", "kind, name, id"),
    ("web_site_country_name", "valuechain_site", "country, name, id"),
    ("web_link_qualified", "valuechain_supplylink", "qualified, id"),
    ("web_link_qualified_share", "valuechain_supplylink", "qualified, share, id"),
]

operations = [
    migrations.RunSQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
        f"DROP INDEX IF EXISTS {name}",
    )
    for name, table, columns in INDEXES
]


class Migration(migrations.Migration):
    dependencies = [("web", "0003_valuechain_list_indexes")]
    operations = operations
