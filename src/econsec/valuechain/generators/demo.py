"""The demo company: Toho Motion Systems (東邦モーションシステムズ), a fictional Japanese maker of
EV e-axles, traction inverters, on-board chargers, DC-DC converters and industrial servo motors.

The structure (organisations, sites, items, bills of materials, who sources what from whom,
demand, alternatives) is data in ``demo_company.yaml``; this module expands it into workbook
tables: weekly volumes follow demand down the bills of materials, so every supplier's volume,
capacity, annual value and inventory is consistent with what the company actually sells.
Everything random is drawn from generators seeded by a fixed seed and the row's own key, so two
runs give identical tables.

Weak points built in on purpose (analyses must find them):

* **Rare-earth magnets concentrated in China.** The Dy-rich NdFeB magnet for the 150 kW traction
  motor (``C-MAG-NDFEB-DY``) has one qualified source, Ganzhou Xiyao Magnetics (CN), whose alloy
  and dysprosium oxide also come from China (Baotou, Ganzhou separation), the heavy rare earths
  from Myanmar ionic clay (tier 4). Only 1.5 weeks of cover at the Hamamatsu plant; Hokushin's
  Echizen plant (JP) is an alternative that needs 30 weeks of qualification.
* **Microcontrollers through one Taiwanese foundry.** The inverter MCU (``C-MCU-A``, Soden
  Microsystems, JP) is made from dies of a single foundry fab in Hsinchu (TJSC), shipped across
  the Taiwan Strait; the servo MCU and the general-purpose MCU (Cascade, US) also depend on TJSC
  fabs — a hidden tier-2 concentration behind apparently different tier-1 suppliers.
* **Gallium and germanium from China.** GaN power FETs and the IR LED depend on gallium from
  Yunnan (a small recycled share from Akita only for one epi supplier); the Ge window of the
  infrared temperature sensor depends on a single Chinese germanium refiner.
* **Single-sourced parts with qualified alternatives**, e.g. the resolver (Sagami, JP), the
  resolver-to-digital converter IC, the SmCo magnet, the encoder backup cell.
* **Chokepoints:** Taiwan Strait (TW and South China ports to Japan), Strait of Malacca and the
  South China Sea (Malaysia, India, Africa, the Gulf), Strait of Hormuz (Qatari LNG), Suez Canal /
  Red Sea (everything from Europe).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from econsec.valuechain.generators.routes import RouteModel, chokepoint_rows, load_routes
from econsec.valuechain.schema import load_schema

DATA_FILE = Path(__file__).with_name("demo_company.yaml")
OWN_KIND = "self"

Tables = dict[str, list[dict[str, object]]]
SiteShare = tuple[str, float]


class DemoDataError(ValueError):
    """The demo data file contradicts itself (a bad reference, shares not adding up…)."""


@dataclass
class _Site:
    site_id: str
    org_id: str
    country: str
    zone: str
    kind: str
    own: bool
    ttr_range: tuple[float, float]
    ttr: float | None
    alt: float | None


@dataclass
class _Item:
    item_id: str
    raw: dict[str, Any]
    bom: dict[str, float] = field(default_factory=dict)


def _rng(seed: int, *parts: object) -> random.Random:
    """A generator seeded by the demo seed and a row's key (str seeds hash with SHA-512)."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


@cache
def _load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return data


def demo_company() -> Tables:
    """The demo company as workbook tables (sheet name → rows), identical on every call."""
    return _Builder(_load(), load_routes()).build()


