"""The board report's section: counts only. No technology name or id reaches the report (it is
read by people without need-to-know)."""

from __future__ import annotations

from typing import Any


def build(data_version: str) -> Any:
    from econsec.reports.model import BI, NUM, Column, Section, Table
    from econsec.reports.text import both
    from econsec.technology.exposure import LEVELS
    from econsec.technology.models import Incident, Technology
    from econsec.technology.routes import FAMILIES, load_routes
    from econsec.technology.service import compute, rate

    techs = list(Technology.objects.all())
    if not techs:
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
            )
        ],
    )
