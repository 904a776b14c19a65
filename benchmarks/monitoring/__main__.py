"""Monitoring at Ford scale (4,400 supplier sites, 55,000 parts, 10 tiers).

1. Matching: 10,000 random events (every kind) against the chain — goal ≤ 10 s on 2 cores;
   the touched products of a sample are compared with a straightforward networkx graph walk
   (differences must be 0), and the stopped nodes with a plain fixed-point iteration on a
   smaller sample.
2. Feed intake: 1,000 feed items parsed and classified — goal ≤ 10 s.
3. CAP intake: 1,000 CAP 1.2 alerts with a 24-vertex area polygon each, parsed and their area
   names classified; 1,000 polygon footprints matched, the sites inside a sample of them
   compared with a plain per-site ray cast (differences must be 0).

Medians over --repeat runs. Usage: python -m benchmarks.monitoring [--events N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from econsec.monitoring.cap import parse_cap
from econsec.monitoring.classify import classify
from econsec.monitoring.feeds import parse_feed
from econsec.monitoring.footprint import EVENT_KINDS, Footprint, Point
from econsec.monitoring.impact import stopped_nodes, touched_matrix
from econsec.monitoring.index import build_index
from econsec.monitoring.match import match, site_mask
from econsec.monitoring.places import site_places
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.synthetic import generate_network
from tests.monitoring.independent import stopped_by_fixpoint, supply_graph, touched_by_walk


def _events(chain, n: int, seed: int) -> list[Footprint]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    minerals = sorted({t for tags in chain.item_mineral_tags for t in tags}) or ["gallium"]
    hs = sorted({c[:4] for c in chain.item_hs_code if c}) or ["8542"]
    out = []
    for _ in range(n):
        kind = EVENT_KINDS[int(rng.integers(len(EVENT_KINDS)))]
        country = (chain.countries[int(rng.integers(len(chain.countries)))],)
        if kind in ("export_restriction", "tariff"):
            fp = Footprint(kind, countries=country, mineral_tags=(minerals[int(rng.integers(len(minerals)))],),
                           hs_prefixes=(hs[int(rng.integers(len(hs)))],))  # fmt: skip
        elif kind == "sanction":
            fp = Footprint(kind, orgs=(chain.org_ids[int(rng.integers(len(chain.org_ids)))],))
        elif kind == "closure":
            fp = Footprint(
                kind,
                chokepoints=(chain.chokepoint_ids[int(rng.integers(len(chain.chokepoint_ids)))],),
            )
        elif kind == "plant_incident":
            fp = Footprint(kind, sites=(chain.site_ids[int(rng.integers(len(chain.site_ids)))],))
        elif kind == "regulation":
            fp = Footprint(kind, hs_prefixes=(hs[int(rng.integers(len(hs)))],))
        else:
            fp = Footprint(kind, countries=country, point=Point(float(rng.uniform(-60, 60)),
                           float(rng.uniform(-180, 180)), 500.0))  # fmt: skip
        out.append(fp)
    return out


def _feed(n: int) -> bytes:
    titles = [
        "China restricts gallium and germanium exports",
        "中国、レアアースの輸出規制を強化",
        "台湾海峡封锁，航运中断",
        "Earthquake hits Shizuoka, plants halted",
        "United States announces tariffs on semiconductors",
    ]
    items = "".join(
        f"<item><title>{titles[i % len(titles)]} #{i}</title><link>https://n.example/{i}</link>"
        f"<description>Item {i} about supply chains in Asia.</description></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def _cap(n: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    alerts = []
    for i in range(n):
        lat, lon = float(rng.uniform(-50, 50)), float(rng.uniform(-170, 170))
        ring = [(lat + 2 * np.sin(a), lon + 3 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 24)]
        ring.append(ring[0])
        poly = " ".join(f"{y:.4f},{x:.4f}" for y, x in ring)
        alerts.append(
            f'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>b{i}</identifier>'
            "<sender>b@example.org</sender><sent>2026-02-06T21:00:00Z</sent><status>Actual</status>"
            "<msgType>Alert</msgType><scope>Public</scope><info><category>Met</category>"
            "<event>Typhoon</event><urgency>Future</urgency><severity>Severe</severity>"
            f"<certainty>Likely</certainty><headline>Typhoon warning #{i}</headline>"
            f"<area><areaDesc>Kumamoto and Taiwan Strait {i}</areaDesc><polygon>{poly}</polygon>"
            "</area></info></alert>"
        )
    return f"<feed>{''.join(alerts)}</feed>".encode()


def _inside(lat: float, lon: float, ring: tuple[tuple[float, float], ...]) -> bool:
    # The textbook even-odd test, one point at a time, as the check for the vectorised one.
    inside = False
    for k in range(len(ring)):
        (y1, x1), (y2, x2) = ring[k], ring[(k + 1) % len(ring)]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    t0 = time.perf_counter()
    tables = generate_network(4400, 55000, 10, 1)
    chain = compile_tables(tables)
    print(f"chain: {chain.n_nodes:,} nodes, {chain.n_links:,} links, {len(chain.site_ids):,} sites, "
          f"{len(chain.item_ids):,} items ({time.perf_counter() - t0:.1f} s to generate and compile)")  # fmt: skip
    index_times, match_times = [], []
    events = _events(chain, args.events, 7)
    for _ in range(args.repeat):
        t = time.perf_counter()
        index = build_index(chain, site_places(chain.site_ids, tables["sites"]))
        index_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        touched = touched_matrix(index, events)
        match_times.append(time.perf_counter() - t)
    print(f"index: median {statistics.median(index_times):.2f} s")
    print(f"matching {args.events:,} events (touched products): median "
          f"{statistics.median(match_times):.2f} s (goal ≤ 10 s); "
          f"{touched.nnz:,} event-product pairs")  # fmt: skip
    g = supply_graph(chain)
    differences = 0
    for e in range(0, args.events, max(1, args.events // args.sample)):
        hits = match(index, events[e])
        walk = touched_by_walk(chain, g, hits.nodes.tolist(), hits.links.tolist())
        got = {int(index.product_nodes[p]) for p in touched[e].indices}
        differences += got != walk
    print(f"networkx walk on {args.sample} sampled events: {differences} differences")
    slow = 0
    for e in range(0, min(args.events, 40), 8):
        hits = match(index, events[e])
        if hits.stops:
            lost = set(np.flatnonzero(stopped_nodes(index, hits)).tolist())
            slow += lost != stopped_by_fixpoint(chain, hits.nodes.tolist(), hits.links.tolist())
    print(f"stopped nodes against a fixed-point iteration on 5 events: {slow} differences")
    body = _feed(1000)
    feed_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        parsed = parse_feed(body, "bench")
        for item in parsed.items:
            classify(item.title, item.summary)
        feed_times.append(time.perf_counter() - t)
    print(f"feed intake: {len(parsed.items):,} items parsed and classified, median "
          f"{statistics.median(feed_times):.2f} s (goal ≤ 10 s)")  # fmt: skip
    body = _cap(1000, 11)
    cap_times, poly_times = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        alerts = parse_cap(body, "bench").events
        for alert in alerts:
            classify(alert.area_text)
        cap_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        polygons = touched_matrix(index, [a.footprint for a in alerts])
        poly_times.append(time.perf_counter() - t)
    print(f"CAP intake: {len(alerts):,} alerts ({len(body) / 1e6:.1f} MB) parsed and classified, "
          f"median {statistics.median(cap_times):.2f} s (goal ≤ 10 s)")  # fmt: skip
    print(f"polygon footprints: {len(alerts):,} matched, median "
          f"{statistics.median(poly_times):.2f} s; {polygons.nnz:,} event-product pairs")  # fmt: skip
    lat, lon = index.places.latitude, index.places.longitude
    wrong = inside_total = 0
    for alert in alerts[:: max(1, len(alerts) // 50)]:
        ring = alert.footprint.polygons[0]
        got = set(np.flatnonzero(site_mask(index, alert.footprint)).tolist())
        want = {i for i in range(len(lat)) if np.isfinite(lat[i]) and _inside(lat[i], lon[i], ring)}
        wrong += got != want
        inside_total += len(want)
    print(f"sites inside 50 sampled polygons vs a per-site ray cast: {wrong} differences "
          f"({inside_total:,} sites inside in all)")  # fmt: skip


if __name__ == "__main__":
    main()
