"""The board report as plain data: figures with reasons, tables, scenarios, actions.

Everything a reader sees is stored already rendered in both languages (see ``text.py``), so one
assembled report serves the HTML page, the PDF and the xlsx export in either language, and a
stored report never changes meaning when the code does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from econsec.reports.text import Bilingual

# 2: findings, decisions, changes since the last report, charts, labelled appendix, actions
# ranked by time-based risk and keyed for comparison.
REPORT_SCHEMA = 2

# Column kinds: how a cell is formatted (the value itself stays raw for the xlsx export).
TEXT, CODE, NUM, MONEY, PCT, SCORE, BI = "text", "code", "num", "money", "pct", "score", "bi"


@dataclass(frozen=True)
class Figure:
    """A headline figure: its value, how it reads, why, and the section that details it."""

    id: str
    label: Bilingual
    value: float | None
    display: Bilingual
    reasons: list[Bilingual]
    section: str


@dataclass(frozen=True)
class Column:
    label: Bilingual
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """One table of the report. Cells are raw values, or ``{"ja","en"}`` dicts for ``bi``."""

    id: str
    title: Bilingual
    columns: list[Column]
    rows: list[list[Any]]
    note: Bilingual | None = None


@dataclass(frozen=True)
class Action:
    """A recommended action, the risk that motivates it and its basis.

    ``figure`` is the time-based risk: the margin lost before recovery (value at risk) when a
    stress result gives the time, otherwise the margin per week at stake (``timed`` False), so
    timed actions rank first. ``key`` identifies the action across reports ("site:ID").
    """

    text: Bilingual
    figure: float
    basis: Bilingual
    key: str = ""
    timed: bool = False
    # From the governance register when an action there is linked to the same risk.
    owner: str = ""
    due: str = ""
    status: str = ""


@dataclass(frozen=True)
class ActionOwner:
    """A register action covering a recommended one: who, by when, how far (``status`` as the
    register has it: open, in_progress, done)."""

    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class Finding:
    """One of the first page's findings: a sentence with one number, and what it means."""

    rule: str
    text: Bilingual
    meaning: Bilingual
    value: float
    section: str


@dataclass(frozen=True)
class Decision:
    """A decision requested of the board (``kind``: budget, acceptance, policy)."""

    kind: str
    text: Bilingual
    basis: Bilingual


@dataclass(frozen=True)
class Change:
    """What changed since the previous stored report (``kind`` names the comparison)."""

    kind: str
    text: Bilingual


@dataclass(frozen=True)
class ScenarioLine:
    name: Bilingual
    ttr_weeks: float | None
    tts_weeks: float | None  # None: survives indefinitely
    material: bool
    lost_revenue: float
    lost_margin: float
    explanations: list[Bilingual]
    data_version: str


@dataclass(frozen=True)
class Chart:
    """A chart as data; the report renders it (HTML, PDF and xlsx alike).

    ``kind`` and what ``data`` holds:

    - ``"bar"``: ``{"labels": [Bilingual…], "values": [float…], "unit": Bilingual}``;
    - ``"line"``: ``{"series": [{"name": Bilingual, "x": [..], "y": [..]}], "x_label":
      Bilingual, "y_label": Bilingual}`` (trends, loss-exceedance curves, frontiers);
    - ``"heatmap"``: ``{"rows": [Bilingual…], "cols": [Bilingual…], "values": [[float…]…]}``;
    - ``"tts_ttr"``: ``{"labels": [Bilingual…], "tts": [float|None…], "ttr": [float…]}``;
    - ``"svg"``: ``{"svg": str}``, a drawing made elsewhere (a map, a Sankey).

    ``alt`` is the text alternative every chart carries.
    """

    id: str
    kind: str
    title: Bilingual
    data: dict[str, Any]
    alt: Bilingual


@dataclass(frozen=True)
class Section:
    """A section contributed by a capability (``econsec.registry.ReportSection``)."""

    id: str
    title: Bilingual
    paragraphs: list[Bilingual] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    appendix: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        return cls(
            id=data["id"],
            title=data["title"],
            paragraphs=list(data.get("paragraphs", [])),
            tables=[
                Table(**{**t, "columns": [Column(**c) for c in t["columns"]]})
                for t in data.get("tables", [])
            ],
            charts=[Chart(**c) for c in data.get("charts", [])],
            appendix=bool(data.get("appendix", False)),
        )


@dataclass
class BoardReport:
    data_version: str
    currency: str
    created_at: str
    summary: list[Figure]
    tables: list[Table]
    scenarios: list[ScenarioLine]
    scenarios_missing: Bilingual | None
    actions: list[Action]
    notes: list[Bilingual] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # Stable keys for the comparison with the next report: "spof" site id → name, "actions"
    # action key → text, "figures" figure id → value.
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    schema: int = REPORT_SCHEMA

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BoardReport:
        return cls(
            data_version=data["data_version"],
            currency=data["currency"],
            created_at=data["created_at"],
            summary=[Figure(**f) for f in data["summary"]],
            tables=[
                Table(**{**t, "columns": [Column(**c) for c in t["columns"]]})
                for t in data["tables"]
            ],
            scenarios=[ScenarioLine(**s) for s in data["scenarios"]],
            scenarios_missing=data.get("scenarios_missing"),
            actions=[Action(**a) for a in data["actions"]],
            notes=list(data.get("notes", [])),
            sections=[Section.from_json(x) for x in data.get("sections", [])],
            findings=[Finding(**x) for x in data.get("findings", [])],
            decisions=[Decision(**x) for x in data.get("decisions", [])],
            changes=[Change(**x) for x in data.get("changes", [])],
            charts=[Chart(**x) for x in data.get("charts", [])],
            index={k: dict(v) for k, v in (data.get("index") or {}).items()},
            schema=int(data.get("schema", REPORT_SCHEMA)),
        )
