"""The supplier questionnaire's sheets and columns (shared by the writer and the reader).

Every answer sheet has the column keys in row 1 (what the reader matches, never translated), the
labels in the supplier's language in row 2, and data from row 3. Sheet names are stable keys
too: the instructions sheet explains them in the supplier's language.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_DATA_ROW = 3
INPUT_ROWS = 500  # rows that carry data validation below the prefilled ones


@dataclass(frozen=True)
class Col:
    key: str
    kind: str = "text"  # text | country | share | number | choice | item | site | email
    width: int = 16
    given: bool = False  # prefilled by us, read back as the row's identity
    choices: tuple[str, ...] = ()


ABOUT = "about"
SUPPLIED = "supplied"
SOURCES = "sources"
CONTINUITY = "continuity"
CONTACTS = "contacts"
LISTS = "lists"
INSTRUCTIONS = "instructions"

SOURCING = ("single", "multi")
YES_NO = ("yes", "no")

COLUMNS: dict[str, tuple[Col, ...]] = {
    SUPPLIED: (
        Col("item_id", width=16, given=True),
        Col("item_name", width=30, given=True),
        Col("your_site_id", width=16, given=True),
        Col("your_site_name", width=28, given=True),
        Col("your_site_country", width=10, given=True),
        Col("our_site_id", width=16, given=True),
    ),
    SOURCES: (
        Col("item_id", "item", 16, given=True),
        Col("your_site_id", "site", 16, given=True),
        Col("input_item_id", "text", 16, given=True),
        Col("input_name", "text", 28),
        Col("quantity_per_unit", "number", 12),
        Col("source_company", "text", 30),
        Col("source_company_country", "country", 10),
        Col("source_site", "text", 26),
        Col("source_site_country", "country", 10),
        Col("source_region", "text", 16),
        Col("share", "share", 10),
        Col("sourcing", "choice", 10, choices=SOURCING),
        Col("lead_time_days", "number", 10),
    ),
    CONTINUITY: (
        Col("site_id", "site", 16, given=True),
        Col("inventory_cover_weeks", "number", 14),
        Col("recovery_weeks", "number", 14),
        Col("alternate_bringup_weeks", "number", 14),
        Col("bcp_in_place", "choice", 10, choices=YES_NO),
    ),
    CONTACTS: (
        Col("name", "text", 24),
        Col("role", "text", 24),
        Col("email", "email", 30),
        Col("phone", "text", 18),
    ),
}
ANSWER_SHEETS = (SOURCES, CONTINUITY, CONTACTS)
ABOUT_KEYS = ("campaign_id", "supplier_id", "supplier_name", "language", "due")


def keys(sheet: str) -> list[str]:
    return [c.key for c in COLUMNS[sheet]]


def letter(sheet: str, key: str) -> str:
    """The column letter of ``key`` on ``sheet`` (fewer than 26 columns everywhere)."""
    return chr(ord("A") + keys(sheet).index(key))