class _Builder:
    def __init__(self, data: dict[str, Any], routes: RouteModel) -> None:
        self.data = data
        self.routes = routes
        self.seed = int(data["seed"])
        self.sites: dict[str, _Site] = {}
        self.items: dict[str, _Item] = {}
        self.tables: Tables = {}

    # ---- structure ------------------------------------------------------------------------
    def _organisations(self) -> None:
        orgs: list[dict[str, object]] = []
        sites: list[dict[str, object]] = []
        for org in self.data["organisations"]:
            orgs.append(
                {
                    "org_id": org["id"],
                    "name": org["name"],
                    "name_en": org.get("en"),
                    "kind": org["kind"],
                    "country": org["country"],
                    "parent_org_id": org.get("parent"),
                    "ownership_pct": float(org["pct"]) if "pct" in org else None,
                    "notes": org.get("notes"),
                }
            )
            lo, hi = org.get("ttr", [8, 16])
            for entry in org.get("sites", []):
                site_id, label, country, region, kind, lat, lon = entry[:7]
                extra: dict[str, Any] = entry[7] if len(entry) > 7 else {}
                if site_id in self.sites:
                    raise DemoDataError(f"site {site_id} is defined twice")
                self.sites[site_id] = _Site(
                    site_id=site_id,
                    org_id=org["id"],
                    country=country,
                    zone=extra.get("zone", self.routes.zone_of(country)),
                    kind=kind,
                    own=org["kind"] == OWN_KIND,
                    ttr_range=(float(lo), float(hi)),
                    ttr=extra.get("ttr"),
                    alt=extra.get("alt"),
                )
                sites.append(
                    {
                        "site_id": site_id,
                        "org_id": org["id"],
                        "name": f"{org['name']} {label}",
                        "country": country,
                        "region": region,
                        "kind": kind,
                        "latitude": float(lat),
                        "longitude": float(lon),
                    }
                )
        self.tables["organisations"] = orgs
        self.tables["sites"] = sites

    def _expand_families(self) -> list[dict[str, Any]]:
        """Family variants as item entries; their parents get the variant in their BOM."""
        expanded: list[dict[str, Any]] = []
        for family in self.data.get("families", []):
            for n, spec in enumerate(family["specs"], start=1):
                item_id = f"{family['prefix']}-{n:02d}"
                rng = _rng(self.seed, "family", item_id)
                pool = list(family["sources"])
                k = rng.randint(1, min(int(family["max_sources"]), len(pool)))
                chosen = rng.sample(pool, k)
                shares = [1.0] if k == 1 else _split(rng, k)
                parents = rng.sample(list(family["parents"]), rng.randint(1, 3))
                qlo, qhi = family["qty"]
                clo, chi = family["cost"]
                entry: dict[str, Any] = {
                    "id": item_id,
                    "name": family["name"].format(spec=spec),
                    "en": family["en"].format(spec=spec),
                    "kind": family["kind"],
                    "unit": family["unit"],
                    "hs": family["hs"],
                    "crit": family.get("crit", []),
                    "min": family.get("min", []),
                    "cost": round(rng.uniform(clo, chi), 1),
                    "lt": family["lt"],
                    "src": [[s, sh] for s, sh in zip(chosen, shares, strict=True)],
                    "bom": dict(family.get("bom", {})),
                    "_parents": {p: rng.randint(qlo, qhi) for p in parents},
                }
                if "cover" in family:
                    entry["cover"] = round(rng.uniform(*family["cover"]), 1)
                expanded.append(entry)
        return expanded

    def _items(self) -> None:
        entries = list(self.data["items"]) + self._expand_families()
        rows: list[dict[str, object]] = []
        for entry in entries:
            if entry["id"] in self.items:
                raise DemoDataError(f"item {entry['id']} is defined twice")
            self.items[entry["id"]] = _Item(entry["id"], entry, dict(entry.get("bom", {})))
            rows.append(
                {
                    "item_id": entry["id"],
                    "name": entry["name"],
                    "name_en": entry["en"],
                    "kind": entry["kind"],
                    "unit": entry["unit"],
                    "hs_code": entry.get("hs"),
                    "critical_tags": list(entry.get("crit", [])),
                    "mineral_tags": list(entry.get("min", [])),
                }
            )
        for entry in entries:
            for parent, qty in entry.get("_parents", {}).items():
                self.items[parent].bom[entry["id"]] = float(qty)
        for item in self.items.values():
            for child in item.bom:
                if child not in self.items:
                    raise DemoDataError(f"BOM of {item.item_id} names unknown item {child}")
            for site, _ in self._all_sources(item):
                if site not in self.sites:
                    raise DemoDataError(f"item {item.item_id} names unknown site {site}")
        self.tables["items"] = rows
        self.tables["bom"] = [
            {"parent_item_id": item.item_id, "child_item_id": child, "quantity_per_unit": qty}
            for item in self.items.values()
            for child, qty in item.bom.items()
        ]

    def _all_sources(self, item: _Item) -> list[SiteShare]:
        raw = item.raw
        out = [(s, 1.0) for s in raw.get("made_at", [])]
        out += [(s, float(sh)) for s, sh in raw.get("src", [])]
        for lst in raw.get("src_for", {}).values():
            out += [(s, float(sh)) for s, sh in lst]
        return out

    def sources(self, item_id: str, receiver: str) -> list[SiteShare]:
        """Where ``receiver`` gets ``item_id``: its own override, the default, or own plants."""
        raw = self.items[item_id].raw
        chosen = raw.get("src_for", {}).get(receiver) or raw.get("src")
        if chosen:
            pairs = [(str(s), float(sh)) for s, sh in chosen]
        elif raw.get("made_at"):
            plants = list(raw["made_at"])
            pairs = [(s, 1.0 / len(plants)) for s in plants]
        else:
            raise DemoDataError(f"item {item_id} has no source")
        if abs(sum(sh for _, sh in pairs) - 1.0) > 1e-9:
            raise DemoDataError(f"shares of {item_id} for {receiver} do not add up to 1")
        return pairs

    # ---- volumes --------------------------------------------------------------------------
    def _rank(self) -> list[str]:
        """Items parents-first (longest path from a root), so volumes are complete on visit."""
        indegree = {i: 0 for i in self.items}
        for item in self.items.values():
            for child in item.bom:
                indegree[child] += 1
        order: list[str] = []
        ready = [i for i, d in indegree.items() if d == 0]
        while ready:
            current = ready.pop()
            order.append(current)
            for child in self.items[current].bom:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        if len(order) != len(self.items):
            raise DemoDataError("the bill of materials has a cycle")
        return order

    def _volumes(self) -> None:
        self.made: dict[tuple[str, str], float] = defaultdict(float)
        self.links: dict[tuple[str, str, str], float] = defaultdict(float)
        self.shares: dict[tuple[str, str, str], float] = {}
        self.needs: dict[tuple[str, str], float] = defaultdict(float)
        for item_id, _market, site, per_week, *_ in self.data["demand"]:
            self.made[(site, item_id)] += float(per_week)
        for item in self.items.values():
            for site, per_year in item.raw.get("supply_to", {}).items():
                self._route(site, item.item_id, float(per_year) / 52.0)
        for item_id in self._rank():
            for site in sorted({s for (s, i) in self.made if i == item_id}):
                volume = self.made[(site, item_id)]
                for child, qty in self.items[item_id].bom.items():
                    self._route(site, child, volume * qty)

    def _route(self, receiver: str, item_id: str, need: float) -> None:
        pairs = self.sources(item_id, receiver)
        if any(s == receiver for s, _ in pairs):
            self.made[(receiver, item_id)] += need
            return
        self.needs[(receiver, item_id)] += need
        for supplier, share in pairs:
            self.links[(supplier, item_id, receiver)] += need * share
            self.shares[(supplier, item_id, receiver)] = share
            self.made[(supplier, item_id)] += need * share

    # ---- sheets ---------------------------------------------------------------------------
    def _production(self) -> None:
        rows: list[dict[str, object]] = []
        for (site, item_id), volume in sorted(self.made.items()):
            rng = _rng(self.seed, "capacity", site, item_id)
            factor = rng.uniform(1.12, 1.35) if self.sites[site].own else rng.uniform(1.5, 4.0)
            rows.append(
                {
                    "site_id": site,
                    "item_id": item_id,
                    "capacity_per_week": _round(volume * factor),
                }
            )
        self.tables["production"] = rows

    def _supply_links(self) -> None:
        rows: list[dict[str, object]] = []
        for (supplier, item_id, receiver), volume in sorted(self.links.items()):
            item = self.items[item_id].raw
            src, dst = self.sites[supplier], self.sites[receiver]
            service = item["kind"] == "service"
            chokepoints = [] if service else list(self.routes.route(src.zone, dst.zone))
            transit = (
                0
                if service
                else self.routes.transit_days(src.country, src.zone, dst.country, dst.zone)
            )
            annual = volume * 52.0
            # Values in yen throughout, the currency the company reports in (also for links
            # between two foreign suppliers, which it values at its own purchase prices).
            value = (Decimal(str(item.get("cost", 0))) * Decimal(str(round(annual, 2)))).quantize(
                Decimal(1)
            )
            rng = _rng(self.seed, "link", supplier, item_id, receiver)
            rows.append(
                {
                    "supplier_site_id": supplier,
                    "item_id": item_id,
                    "receiving_site_id": receiver,
                    "share": self.shares[(supplier, item_id, receiver)],
                    "lead_time_days": float(int(item.get("lt", 21)) + transit),
                    "annual_volume": _round(annual),
                    "annual_value": value,
                    "currency": "JPY",
                    "capacity_per_week": _round(volume * rng.uniform(1.2, 2.5)),
                    "qualified": True,
                    "chokepoints": chokepoints,
                }
            )
        self.tables["supply_links"] = rows

    def _inventory(self) -> None:
        stock: dict[tuple[str, str], float] = {}
        for (site, item_id), need in self.needs.items():
            if not self.sites[site].own:
                continue
            item = self.items[item_id].raw
            if item["kind"] == "service" or item.get("supply_to"):
                continue
            rng = _rng(self.seed, "cover", site, item_id)
            cover = float(item["cover"]) if "cover" in item else rng.uniform(2.0, 6.0)
            stock[(site, item_id)] = need * cover
        tier1 = {s for (s, _i, r) in self.links if self.sites[r].own}
        for (site, item_id), volume in self.made.items():
            item = self.items[item_id].raw
            if item["kind"] == "service":
                continue
            if self.sites[site].own and item["kind"] == "product":
                stock[(site, item_id)] = volume * float(item.get("cover", 1.0))
            elif site in tier1 and not self.sites[site].own:
                rng = _rng(self.seed, "supplier-stock", site, item_id)
                if rng.random() < 0.5:
                    stock[(site, item_id)] = volume * rng.uniform(0.5, 3.0)
        self.tables["inventory"] = [
            {"site_id": site, "item_id": item_id, "on_hand_units": _round(units)}
            for (site, item_id), units in sorted(stock.items())
        ]

    def _recovery(self) -> None:
        rows: list[dict[str, object]] = []
        sites_per_org: dict[str, int] = defaultdict(int)
        for site in self.sites.values():
            sites_per_org[site.org_id] += 1
        for site in self.sites.values():
            rng = _rng(self.seed, "recovery", site.site_id)
            ttr = site.ttr if site.ttr is not None else round(rng.uniform(*site.ttr_range))
            alt = site.alt
            if alt is None and sites_per_org[site.org_id] > 1 and rng.random() < 0.6:
                alt = max(2.0, round(float(ttr) * rng.uniform(0.35, 0.7)))
            rows.append(
                {
                    "site_id": site.site_id,
                    "ttr_weeks": float(ttr),
                    "alternate_bringup_weeks": None if alt is None else float(alt),
                }
            )
        self.tables["recovery"] = rows

    def _alternatives(self) -> None:
        rows: list[dict[str, object]] = []
        for item_id, alt_site, receiver, weeks, capacity, premium in self.data["alternatives"]:
            if alt_site not in self.sites or receiver not in self.sites:
                raise DemoDataError(f"alternative for {item_id} names an unknown site")
            need = self.needs.get((receiver, item_id), 0.0)
            rows.append(
                {
                    "item_id": item_id,
                    "alt_supplier_site_id": alt_site,
                    "receiving_site_id": receiver,
                    "qualification_weeks": float(weeks),
                    "capacity_per_week": _round(need * float(capacity)),
                    "cost_premium_pct": float(premium),
                }
            )
        self.tables["alternatives"] = rows

    def _demand(self) -> None:
        self.tables["demand"] = [
            {
                "item_id": item_id,
                "market": market,
                "site_id": site,
                "demand_per_week": float(per_week),
                "unit_price": Decimal(int(price)),
                "unit_margin": Decimal(int(margin)),
                "currency": "JPY",
            }
            for item_id, market, site, per_week, price, margin in self.data["demand"]
        ]

    def build(self) -> Tables:
        self._organisations()
        self._items()
        self._volumes()
        self._production()
        self._supply_links()
        self._inventory()
        self._recovery()
        self._alternatives()
        self._demand()
        self.tables["chokepoints"] = chokepoint_rows()
        return {name: self.tables[name] for name in load_schema().names}


def _split(rng: random.Random, k: int) -> list[float]:
    """``k`` shares adding up to exactly 1, the first the largest, in steps of 0.05."""
    if k == 2:
        first = rng.choice([0.5, 0.6, 0.7, 0.8])
        return [first, round(1.0 - first, 2)]
    first = rng.choice([0.5, 0.6])
    second = round((1.0 - first) * rng.choice([0.5, 0.75]), 2)
    return [first, second, round(1.0 - first - second, 2)]


def _round(value: float) -> float:
    """Round to a readable precision that keeps small per-piece quantities visible."""
    if value >= 100:
        return round(value, 1)
    return float(f"{value:.4g}")


def main(argv: list[str] | None = None) -> int:
    """Write the demo workbook: ``python -m econsec.valuechain.generators.demo OUT.xlsx``."""
    from econsec.valuechain.workbook import write_csv_folder, write_workbook

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m econsec.valuechain.generators.demo OUT.xlsx|OUT_FOLDER")
        return 2
    out = Path(args[0])
    tables = demo_company()
    if out.suffix.lower() == ".xlsx":
        write_workbook(tables, out)
    else:
        write_csv_folder(tables, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
