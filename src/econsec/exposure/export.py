"""Report sections as rows of display values, for tables, CSV and XLSX."""

from __future__ import annotations

from typing import Any

from econsec.exposure.results import ExposureReport
from econsec.i18n import t
from econsec.reference.labels import country_label

SECTIONS = ("products", "losses", "suppliers", "slots", "items", "warnings")


def _pct(x: float) -> str:
    return "" if x != x else f"{100 * x:.0f}%"


def _num(x: float, digits: int = 2) -> str:
    return "" if x != x else f"{x:.{digits}f}"


def _yes(flag: bool, lang: str) -> str:
    return t("exposure.yes" if flag else "exposure.no", lang)


def section_rows(
    report: ExposureReport, section: str, lang: str, *, top: int | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Headings and rows of one section of ``report`` in ``lang``."""

    def h(key: str) -> str:
        return t(f"exposure.col.{key}", lang)

    rows: list[list[Any]] = []
    if section == "products":
        head = [h(k) for k in ("site", "item", "name", "score", "top_countries", "country_hhi",
                               "unknown_origin", "spof", "revenue", "reasons")]  # fmt: skip
        for p in report.products:
            origin = ", ".join(f"{c} {_pct(s)}" for c, s in list(p.country_shares.items())[:3])
            reasons = " / ".join(f"[-{r.points:g}] {r.text(lang)}" for r in p.reasons)
            rows.append([p.site_id, p.item_id, p.item_name, p.score, origin,
                         _num(p.country_hhi), _pct(p.unknown_origin),
                         len(p.single_points_of_failure),
                         round(p.revenue_per_week), reasons])  # fmt: skip
    elif section == "losses":
        head = [h(k) for k in ("kind", "element", "name", "country", "products", "revenue",
                               "margin", "nodes_lost")]  # fmt: skip
        for kind, losses in report.losses.items():
            for e in losses[:top]:
                # A country's "name" is its code; show the country's name instead.
                name = country_label(e.element_id, lang) if kind == "country" else e.name
                rows.append([t(f"exposure.kind.{kind}", lang), e.element_id, name, e.country,
                             len(e.products), round(e.revenue_per_week),
                             round(e.margin_per_week), e.nodes_lost])  # fmt: skip
    elif section == "suppliers":
        head = [h(k) for k in ("org", "name", "country", "slots", "single_slots", "value",
                               "value_share", "products_stopped", "revenue")]  # fmt: skip
        for s in report.suppliers[:top]:
            rows.append([s.org_id, s.name, s.country, s.slots_supplied, s.single_source_slots,
                         round(s.annual_value), _pct(s.value_share), s.products_stopped,
                         round(s.revenue_at_risk_per_week)])  # fmt: skip
    elif section in ("slots", "items"):
        head = [h(k) for k in ("site", "item", "name", "tier", "sources", "qualified",
                               "alternatives", "single", "sole", "supplier_hhi",
                               "country_hhi_vv", "top_country")]  # fmt: skip
        for r in getattr(report, section)[:top]:
            rows.append([r.site_id, r.item_id, r.item_name, r.tier, r.n_sources, r.n_qualified,
                         r.n_alternatives, _yes(r.single_source, lang), _yes(r.sole_source, lang),
                         f"{_num(r.supplier_hhi_volume)} / {_num(r.supplier_hhi_value)}",
                         f"{_num(r.country_hhi_volume)} / {_num(r.country_hhi_value)}",
                         f"{r.top_country} {_pct(r.top_country_share_volume)}"])  # fmt: skip
    elif section == "warnings":
        head = [h("message")]
        rows = [[w.message(lang)] for w in report.warnings]
    else:
        raise ValueError(section)
    return head, rows
