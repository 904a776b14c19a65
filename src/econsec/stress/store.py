"""Save scenarios and results through the Django ORM (kept apart from the engines)."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from econsec.stress import models
from econsec.stress.scenario import Scenario


def _json_safe(payload: dict[str, Any]) -> dict[str, Any]:
    """NaN/inf are not JSON: store them as null (the engines never emit them for valid runs)."""

    def fix(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    result: dict[str, Any] = json.loads(json.dumps(fix(payload), default=str))
    return result


def save_scenario(scenario: Scenario) -> models.Scenario:
    """Store a scenario once per content hash (re-saving the same content is a no-op)."""
    record, _ = models.Scenario.objects.get_or_create(
        content_hash=scenario.hash,
        defaults={"name": scenario.name("en")[:300], "yaml": scenario.to_yaml()},
    )
    return record


def save_result(payload: dict[str, Any], scenario: Scenario | None = None) -> models.Result:
    """Store a scenario or sweep payload with its provenance."""
    record = save_scenario(scenario) if scenario is not None else None
    return models.Result.objects.create(
        kind="sweep" if "rows" in payload else "scenario",
        scenario=record,
        scenario_hash=payload.get("scenario_hash", ""),
        sweep_by=payload.get("by", ""),
        data_version=payload["data_version"],
        solver_version=payload["solver_version"],
        econsec_version=payload["econsec_version"],
        created_at=datetime.fromisoformat(payload["created_at"]),
        payload=_json_safe(payload),
    )
