"""Given names and their nicknames (Ted ↔ Theodore, Ben ↔ Benjamin).

The pairs come from a public, licensed data file (see data/nicknames.csv for provenance). Only a
name and its own nickname are related: two nicknames of the same name are not ("Ben" and
"Jamie" are both Benjamin's, but a Ben is not a Jamie).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


@cache
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """Both orders of every (name, nickname) pair, lower case."""
    lines = (_DATA / "nicknames.csv").read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if line.strip() and not line.startswith("#"))
    pairs: set[tuple[str, str]] = set()
    for row in rows:
        name, nick = row["name1"].strip().lower(), row["name2"].strip().lower()
        if name and nick and name != nick:
            pairs.add((name, nick))
            pairs.add((nick, name))
    return frozenset(pairs)


@cache
def nickname_map() -> dict[str, frozenset[str]]:
    """Each name or nickname → the names it is directly related to (for the matcher's loop)."""
    related: dict[str, set[str]] = {}
    for a, b in nickname_pairs():
        related.setdefault(a, set()).add(b)
    return {name: frozenset(others) for name, others in related.items()}


def is_nickname(a: str, b: str) -> bool:
    """Whether one of two folded given-name tokens is a nickname of the other."""
    return (a, b) in nickname_pairs()
