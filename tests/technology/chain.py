"""The few value-chain rows the demo register refers to (the full demo company is slow to load)."""

from __future__ import annotations


def demo_chain_rows() -> None:
    from econsec.valuechain.models import Item, Organisation, Site

    orgs = {
        "TOHO": ("self", "JP"), "HOKUSHIN-NB": ("supplier", "CN"), "XICI": ("supplier", "CN"),
        "NORDLICHT": ("supplier", "DE"), "YAMATO": ("customer", "JP"), "HUAAN": ("customer", "CN"),
    }  # fmt: skip
    made = {
        org_id: Organisation.objects.create(
            org_id=org_id, name=f"{org_id} name", kind=kind, country=country
        )
        for org_id, (kind, country) in orgs.items()
    }
    for site_id, org, country in (("TOHO-RD", "TOHO", "JP"), ("TOHO-AZM", "TOHO", "JP"),
                                  ("HOKUNB-PLT", "HOKUSHIN-NB", "CN")):  # fmt: skip
        Site.objects.create(site_id=site_id, organisation=made[org], name=f"{site_id} site",
                            country=country, kind="plant")  # fmt: skip
    Item.objects.create(item_id="P-EAX150", name="e-axle", kind="product", unit="pcs",
                        critical_tags=["permanent_magnets"])  # fmt: skip
    Item.objects.create(item_id="P-INV800", name="inverter", kind="product", unit="pcs")
