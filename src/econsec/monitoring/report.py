"""The board report's section on external events: what is open, how bad, and why."""

from __future__ import annotations

from typing import Any

from econsec.reports.model import BI, MONEY, NUM, Column, Section, Table
from econsec.reports.text import Money, both, same

OPEN = ("potential", "confirmed")
_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}


def _title(event: Any) -> dict[str, str]:
    return {"ja": event.title_ja or event.title_en, "en": event.title_en or event.title_ja}


def section(data_version: str) -> Section | None:
    """Open alerts by severity, with stopped products and revenue at risk (None: no events)."""
    from econsec.monitoring.models import Alert

    # An alert that touches nothing of ours (a list version without a match, a news item the
    # chain does not meet) stays in the inbox but is not board material.
    alerts = list(
        Alert.objects.select_related("event").filter(status__in=OPEN).exclude(severity="none")
    )
    if not alerts:
        return None
    alerts.sort(
        key=lambda a: (_ORDER.get(a.severity, 9), -float(a.impact.get("revenue_stopped", 0)))
    )
    from econsec.valuechain.models import Item

    codes = {p["item"] for a in alerts for p in a.impact.get("products", []) if p["stopped"]}
    names = {i.item_id: (i.name, i.name_en or i.name)
             for i in Item.objects.filter(item_id__in=codes)}  # fmt: skip

    def named(items: list[str]) -> dict[str, str]:
        if not items:
            return same("-")
        ja = ", ".join(f"{names[c][0]} ({c})" if c in names else c for c in items)
        en = ", ".join(f"{names[c][1]} ({c})" if c in names else c for c in items)
        return {"ja": ja, "en": en}

    rows = []
    for a in alerts:
        products = a.impact.get("products", [])
        stopped = sorted({p["item"] for p in products if p["stopped"]})
        touched = sorted({p["item"] for p in products})
        reasons = a.impact.get("severity_reasons", [])
        why = both(reasons[0][0], **reasons[0][1]) if reasons else same("")
        rows.append(
            [
                _title(a.event),
                both(f"monitoring.kind.{a.event.kind}"),
                both(f"monitoring.severity.{a.severity}"),
                both(f"monitoring.status.{a.status}"),
                len(touched),
                named(stopped),
                float(a.impact.get("revenue_stopped", 0.0)),
                why,
            ]
        )
    currency = str(alerts[0].impact.get("currency", "JPY"))
    high = sum(1 for a in alerts if a.severity == "high")
    at_risk = sum(float(a.impact.get("revenue_stopped", 0.0)) for a in alerts)
    return Section(
        id="monitoring",
        title=both("monitoring.report.title"),
        paragraphs=[
            both(
                "monitoring.report.summary",
                open=len(alerts),
                high=high,
                revenue=Money(at_risk, currency),
            )
        ],
        tables=[
            Table(
                id="monitoring_alerts",
                title=both("monitoring.report.table"),
                columns=[
                    Column(both("monitoring.report.col.event"), BI),
                    Column(both("monitoring.cli.col.kind"), BI),
                    Column(both("monitoring.cli.col.severity"), BI),
                    Column(both("monitoring.cli.col.status"), BI),
                    Column(both("monitoring.cli.col.touched"), NUM),
                    Column(both("monitoring.report.col.stopped"), BI),
                    Column(both("monitoring.cli.col.revenue"), MONEY),
                    Column(both("monitoring.report.col.why"), BI),
                ],
                rows=rows,
                note=both("monitoring.report.note", version=data_version[:12]),
            )
        ],
    )
