"""The board report's section: counts only. No technology name or id, item id or customer
reaches the report (it is read by people without need-to-know): the exposure by route family,
and how indispensable the items we sell are — counts per level and how many are eroding."""

from __future__ import annotations

from typing import Any


def build(data_version: str) -> Any:
    from econsec.reports.model import BI, NUM, Column, Section, Table
    from econsec.reports.text import both
    from econsec.technology.exposure import LEVELS
    from econsec.technology.indispensable import scores
    from econsec.technology.models import Incident, Technology
    from econsec.technology.routes import FAMILIES, load_routes
    from econsec.technology.service import compute, rate

    techs = list(Technology.objects.all())
    sold = scores()
    if not techs and not sold:
        return None
    matrix = compute()
    res = matrix.result
    counts = matrix.counts()
    open_incidents = Incident.objects.exclude(status="remediated").count()
    family_of = [r.family for r in load_routes()]
    rows = []
    for family in FAMILIES:
        cols = [j for j, f in enumerate(family_of) if f == family]
        rows.append([both(f"technology.report.family.{family}"),
                     int((res.level[:, cols] == LEVELS.index("high")).sum()),
                     int((res.level[:, cols] == LEVELS.index("medium")).sum())])  # fmt: skip
    return Section(
        id="technology",
        title=both("technology.report.title"),
        paragraphs=[
            both(
                "technology.report.counts",
                technologies=len(techs),
                tier1=sum(rate(x).tier == 1 for x in techs),
                cells=res.level.size,
                high=counts["high"],
                medium=counts["medium"],
                gaps=len(res.gaps()),
                incidents=open_incidents,
            ),
            *_indispensability_paragraphs(sold),
            both("technology.report.note"),
        ],
        tables=[
            Table(
                "technology-families",
                both("technology.report.title"),
                [
                    Column(both("technology.report.col.family"), BI),
                    Column(both("technology.report.col.high"), NUM),
                    Column(both("technology.report.col.medium"), NUM),
                ],
                rows,
            ),
            *_indispensability_tables(sold),
        ],
    )


def _indispensability_counts(sold: list[Any]) -> dict[str, Any]:
    from econsec.technology.importance import INDISPENSABILITY_LEVELS, indispensability_level

    levels = [indispensability_level(r.score) for _item, r in sold]
    falling = sum(any(x.key == "technology.why.share_falling" for x in r.reasons) for _i, r in sold)
    second = sum(any(x.key == "technology.why.second_source" for x in r.reasons) for _i, r in sold)
    return {
        "items": len(sold), "eroding": sum(r.eroding for _i, r in sold), "falling": falling,
        "second": second, **{lvl: levels.count(lvl) for lvl in INDISPENSABILITY_LEVELS},
        "eroding_by_level": {lvl: sum(r.eroding for (_i, r), x in zip(sold, levels, strict=True)
                                      if x == lvl) for lvl in INDISPENSABILITY_LEVELS},
    }  # fmt: skip


def _indispensability_paragraphs(sold: list[Any]) -> list[Any]:
    from econsec.reports.text import both

    if not sold:
        return [both("technology.report.indispensability_none")]
    c = _indispensability_counts(sold)
    return [both("technology.report.indispensability", items=c["items"], high=c["high"],
                 medium=c["medium"], low=c["low"], eroding=c["eroding"], falling=c["falling"],
                 second=c["second"])]  # fmt: skip


def _indispensability_tables(sold: list[Any]) -> list[Any]:
    from econsec.reports.model import BI, NUM, Column, Table
    from econsec.reports.text import both
    from econsec.technology.importance import INDISPENSABILITY_LEVELS

    if not sold:
        return []
    c = _indispensability_counts(sold)
    rows = [[both(f"technology.report.indispensability_level.{lvl}"), c[lvl],
             c["eroding_by_level"][lvl]] for lvl in reversed(INDISPENSABILITY_LEVELS)]  # fmt: skip
    return [
        Table(
            "technology-indispensability",
            both("technology.report.indispensability_title"),
            [
                Column(both("technology.report.col.level"), BI),
                Column(both("technology.report.col.items"), NUM),
                Column(both("technology.report.col.eroding"), NUM),
            ],
            rows,
        )
    ]
