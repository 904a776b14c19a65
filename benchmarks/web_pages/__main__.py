"""Web page latency at Ford scale: every list and detail page, 20 concurrent HTTP clients.

Loads a synthetic Ford-scale value chain (4,400 supplier sites, 55,000 parts, 10 tiers) into a
SQLite store under benchmarks/out/web_pages (reused on later runs), serves it with the
embedded server (`econsec serve`), and measures each page with real HTTP requests from
20 threads. Prints median and p95 per page; the goal is p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "out" / "web_pages"


def _load(store: Path, sites: int, parts: int, tiers: int) -> None:
    os.environ["ECONSEC_DATA_DIR"] = str(store)
    os.environ.pop("DATABASE_URL", None)
    from econsec.store import open_store

    open_store()
    from econsec.valuechain.models import SupplyLink

    if SupplyLink.objects.exists():
        return
    from econsec.valuechain.generators.synthetic import generate_network
    from econsec.valuechain.intake.apply import import_tables

    t0 = time.perf_counter()
    tables = generate_network(sites=sites, parts=parts, tiers=tiers, seed=7)
    import_tables(tables, "synthetic-ford")
    print(f"loaded the network in {time.perf_counter() - t0:.0f} s")


def _session_cookie() -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from econsec.web.accounts import create_user

    user = User.objects.filter(username="bench").first() or create_user("bench", "viewer")[0]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def _pages() -> dict[str, str]:
    from econsec.valuechain.models import Item, Organisation, Site, SupplyLink
    from econsec.web.listing import encode_cursor

    plant = Site.objects.filter(organisation__kind="self").order_by("site_id").first()
    busy = SupplyLink.objects.values_list("supplier_site__site_id", flat=True).first()
    item = Item.objects.filter(kind="product").order_by("item_id").first()
    part = SupplyLink.objects.values_list("item__item_id", flat=True).order_by("id")[5000]
    org = Organisation.objects.filter(kind="supplier").order_by("org_id").first()
    deep = SupplyLink.objects.order_by("id").values_list("id", flat=True)[100000]
    assert plant and item and org
    return {
        "organisations": "/valuechain/organisations/",
        "organisations ?country=CN&sort=name": "/valuechain/organisations/?country=CN&sort=name",
        "sites": "/valuechain/sites/",
        "sites ?q=": "/valuechain/sites/?q=1&sort=-name",
        "items": "/valuechain/items/",
        "items ?kind=component&sort=name": "/valuechain/items/?kind=component&sort=name",
        "items ?q=": "/valuechain/items/?q=42",
        "bom": "/valuechain/bom/",
        "links": "/valuechain/links/",
        "links page 2000": f"/valuechain/links/?after={encode_cursor(deep, deep)}",
        "links ?q=": f"/valuechain/links/?q={part}",
        "links ?sort=-share": "/valuechain/links/?sort=-share",
        "dashboard": "/",
        "organisation detail": f"/valuechain/organisations/{org.org_id}/",
        "site detail (own plant)": f"/valuechain/sites/{plant.site_id}/",
        "site detail (supplier)": f"/valuechain/sites/{busy}/",
        "item detail (product)": f"/valuechain/items/{item.item_id}/",
        "item detail (part)": f"/valuechain/items/{part}/",
        "api supply-links": "/api/valuechain/supply-links?limit=100",
    }


def _hammer(port: int, cookie: str, paths: list[str], rounds: int, out: list[float]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(rounds):
        for path in paths:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "ja"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            out.append(time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    store = OUT / f"store-{args.sites}-{args.parts}-{args.tiers}"
    store.mkdir(parents=True, exist_ok=True)
    _load(store, args.sites, args.parts, args.tiers)
    cookie = _session_cookie()
    pages = _pages()
    from econsec.valuechain.models import Item, SupplyLink

    print(f"network: {Item.objects.count()} items, {SupplyLink.objects.count()} supply links")
    env = {**os.environ, "ECONSEC_DATA_DIR": str(store)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "econsec.cli",
            "serve",
            "--port",
            str(args.port),
            "--no-worker",
            "--threads",
            str(args.clients),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/login/"
                )
                break
            except OSError:
                time.sleep(0.2)
        print(f"{args.clients} concurrent clients × {args.rounds} rounds per page")
        print(f"{'page':42} {'median ms':>10} {'p95 ms':>8}")
        worst = 0.0
        for name, path in pages.items():
            timings: list[list[float]] = [[] for _ in range(args.clients)]
            threads = [
                threading.Thread(target=_hammer, args=(args.port, cookie, [path], args.rounds, t))
                for t in timings
            ]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            flat = sorted(x for t in timings for x in t)
            p95 = flat[int(0.95 * (len(flat) - 1))] * 1000
            worst = max(worst, p95)
            print(f"{name:42} {statistics.median(flat) * 1000:10.1f} {p95:8.1f}")
        print(f"worst p95: {worst:.1f} ms (goal ≤ 200 ms)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
