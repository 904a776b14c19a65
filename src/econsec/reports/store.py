"""Keep each board report and find the last one (the ORM side of "changes since the last
report"), for the web job and ``econsec report`` alike."""

from __future__ import annotations

from typing import Any

from econsec.reports.model import BoardReport


def previous_report() -> dict[str, Any] | None:
    """The last stored report's JSON, or None when none is stored."""
    from econsec.reports.models import StoredReport

    last = StoredReport.objects.order_by("-created_at", "-id").first()
    return dict(last.report) if last is not None else None


def keep(report: BoardReport, source: str) -> int:
    """Store ``report`` (``source``: "web" or "cli"); returns its id."""
    from econsec.reports.models import StoredReport

    row = StoredReport.objects.create(
        data_version=report.data_version, source=source, schema=report.schema,
        report=report.to_json(),
    )  # fmt: skip
    return int(row.pk)
