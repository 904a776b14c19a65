"""A short, bilingual summary of the stored value chain (for `econsec info` and the demo)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from econsec.i18n import t
from econsec.reference.countries import country_name
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.schema import load_schema
from econsec.valuechain.store_io import binding, compile_store, current_version


def summarise(lang: str) -> list[str]:
    version = current_version()
    if not version:
        return [t("valuechain.summary.empty", lang)]
    schema = load_schema()
    counts = [
        f"{sheet.title(lang)} {binding(sheet.name).query().count():,}" for sheet in schema.sheets
    ]
    chain = compile_store()
    lines = [
        t("valuechain.summary.version", lang, version=version[:12]),
        " · ".join(counts),
        *describe_chain(chain, lang),
    ]
    return lines


def describe_chain(chain: CompiledChain, lang: str) -> list[str]:
    supplier_sites = np.flatnonzero(chain.site_tier > 0)
    by_country = Counter(chain.countries[chain.site_country[s]] for s in supplier_sites)
    top = ", ".join(f"{country_name(code, lang)} {n}" for code, n in by_country.most_common(8))
    tiers = Counter(int(chain.site_tier[s]) for s in supplier_sites)
    tier_text = ", ".join(f"Tier {k}: {tiers[k]}" for k in sorted(tiers))
    lines = [
        t(
            "valuechain.summary.suppliers",
            lang,
            sites=len(supplier_sites),
            countries=len(by_country),
            top=top,
        ),
        t("valuechain.summary.tiers", lang, tiers=tier_text or "-"),
        t(
            "valuechain.summary.network",
            lang,
            nodes=chain.n_nodes,
            slots=chain.n_slots,
            links=chain.n_links,
            products=len(set(chain.demand_node.tolist())),
        ),
    ]
    for warning in chain.warnings[:10]:
        lines.append(
            t("valuechain.summary.warning", lang, text=t(warning.code, lang, **warning.params))
        )
    if len(chain.warnings) > 10:
        lines.append(t("valuechain.cli.more_issues", lang, count=len(chain.warnings) - 10))
    return lines
