"""Web page latency at Ford scale: every list and detail page, 20 concurrent HTTP clients.

Loads a synthetic Ford-scale value chain (4,400 supplier sites, 55,000 parts, 10 tiers) into a
SQLite store under benchmarks/out/web_pages (reused on later runs), serves it with the real
server (`econsec serve`, in a subprocess) and measures each page with real HTTP requests from
20 client processes (one keep-alive connection each): a warm-up, then ≥ 200 timed requests per
page. Prints median and p95 per page and the worst p95 (the goal is p95 ≤ 200 ms), and the
server's CPU time per request, which does not depend on how busy the machine is otherwise.

Baselines in the same run: the one-process embedded server (waitress) next to the
multi-process one, and the previous detail-page walk (one query per tier) next to the
compiled-network tiers, timed in this process.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from econsec.web.accounts import create_user

    user = User.objects.filter(username="bench").first() or create_user("bench", "viewer")[0]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
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
        "items ?q= (rare)": "/valuechain/items/?q=%E7%A3%81%E7%9F%B3",
        "bom": "/valuechain/bom/",
        "links": "/valuechain/links/",
        "links page 2000": f"/valuechain/links/?after={encode_cursor(deep, deep)}",
        "links ?q=": f"/valuechain/links/?q={part}",
        "links ?sort=-share": "/valuechain/links/?sort=-share",
        "dashboard": "/",
        "organisation detail": f"/valuechain/organisations/{org.org_id}/",
        "site detail (own plant)": f"/valuechain/sites/{plant.site_id}/",
        "site detail (own plant) tier 2 page 3": (
            f"/valuechain/sites/{plant.site_id}/?tier=up-2&page=3"
        ),
        "site detail (supplier)": f"/valuechain/sites/{busy}/",
        "item detail (product)": f"/valuechain/items/{item.item_id}/",
        "item detail (part)": f"/valuechain/items/{part}/",
        "api supply-links": "/api/valuechain/supply-links?limit=100",
    }


def _client(port: int, cookie: str, path: str, warmup: int, rounds: int, go: Any, out: Any) -> None:
    """One client: its own keep-alive connection, ``warmup`` untimed then ``rounds`` timed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie, "Accept-Language": "ja"}
    timings: list[float] = []
    status = 200
    go.wait()
    for n in range(warmup + rounds):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            status = response.status
        if n >= warmup:
            timings.append(time.perf_counter() - t0)
    out.put((status, timings))


def _measure(port: int, cookie: str, path: str, clients: int, warmup: int, rounds: int) -> Any:
    """All clients at once on one page: (every timing, a non-200 status or 200)."""
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(port, cookie, path, warmup, rounds, go, out))
        for _ in range(clients)
    ]
    for p in procs:
        p.start()
    go.set()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    status = next((s for s, _ in results if s != 200), 200)
    return sorted(x for _, t in results for x in t), status


