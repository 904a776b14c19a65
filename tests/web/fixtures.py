"""Fixtures for the web tests: one user per role and a small multi-tier value chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from econsec.valuechain.models import BomLine, Item, Organisation, Site, SupplyLink
from econsec.web.roles import ROLES

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Production keeps Django's PBKDF2 default; hashing it for hundreds of test users is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    """``{"administrator": …, "analyst": …, "viewer": …, "auditor": …, "norole": …}``."""
    made = {}
    for role in ROLES:
        user = User.objects.create_user(role, password=PASSWORD)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        made[role] = user
    made["norole"] = User.objects.create_user("norole", password=PASSWORD)
    return made


@pytest.fixture
def client_for(users: dict[str, User]) -> Any:
    def make(who: str | None) -> Client:
        client = Client()
        if who is not None:
            client.force_login(users[who])
        return client

    return make


@pytest.fixture
def chain(db: Any) -> dict[str, Any]:
    """Own plant P1 makes CAR from ENG (tier 1: S1) and BAT (tier 1: S2, S3).

    ENG needs MAG, supplied to S1 by S4 (tier 2); MAG needs REE supplied to S4 by S5 (tier 3).
    S6 supplies an unrelated item to S1 (a tier-2 site by the site graph, not by the BOM).
    """
    own = Organisation.objects.create(org_id="OWN", name="自社", kind="self", country="JP")
    sup = Organisation.objects.create(
        org_id="SUP", name="<script>alert(1)</script>", kind="supplier", country="CN"
    )
    sites = {
        "P1": Site.objects.create(
            site_id="P1", organisation=own, name="本社工場", country="JP", kind="plant"
        ),
    }
    for n, country in [
        ("S1", "JP"),
        ("S2", "CN"),
        ("S3", "KR"),
        ("S4", "CN"),
        ("S5", "CN"),
        ("S6", "VN"),
    ]:
        sites[n] = Site.objects.create(
            site_id=n, organisation=sup, name=f"Site {n}", country=country, kind="plant"
        )
    items = {}
    for code, kind in [
        ("CAR", "product"),
        ("ENG", "component"),
        ("BAT", "component"),
        ("MAG", "component"),
        ("REE", "material"),
        ("BOLT", "component"),
    ]:
        items[code] = Item.objects.create(
            item_id=code,
            name=f"Item {code}",
            kind=kind,
            unit="pcs",
            critical_tags=["magnets"] if code == "MAG" else [],
        )
    for parent, child, qty in [
        ("CAR", "ENG", 1),
        ("CAR", "BAT", 2),
        ("ENG", "MAG", 4),
        ("MAG", "REE", 0.5),
    ]:
        BomLine.objects.create(
            parent_item=items[parent], child_item=items[child], quantity_per_unit=qty
        )
    for sup_site, item, recv, share in [
        ("S1", "ENG", "P1", 1.0),
        ("S2", "BAT", "P1", 0.6),
        ("S3", "BAT", "P1", 0.4),
        ("S4", "MAG", "S1", 1.0),
        ("S5", "REE", "S4", 1.0),
        ("S6", "BOLT", "S1", 1.0),
    ]:
        SupplyLink.objects.create(
            supplier_site=sites[sup_site],
            item=items[item],
            receiving_site=sites[recv],
            share=share,
            qualified=True,
        )
    return {"orgs": {"OWN": own, "SUP": sup}, "sites": sites, "items": items}
