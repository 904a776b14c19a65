"""Prepared queries and the request floor built on them: same rows as the ORM, sessions and
roles still revoked at once (sign-out, password change, expiry, a removed role)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from econsec.valuechain.models import BomLine, Item, SupplyLink
from econsec.web.backends import PreparedModelBackend
from econsec.web.prepared import Prepared, int_marker, str_marker
from econsec.web.roles import user_roles

from .fixtures import PASSWORD


def test_prepared_rows_equal_the_orm_with_converters(chain: Any) -> None:
    # Booleans, floats, JSON lists and joined columns go through the ORM's converters.
    links = Prepared(
        lambda site: (
            SupplyLink.objects.filter(receiving_site__site_id=site)
            .order_by("id")
            .values_list("id", "share", "qualified", "item__item_id", "item__critical_tags")
        ),
        str_marker(0),
    )
    for site in ["P1", "S1", "S4", "nowhere"]:
        orm = list(
            SupplyLink.objects.filter(receiving_site__site_id=site)
            .order_by("id")
            .values_list("id", "share", "qualified", "item__item_id", "item__critical_tags")
        )
        assert links.rows(site) == orm
    assert links.names() == ["id", "share", "qualified", "item__item_id", "item__critical_tags"]
    assert any(isinstance(row[2], bool) for row in links.rows("P1"))


def test_prepared_query_with_two_markers_and_constants(chain: Any) -> None:
    by_kind = Prepared(
        lambda kind, pk: (
            Item.objects.filter(kind=kind, pk__gt=pk, unit__in=["pcs", "kg"])
            .order_by("pk")
            .values_list("item_id")
        ),
        str_marker(0),
        int_marker(1),
    )
    first = Item.objects.order_by("pk").first()
    assert first is not None
    expected = list(
        Item.objects.filter(kind="component", pk__gt=first.pk, unit__in=["pcs", "kg"])
        .order_by("pk")
        .values_list("item_id")
    )
    assert by_kind.rows("component", first.pk) == expected
    assert by_kind.first("component", 10**9) is None
    with pytest.raises(TypeError):
        by_kind.rows("component")


def test_a_marker_that_does_not_reach_the_sql_is_refused(db: Any) -> None:
    # The marker is dropped from the query: running it would ignore the argument.
    ignored = Prepared(lambda key: Item.objects.values_list("item_id"), str_marker(0))
    with pytest.raises(ValueError):
        ignored.rows("x")


def test_backend_returns_the_orm_user_and_refuses_inactive(users: Any) -> None:
    backend = PreparedModelBackend()
    viewer = users["viewer"]
    got = backend.get_user(str(viewer.pk))
    assert got is not None
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(got, f) for f in fields] == [getattr(viewer, f) for f in fields]
    assert got._state.adding is False and got._state.db == "default"
    assert backend.get_user("999999") is None
    assert backend.get_user("not a number") is None
    viewer.is_active = False
    viewer.save()
    assert backend.get_user(viewer.pk) is None


def _signed_in(who: str) -> Client:
    client = Client()
    assert client.login(username=who, password=PASSWORD)
    return client


def test_sign_out_ends_the_session_everywhere(users: Any) -> None:
    client = _signed_in("viewer")
    cookie = client.cookies["sessionid"].value
    assert client.get("/valuechain/items/").status_code == 200
    copy = Client()
    copy.cookies["sessionid"] = cookie  # the same session from another browser
    assert copy.get("/valuechain/items/").status_code == 200
    client.post("/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    assert copy.get("/valuechain/items/").status_code == 302


def test_password_change_ends_other_sessions(users: Any) -> None:
    client = _signed_in("viewer")
    assert client.get("/valuechain/items/").status_code == 200
    user = users["viewer"]
    user.set_password("another long passphrase")
    user.save()
    response = client.get("/valuechain/items/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_expired_session_is_not_read(users: Any) -> None:
    client = _signed_in("viewer")
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get("/valuechain/items/").status_code == 302
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(hours=1))
    client.cookies["sessionid"] = key  # the redirect told the browser to drop it
    assert client.get("/valuechain/items/").status_code == 200


def test_a_removed_role_is_refused_on_the_next_request(users: Any, chain: Any) -> None:
    client = _signed_in("analyst")
    assert client.get("/valuechain/upload/").status_code == 200
    users["analyst"].groups.remove(Group.objects.get(name="analyst"))
    assert client.get("/valuechain/upload/").status_code == 403
    assert user_roles(User.objects.get(username="analyst")) == frozenset()
    assert user_roles(users["administrator"]) == {"administrator"}


def test_signed_in_list_page_runs_four_queries(client_for: Any, chain: Any) -> None:
    # Session, user, roles, the page's rows: nothing else per request.
    client = client_for("viewer")
    client.get("/valuechain/links/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/valuechain/links/").status_code == 200
    assert len(ctx.captured_queries) == 4


def test_detail_queries_equal_the_orm(chain: Any) -> None:
    from econsec.valuechain.models import BomLine, Site
    from econsec.valuechain.store_io import current_version
    from econsec.valuechain.web import detail_queries as dq

    for site in Site.objects.select_related("organisation"):
        got = dq.site(site.site_id)
        assert got is not None
        assert (got["pk"], got["name"], got["kind"], got["country"], got["region"]) == (
            site.pk,
            site.name,
            site.kind,
            site.country,
            site.region,
        )
        assert got["organisation"] == {
            "org_id": site.organisation.org_id,
            "name": site.organisation.name,
        }
        receipts, more = dq.receipts(site.pk)
        assert receipts == list(
            SupplyLink.objects.filter(receiving_site=site)
            .order_by("id")
            .values_list(
                "supplier_site__site_id",
                "supplier_site__name",
                "item__item_id",
                "item__name",
                "share",
                "qualified",
            )
        )
        assert more is False
    for item in Item.objects.all():
        got = dq.item(item.item_id)
        assert got is not None
        assert got["critical_tags"] == item.critical_tags and got["name"] == item.name
        inputs, _ = dq.inputs(item.pk)
        assert inputs == list(
            BomLine.objects.filter(parent_item=item)
            .order_by("child_item__item_id")
            .values_list("child_item__item_id", "child_item__name", "quantity_per_unit")
        )
    assert dq.site("no such site") is None and dq.item("no such item") is None
    assert dq.data_version() == current_version()


def test_unknown_detail_pages_are_404(client_for: Any, chain: Any) -> None:
    client = client_for("viewer")
    assert client.get("/valuechain/sites/NOPE/").status_code == 404
    assert client.get("/valuechain/items/NOPE/").status_code == 404


@pytest.mark.parametrize("name", ["organisations", "sites", "items", "bom", "links"])
def test_prepared_pages_equal_the_orm_pages(chain: Any, name: str) -> None:
    from econsec.valuechain.web.views import SPECS
    from econsec.web.listing import PreparedPages, paginate

    spec = SPECS[name]
    pages = PreparedPages(spec.base, 2)
    for field, _ in spec.sorts.values():
        for descending in (False, True):
            # Walk forward to the end, then back to the start, both ways at once.
            orm_after: str | None = None
            seen = 0
            while True:
                kwargs: dict[str, Any] = {"descending": descending, "after": orm_after, "size": 2}
                orm = paginate(spec.base(), field, **kwargs)
                fast = paginate(spec.base(), field, fetch=pages.fetch(field), **kwargs)
                assert fast == orm, (field, descending, orm_after)
                seen += len(orm.rows)
                if orm.next_cursor is None:
                    break
                orm_after = orm.next_cursor
            assert seen == spec.base().count()
            back = paginate(spec.base(), field, descending=descending, before=orm_after, size=2)
            fast_back = paginate(
                spec.base(),
                field,
                descending=descending,
                before=orm_after,
                size=2,
                fetch=pages.fetch(field),
            )
            assert fast_back == back


def test_prepared_pages_leave_odd_cursors_to_the_orm(chain: Any) -> None:
    from econsec.valuechain.web.views import SPECS
    from econsec.web.listing import PreparedPages

    spec = SPECS["links"]
    pages = PreparedPages(spec.base, 2)
    # A share that is not a number cannot be prepared; the ORM path decides what it means.
    assert pages.fetch("share")(False, ("not a number", 1)) is None


def test_a_tampered_cursor_starts_at_the_first_page(client_for: Any, chain: Any) -> None:
    from econsec.web.listing import encode_cursor

    client = client_for("viewer")
    first = client.get("/valuechain/links/", {"sort": "share"})
    odd = client.get("/valuechain/links/", {"sort": "share", "after": encode_cursor("abc", 1)})
    assert odd.status_code == 200
    rows = re.compile(r"<tbody>.*</tbody>", re.S)
    assert rows.findall(odd.content.decode()) == rows.findall(first.content.decode())


def test_api_pages_read_with_prepared_queries_equal_the_orm(chain: Any) -> None:
    from econsec.valuechain.web import api

    for columns, shape, prepared in [
        (api._LINK_COLUMNS, api._link, api._LINK_PAGES),
        (api._BOM_COLUMNS, api._bom, api._BOM_PAGES),
    ]:
        model = SupplyLink if prepared is api._LINK_PAGES else BomLine
        after = None
        seen = 0
        while True:
            qs = model.objects.values(*columns)
            fast = api._page(qs, "id", after, 2, shape, prepared)
            assert fast == api._page(qs, "id", after, 2, shape)
            seen += len(fast["items"])
            if fast["next"] is None:
                break
            after = fast["next"]
        assert seen == model.objects.count() > 2
