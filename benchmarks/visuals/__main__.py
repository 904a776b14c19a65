"""Visuals latency and payload: the map, Sankey and network pages and their endpoints.

Loads the demo company (or, with ``--sites``, a synthetic network of that size) into a store
under benchmarks/out/visuals, computes its exposure analysis, and requests each page and
endpoint ``--repeat`` times through Django's test client after a warm-up. Prints median and
p95 per URL (the goal from the issue: map page and endpoint, and the Sankey, p95 ≤ 300 ms),
filtered views too (computed per request, not cached), the report's Sankey SVG,
the compressed size of what the map downloads (goal ≤ 1 MB), and, as the baseline in the same
run, the map endpoint with its per-version cache cleared before every request.

    python -m benchmarks.visuals [--repeat 40] [--sites 4400 --parts 55000 --tiers 10]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "out" / "visuals"


def _load(store: Path, sites: int, parts: int, tiers: int) -> None:
    os.environ["ECONSEC_DATA_DIR"] = str(store)
    os.environ.pop("DATABASE_URL", None)
    from econsec.store import open_store

    open_store()
    from econsec.valuechain.models import SupplyLink

    if not SupplyLink.objects.exists():
        t0 = time.perf_counter()
        if sites:
            from econsec.valuechain.generators.synthetic import generate_network
            from econsec.valuechain.intake.apply import import_tables

            import_tables(generate_network(sites=sites, parts=parts, tiers=tiers, seed=7), "syn")
        else:
            from econsec.valuechain.cli import load_demo

            load_demo("en")
        print(f"loaded the value chain in {time.perf_counter() - t0:.0f} s")
    from econsec.reports.gather import compute_exposure, stored_exposure

    if stored_exposure() is None:
        t0 = time.perf_counter()
        compute_exposure()
        print(f"exposure analysis in {time.perf_counter() - t0:.0f} s")
    if not sites:
        # The demo's site sweep, so the network marks TTS < TTR as the demo shows it (at Ford
        # scale a sweep takes hours; the network then says that no sweep is stored).
        from econsec.demo_steps import site_sweep
        from econsec.valuechain.store_io import compile_store

        t0 = time.perf_counter()
        site_sweep(compile_store())
        print(f"site sweep ready in {time.perf_counter() - t0:.0f} s")


def _timed(fetch: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    fetch()  # warm-up
    times = []
    last = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        last = fetch()
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, last


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--sites", type=int, default=0, help="synthetic sites (0: demo company)")
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    args = parser.parse_args()
    store = OUT / (f"store-{args.sites}-{args.parts}-{args.tiers}" if args.sites else "demo")
    _load(store, args.sites, args.parts, args.tiers)

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from econsec.visuals import gather
    from econsec.web.accounts import create_user

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.filter(username="bench-viewer").first()
    if user is None:
        user, _ = create_user("bench-viewer", "viewer")
    client = Client()
    client.force_login(user)

    _, report = gather.inputs() or (None, None)
    assert report is not None
    product = max(report.products, key=lambda p: len(p.single_points_of_failure))
    network = [product.site_id, product.item_id]
    urls = {
        "map page": reverse("web:visuals_map"),
        "map endpoint": reverse("api:visuals_map"),
        "sankey page": reverse("web:visuals_flows"),
        "sankey endpoint": reverse("api:visuals_flows"),
        "network page": reverse("web:visuals_network", args=network),
        "network endpoint": reverse("api:visuals_network", args=network),
    }
    by_product = "?product=" + "/".join(network)
    country = max(product.country_shares, key=lambda c: product.country_shares[c])
    filtered = {
        "map page ?tier=1&criticality=spof": urls["map page"] + "?tier=1&criticality=spof",
        f"map endpoint {by_product}": urls["map endpoint"] + by_product,
        f"sankey endpoint {by_product}": urls["sankey endpoint"] + by_product,
        "sankey page ?region=142": urls["sankey page"] + "?region=142",
        f"network endpoint ?country={country}": urls["network endpoint"] + f"?country={country}",
        "bad filter (400) ?tier=x": urls["map page"] + "?tier=x",
    }
    # An event's page carries the map of the sites its footprint hits (the visuals panel): a
    # whole-country export restriction on the product's first supplier country, the widest case.
    from econsec.monitoring import service as monitoring
    from econsec.monitoring.models import Event

    title = f"bench: {country} restricts exports"
    event = Event.objects.filter(title_en=title).first()
    if event is None:
        fp = {"kind": "export_restriction", "countries": [country]}
        event = monitoring.record({"kind": "export_restriction", "title_en": title,
                                   "footprint": fp}, actor="bench")  # fmt: skip
    urls["event page (map panel)"] = reverse("web:monitoring_event", args=[event.pk])
    print(f"{len(report.products)} products; network of {'/'.join(network)}")
    print(f"{'url':<22}{'median ms':>11}{'p95 ms':>9}")
    bodies: dict[str, bytes] = {}
    for name, url in urls.items():
        median, p95, response = _timed(lambda url=url: client.get(url), args.repeat)
        assert response.status_code == 200, (name, response.status_code)
        bodies[name] = response.content
        print(f"{name:<22}{median:>11.1f}{p95:>9.1f}")
    print("filtered (computed per request):")
    for name, url in filtered.items():
        median, p95, response = _timed(lambda url=url: client.get(url), args.repeat)
        expected = 400 if "(400)" in name else 200
        assert response.status_code == expected, (name, response.status_code)
        print(f"  {name:<48}{median:>9.1f}{p95:>9.1f}")
    from econsec.visuals.report import map_section

    median, p95, section = _timed(lambda: map_section(report.data_version), 5)
    svg = {c.id: len(c.data["svg"].encode()) for c in section.charts} if section else {}
    print(
        f"report section (map + Sankey SVG): median {median:.0f} ms, p95 {p95:.0f} ms; "
        + ", ".join(f"{k} {v / 1024:.1f} kB" for k, v in svg.items())
    )
    net = client.get(urls["network endpoint"]).json()
    print(
        f"network: {len(net['nodes'])} nodes, {len(net['spof'])} single points of failure, "
        + (f"{len(net['short'])} with TTS < TTR" if net["swept"] else "no site sweep stored")
    )

    def uncached() -> Any:
        for key in [k for k in gather._cache if k.startswith("map")]:
            gather._cache.pop(key)
        return client.get(urls["map endpoint"])

    median, p95, _ = _timed(uncached, max(5, args.repeat // 4))
    print(f"{'baseline: map endpoint, cache cleared':<40} median {median:.1f} ms, p95 {p95:.1f} ms")

    import json
    import re

    page = bodies["event page (map panel)"].decode()
    block = re.search(r'id="vis-event-map-data" type="application/json">(.*?)</script>', page, re.S)
    if block:
        shown = json.loads(block.group(1))
        print(
            f"event page: {shown['site_count']} sites of {country} mapped"
            + (f" as {len(shown['clusters'])} clusters" if shown["clusters"] else "")
            + f"; page {len(gzip.compress(page.encode(), 6)) / 1024:.1f} kB gzip"
        )

    data = json.loads(bodies["map endpoint"])
    from importlib import resources

    geo = (resources.files("econsec.visuals") / "web/static/visuals/world-110m.json").read_bytes()
    echarts = (
        resources.files("econsec.visuals")
        / "web/static/visuals/vendor/echarts-6.1.0/echarts.min.js"
    ).read_bytes()
    sizes = {
        "map endpoint": len(gzip.compress(bodies["map endpoint"], 6)),
        "world geometry": len(gzip.compress(geo, 6)),
        "echarts (cached by the browser)": len(gzip.compress(echarts, 6)),
    }
    for name, size in sizes.items():
        print(f"gzip {name:<34}{size / 1024:>8.1f} kB")
    print(
        f"map data (endpoint + geometry) compressed: {(sizes['map endpoint'] + sizes['world geometry']) / 1024:.1f} kB (goal ≤ 1024 kB)"
    )
    spof = sorted(s["site_id"] for s in data["sites"] or [] if s["exposure"] == "spof")
    print(
        f"map: {data['site_count']} sites in {len(data['supplier_countries'])} countries, "
        f"{data['spof_count']} single points of failure"
        + (", XIYAO-GZ among them" if "XIYAO-GZ" in spof else "")
        + (f"; drawn as {len(data['clusters'])} clusters" if data["clusters"] else "")
    )


if __name__ == "__main__":
    main()
