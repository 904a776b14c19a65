"""Characters no text typed into econsec needs, and which make text lie about itself.

Control characters (NUL and the like) cannot be written back to a workbook and are never meant
in a name. Bidirectional overrides, embeddings and isolates make text display in another order
than it is stored (``invoice\u202efdp.exe`` shows as ``invoiceexe.pdf``). Zero-width and other
invisible characters make two names that look the same compare different — a supplier or a
sanctioned party would slip past de-duplication and screening unnoticed. Every text input
(workbook and CSV cells, lists, questionnaires, checklists, YAML, evidence names) refuses them
with a message naming the character and where it is, instead of storing them.

Joiners (U+200C, U+200D) are allowed in free text, where some scripts and emoji need them,
but not in identifiers.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the Arabic
# letter mark, left-to-right and right-to-left marks, the bidi embeddings, overrides and
# isolates; zero-width space, word joiner, invisible operators, interlinear annotation
# marks, a byte-order mark inside text; noncharacters and lone surrogates.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
# In identifiers, also the joiners and anything else Unicode calls a format character.
_UNWANTED_IN_ID = re.compile(_UNWANTED.pattern[:-1] + "\u200c\u200d\u00ad\u180e]")


def unwanted(text: str, *, identifier: bool = False) -> tuple[int, str] | None:
    """The first unwanted character in ``text`` as (1-based position, ``U+202E NAME``)."""
    found = (_UNWANTED_IN_ID if identifier else _UNWANTED).search(text)
    if found is not None:
        return found.start() + 1, describe(found.group())
    if identifier and not text.isascii():
        # Any other format (Cf) character: tag characters, invisible separators, …
        for position, char in enumerate(text, start=1):
            if unicodedata.category(char) == "Cf":
                return position, describe(char)
    return None


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name}" if name else code
