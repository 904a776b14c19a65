"""Helpers the loaders share: strict CSV reading with line numbers, value splitting."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from econsec.screening.entity import ListLoadError


def read_text(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Older OFAC files are Latin-1; fall back rather than fail on a legitimate list.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ListLoadError(
                "screening.load.encoding", source=source, line=None, detail=str(exc)
            ) from exc
    return text.rstrip("\x1a\r\n ")  # OFAC files may end with Ctrl-Z


def csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each record; an unterminated quote is a located error."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ListLoadError(
                "screening.load.bad_csv", source=source, line=line, detail=str(exc)
            ) from exc
        if row and any(cell.strip() for cell in row):
            yield line, row


def null(value: str) -> str:
    """OFAC's ``-0-`` null marker and blanks become ''."""
    value = value.strip()
    return "" if value == "-0-" else value


def split_multi(value: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(sep) if part.strip())


def parse_date(value: str) -> str:
    """An ISO date string (YYYY-MM-DD) when ``value`` starts with one, else ''."""
    value = value.strip()[:10]
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""
