"""The board report's supplier-mapping section: mapped tiers per product, campaign responses."""

from __future__ import annotations

from typing import Any

from econsec.i18n import LANGUAGES, t


def _bi(key: str, **params: Any) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def section(data_version: str) -> Any:
    """``None`` before there is a value chain; else the coverage table and campaign progress."""
    from econsec.reports.model import PCT, TEXT, Column, Section, Table
    from econsec.survey.coverage import product_coverage
    from econsec.survey.models import Campaign
    from econsec.survey.progress import progress
    from econsec.valuechain.store_io import compile_store, current_version

    if not current_version():
        return None
    rows = product_coverage(compile_store())
    columns = [Column(_bi("survey.report.col.product")),
               *(Column({lang: t("survey.coverage.tier", lang, tier=k if k < 4 else "4+")
                         for lang in LANGUAGES}, PCT) for k in (1, 2, 3, 4)),
               Column(_bi("survey.web.unknown"), PCT)]  # fmt: skip
    coverage = Table(
        "survey_coverage", _bi("survey.web.coverage"), columns,
        [[f"{r.item_id} {r.name}", *r.by_tier, r.unknown_origin] for r in rows],
        _bi("survey.report.note", basis=rows[0].weighted_by if rows else "count"),
    )  # fmt: skip
    tables = [coverage]
    campaigns = list(Campaign.objects.all()[:5])
    if campaigns:
        tables.append(Table(
            "survey_campaigns", _bi("survey.web.title"),
            [Column(_bi("survey.col.name")), Column(_bi("survey.col.suppliers"), TEXT),
             Column(_bi("survey.col.response_rate"), PCT)],
            [[c.name, str(progress(c).total), progress(c).response_rate()] for c in campaigns],
        ))  # fmt: skip
    return Section("survey", _bi("survey.web.title"), [_bi("survey.report.lead")], tables)