def _median_ms(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _tier_baseline() -> None:
    """The previous per-tier-query walk against the compiled tiers, same targets, this process."""
    from econsec.valuechain.models import Item, Site, SupplyLink
    from econsec.valuechain.web.views import tier_index

    from .baseline import item_walk, site_walk

    plant = Site.objects.filter(organisation__kind="self").order_by("site_id").first()
    busy_id = SupplyLink.objects.values_list("supplier_site__site_id", flat=True).first()
    busy = Site.objects.get(site_id=busy_id)
    product = Item.objects.filter(kind="product").order_by("item_id").first()
    assert plant and product
    t0 = time.perf_counter()
    index = tier_index()
    print(f"compiled network + tier adjacency ready in {time.perf_counter() - t0:.1f} s")
    print(f"{'tier walk (one process, median of 5)':42} {'per-tier SQL':>12} {'compiled':>9}")
    # Walks are remembered per data version (WalkMemo); time the walk itself, not the memo.
    walks = index.walks
    for name, old, new in [
        (
            "own plant: upstream + downstream",
            lambda: (site_walk(plant.pk, True), site_walk(plant.pk, False)),
            lambda: (
                walks.clear(),
                index.site_tiers(index.site_index[plant.site_id], upstream=True),
                index.site_tiers(index.site_index[plant.site_id], upstream=False),
            ),
        ),
        (
            "supplier: upstream + downstream",
            lambda: (site_walk(busy.pk, True), site_walk(busy.pk, False)),
            lambda: (
                walks.clear(),
                index.site_tiers(index.site_index[busy.site_id], upstream=True),
                index.site_tiers(index.site_index[busy.site_id], upstream=False),
            ),
        ),
        (
            "product: upstream along the BOM",
            lambda: item_walk(product.pk),
            lambda: (walks.clear(), index.item_tiers(index.item_index[product.item_id])),
        ),
    ]:
        print(f"{name:42} {_median_ms(old):10.1f}ms {_median_ms(new):7.2f}ms")
    print("(the per-tier walk also stopped at 300 nodes; the compiled walk covers every tier)")
    walks.clear()


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by the server process and its workers (load-independent cost)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _start_server(
    store: Path, port: int, processes: int, threads: int, source: str = ""
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ECONSEC_DATA_DIR": str(store)}
    command = [sys.executable, "-m", "econsec.cli", "serve", "--port", str(port), "--no-worker"]
    command += ["--threads", str(threads)]
    if source:  # another checkout's package (the previous code serves one process only)
        env["PYTHONPATH"] = source
    else:
        command += ["--processes", str(processes)]
    # The previous code's waitress logged every queued request; its stderr is noise here.
    quiet = subprocess.DEVNULL if source else None
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=quiet)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("the server did not start within 180 s")


def _run_config(
    store: Path,
    args: argparse.Namespace,
    processes: int,
    cookie: str,
    pages: dict[str, str],
    source: str = "",
) -> float:
    threads = args.threads or (args.clients if processes == 1 else 4)
    label = "waitress, 1 process" if processes == 1 else "gunicorn"
    if source:
        label = f"previous code from {source}, waitress"
    print()
    print(f"server: {label}, {processes} process(es) × {threads} threads")
    print(
        f"{args.clients} concurrent clients; per page {args.warmup} warm-up + {args.rounds} timed"
        f" requests each ({args.clients * args.rounds} timed)"
    )
    print(f"{'page':42} {'median ms':>10} {'p95 ms':>8} {'server CPU ms/req':>18}")
    server = _start_server(store, args.port, processes, threads, source)
    worst = 0.0
    try:
        for name, path in pages.items():
            cpu0 = _cpu_seconds(server.pid)
            flat, status = _measure(args.port, cookie, path, args.clients, args.warmup, args.rounds)
            cpu = (_cpu_seconds(server.pid) - cpu0) / (args.clients * (args.warmup + args.rounds))
            p95 = flat[int(0.95 * (len(flat) - 1))] * 1000
            note = "" if status == 200 else f"  (HTTP {status}: page broken, not counted)"
            if status == 200:
                worst = max(worst, p95)
            print(
                f"{name:42} {statistics.median(flat) * 1000:10.1f} {p95:8.1f}"
                f" {cpu * 1000:18.1f}{note}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"worst p95 ({label}, {processes} process(es)): {worst:.1f} ms (goal ≤ 200 ms)")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="timed requests per client")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per client")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1, 2],
        help="server configurations to measure (1 = embedded waitress, >1 = gunicorn)",
    )
    parser.add_argument("--threads", type=int, default=0, help="threads per server process")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--no-walk-baseline", action="store_true")
    parser.add_argument(
        "--baseline-source",
        default="",
        help="also serve the pages from this source folder (e.g. `git archive <commit> src` "
        "unpacked) first, one waitress process, as the previous code's baseline",
    )
    args = parser.parse_args()

    store = OUT / f"store-{args.sites}-{args.parts}-{args.tiers}"
    store.mkdir(parents=True, exist_ok=True)
    _load(store, args.sites, args.parts, args.tiers)
    cookie = _session_cookie()
    pages = {k: v for k, v in _pages().items() if args.only in k}
    from django.db import connections

    from econsec.valuechain.models import Item, SupplyLink

    print(f"network: {Item.objects.count()} items, {SupplyLink.objects.count()} supply links")
    print(f"machine: {os.cpu_count()} CPUs (shared; figures are noisy)")
    if not args.no_walk_baseline:
        _tier_baseline()
    connections.close_all()  # the client processes fork from here
    results = {}
    if args.baseline_source:
        results["previous code, 1 process"] = _run_config(
            store, args, 1, cookie, pages, args.baseline_source
        )
    for n in args.processes:
        results[f"{n} process(es)"] = _run_config(store, args, n, cookie, pages)
    print()
    for name, worst in results.items():
        print(f"worst p95, {name}: {worst:.1f} ms")


if __name__ == "__main__":
    main()
