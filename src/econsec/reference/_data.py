"""Access to the package's data files (``econsec/reference/data``)."""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    """The text of ``data/<name>`` shipped with the package."""
    return (resources.files("econsec.reference") / "data" / name).read_text(encoding="utf-8")


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of the CSV file ``data/<name>`` (comment lines starting with ``#`` are skipped)."""
    lines = [line for line in data_text(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def read_yaml(name: str) -> Any:
    """The parsed YAML file ``data/<name>``."""
    return yaml.safe_load(data_text(name))
