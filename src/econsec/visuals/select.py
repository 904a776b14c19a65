"""The pictures' data narrowed by the filters of a request (econsec.visuals.filters).

Unfiltered data comes from the per-version cache (``gather``); a filtered view is computed
from it on each request, for the page and its endpoint alike, so both show the same selection.
"""

from __future__ import annotations

from collections.abc import Iterable

from econsec.exposure.results import ExposureReport, ProductResult
from econsec.valuechain.compiled import BoolArray, CompiledChain
from econsec.visuals import gather
from econsec.visuals.filters import Filters, flow_links, site_keep
from econsec.visuals.flows import FlowData, tier_flows
from econsec.visuals.network import NetworkData, product_network, product_node, upstream_links
from econsec.visuals.sitemap import SiteMapData, narrowed


def products(report: ExposureReport) -> Iterable[tuple[str, str]]:
    return ((p.site_id, p.item_id) for p in report.products)


def find_product(report: ExposureReport, site_id: str, item_id: str) -> ProductResult | None:
    return next((p for p in report.products if (p.site_id, p.item_id) == (site_id, item_id)), None)


def site_classes() -> dict[str, str]:
    """Site id → the map's exposure class, once per data version."""
    data = gather.map_data()
    if data is None:
        return {}
    found = gather.memo("classes", lambda: {s.site_id: s.exposure for s in data.sites})
    return found or {}


def product_links(chain: CompiledChain, product: tuple[str, str]) -> BoolArray | None:
    def build() -> BoolArray | None:
        node = product_node(chain, *product)
        return None if node is None else upstream_links(chain, node) & ~chain.link_internal

    return gather.memo(f"links-{product[0]}/{product[1]}", build)  # type: ignore[no-any-return]


def site_map(f: Filters) -> SiteMapData | None:
    data = gather.map_data()
    found = gather.inputs()
    if data is None or found is None or f.empty:
        return data
    chain, report = found
    links = product_links(chain, f.product) if f.product else None
    keep = site_keep(chain, f, site_classes(), links)
    ids = {chain.site_ids[i] for i in keep.nonzero()[0]}
    product = find_product(report, *f.product) if f.product else None
    return narrowed(data, ids, product.country_shares if product else None, f.countries)


def flows(f: Filters) -> FlowData | None:
    found = gather.inputs()
    if found is None or f.empty:
        return gather.flow_data()
    chain, _ = found
    links = product_links(chain, f.product) if f.product else None
    return tier_flows(chain, flow_links(chain, f, site_classes(), links))


def network(chain: CompiledChain, product: ProductResult, f: Filters) -> NetworkData | None:
    if not (f.tiers or f.countries or f.classes):  # the page names the product itself
        return gather.network_data(chain, product)
    suppliers = site_keep(chain, f, site_classes(), None)
    sweep_id = gather.latest_sweep_id(chain.version)
    return product_network(chain, product, cover=gather.site_cover(sweep_id), suppliers=suppliers)
