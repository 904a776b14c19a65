"""Save and load exposure reports in the store (the only module here that uses the ORM)."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version

from econsec.exposure.results import RESULT_SCHEMA, ExposureReport

KIND_REPORT = "report"


def econsec_version() -> str:
    """The installed econsec version (results from another version are not reused)."""
    try:
        return version("econsec")
    except PackageNotFoundError:
        return "0"


def options_key(options: dict[str, object] | None) -> str:
    """A stable key for the analysis options a report was computed with."""
    if not options:
        return ""
    text = json.dumps(options, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def save_report(report: ExposureReport, options: dict[str, object] | None = None) -> None:
    """Store ``report`` under its data version (replacing an earlier one for the same key)."""
    from econsec.exposure.models import ExposureResult

    ExposureResult.objects.update_or_create(
        data_version=report.data_version,
        kind=KIND_REPORT,
        econsec_version=econsec_version(),
        options_key=options_key(options),
        defaults={"result": report.to_json()},
    )


def load_report(
    data_version: str, options: dict[str, object] | None = None
) -> ExposureReport | None:
    """The stored report for ``data_version`` computed by this econsec version, if any."""
    from econsec.exposure.models import ExposureResult

    row = ExposureResult.objects.filter(
        data_version=data_version,
        kind=KIND_REPORT,
        econsec_version=econsec_version(),
        options_key=options_key(options),
    ).first()
    if row is None:
        return None
    report = ExposureReport.from_json(row.result)
    # A report stored in an older shape is recomputed rather than shown half-labelled.
    return report if report.schema == RESULT_SCHEMA else None
