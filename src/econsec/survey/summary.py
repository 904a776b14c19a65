"""Survey lines for ``econsec info`` and ``econsec exposure``: mapped tiers and provenance."""

from __future__ import annotations

from econsec.i18n import t


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def coverage_lines(lang: str) -> list[str]:
    """Per product: share of inputs mapped to tier 1…4+ and of unknown origin."""
    from econsec.survey.coverage import product_coverage
    from econsec.valuechain.store_io import compile_store, current_version

    if not current_version():
        return []
    rows = product_coverage(compile_store())
    if not rows:
        return []
    lines = [
        t("survey.coverage.head", lang, basis=t(f"survey.coverage.by_{rows[0].weighted_by}", lang))
    ]
    for row in rows:
        tiers = " · ".join(
            f"{t('survey.coverage.tier', lang, tier=k if k < 4 else '4+')} {_pct(v)}"
            for k, v in zip((1, 2, 3, 4), row.by_tier, strict=True)
        )
        lines.append(t("survey.coverage.line", lang, item=row.item_id, name=row.name, tiers=tiers,
                       unknown=_pct(row.unknown_origin)))  # fmt: skip
    return lines


def provenance_lines(lang: str, limit: int = 10) -> list[str]:
    """Sites that supplier answers added, each with who said so, in which campaign, when."""
    from econsec.survey.models import Provenance
    from econsec.valuechain.models import Site

    rows = list(Provenance.objects.filter(sheet="sites").order_by("-merged_at", "key")[: limit + 1])
    if not rows:
        return []
    total = Provenance.objects.filter(sheet="sites").values("key").distinct().count()
    tiers = _tiers()
    names = dict(
        Site.objects.filter(site_id__in=[r.key for r in rows]).values_list("site_id", "name")
    )
    lines = [t("survey.info.head", lang, count=total)]
    for row in rows[:limit]:
        if row.key not in names:
            continue
        lines.append(t("survey.info.site", lang, site=row.key, name=names[row.key],
                       country=row.values.get("country", ""), tier=tiers.get(row.key, "-"),
                       org=row.org_id, campaign=row.campaign_id,
                       when=row.stated_at.date().isoformat()))  # fmt: skip
    return lines


def _tiers() -> dict[str, int]:
    from econsec.valuechain.store_io import compile_store

    chain = compile_store()
    return {chain.site_ids[i]: int(tier) for i, tier in enumerate(chain.site_tier.tolist())}


def lines(where: str, lang: str) -> list[str]:
    """The registered hook (registry.register_info_lines)."""
    try:
        if where == "exposure":
            return coverage_lines(lang)
        if where == "info":
            return [*provenance_lines(lang), *coverage_lines(lang)]
    except Exception:  # no store (``exposure --demo``), or not migrated yet: nothing to add
        return []
    return []
