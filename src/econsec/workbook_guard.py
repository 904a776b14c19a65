"""Check an xlsx package before any reader allocates anything for it.

Readers size their work by what a sheet claims, not by what it holds: calamine allocates the
rectangle from A1 to the farthest cell (one value in XFD1048576 asks for 512 GiB and aborts
the process), and openpyxl's read-only mode pads every row to the ``<dimension>`` a sheet
declares. So every xlsx input goes through :func:`inspect` first, which streams the package
once, in constant memory, and refuses it — naming the sheet and the cell — when

* the file is too large, is not a zip package, or is a zip bomb (a part that inflates by a
  factor in the hundreds, or a total beyond the reader's limit);
* any XML part declares a DOCTYPE or entities (billion laughs), or is not UTF-8;
* a sheet's real extent — the highest row and column actually present in its XML, not the
  ``<dimension>`` it declares — passes the reader's limits, or is mostly empty space (a lone
  cell far from the data);
* a cell reference cannot be read (a reader would guess where the cell belongs).

It also finds formula cells (the first :data:`MAX_FORMULAS`, located), which readers refuse:
a formula's cached result may be stale or missing.

The scan reads each sheet's cell references with a regular expression over the raw bytes.
That is sound because DOCTYPEs are refused (no entity can expand into markup), and anything
unusual — namespace prefixes, attributes in another order, cells without a reference — sends
the sheet through a slower, exact tag-by-tag scan instead. See decision 0093.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import unescape

from econsec.characters import describe
from econsec.i18n import t

MAX_FORMULAS = 20
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_CHUNK = 1 << 22
# No cell holds more than 32,767 characters: a longer run without markup is not a sheet.
_MAX_TEXT_RUN = 16 * 1024 * 1024
_MAX_META_PART = 8 * 1024 * 1024  # workbook.xml and its relationships are a few KB

# The canonical form every common writer (Excel, LibreOffice, openpyxl, calamine's tests) uses.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
# The same, one group each: findall then makes no tuples (the scan's main cost).
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_FORMULA = re.compile(rb"<f[\s>/]")
# Forms the fast scan does not count: other whitespace, no attributes, a namespace prefix (the
# last found by its ":c " tail, which may also match text: that only costs the exact scan).
_UNUSUAL = re.compile(rb"<(?:c|row)[>/\t\n\r]")
_PREFIXED = re.compile(rb":(?:c|row|f)[\s>/]")
# The exact scan: every row, cell and formula start tag, whatever its form.
_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?(row|c|f)(?=[\s>/])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_REF_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref\s*=\s*["\']([^"\']*)["\']')
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Characters XML 1.0 does not allow, raw or as references: some readers pass them on (a NUL in
# a name), others stop with an error that names no cell.
_CONTROL_BYTES = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))
_ILLEGAL = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)


@dataclass(frozen=True)
class Limits:
    """What one kind of input accepts; ``max_cells`` bounds the sum of the sheets' areas."""

    max_bytes: int
    max_uncompressed: int
    max_rows: int
    max_columns: int
    max_cells: int
    # A sheet whose area passes ``sparse_floor`` cells must hold at least 1/``sparse_ratio`` of
    # it: a lone value far from the data would otherwise cost as much as a full sheet.
    sparse_floor: int = 250_000
    sparse_ratio: int = 20
    # A part inflating by more than this (and to more than 1 MiB) is a zip bomb; spreadsheet
    # XML compresses by about 10.
    max_ratio: int = 200


@dataclass(frozen=True)
class Formula:
    cell: str
    text: str


@dataclass
class SheetExtent:
    """A sheet's real extent: the highest row and column holding a cell (1-based; 0 = empty)."""

    name: str
    part: str
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    # A cell in the highest row and one in the highest column: where a refusal points.
    far_row_cell: str = ""
    far_column_cell: str = ""
    declared: str = ""
    formulas: list[Formula] = field(default_factory=list)
    formula_count: int = 0

    @property
    def area(self) -> int:
        return self.max_row * self.max_column

    @property
    def corner(self) -> str:
        return cell_ref(max(self.max_row, 1), max(self.max_column, 1))

    @property
    def far_cell(self) -> str:
        """The cell that stretches the sheet most (for a sheet that is mostly empty space)."""
        if self.max_column > self.max_row:
            return self.far_column_cell or self.corner
        return self.far_row_cell or self.corner

    def reached(self, row: int, column: int) -> None:
        """Note a cell at (``row``, ``column``) or, with ``column`` 0, a row element."""
        if row > self.max_row:
            self.max_row = row
            self.far_row_cell = cell_ref(row, max(column, 1))
        if column > self.max_column:
            self.max_column = column
            self.far_column_cell = cell_ref(max(row, 1), column)


@dataclass(frozen=True)
class Package:
    """What :func:`inspect` learnt: the sheets in workbook order."""

    sheets: tuple[SheetExtent, ...]

    @property
    def formulas(self) -> list[tuple[str, Formula]]:
        return [(s.name, f) for s in self.sheets for f in s.formulas]

    @property
    def formula_count(self) -> int:
        return sum(s.formula_count for s in self.sheets)


class WorkbookRefused(ValueError):
    """The file was refused before reading. ``key`` is a message id; ``sheet`` and ``cell``
    locate the problem when it has a place."""

    def __init__(
        self,
        key: str,
        *,
        file: str,
        sheet: str | None = None,
        cell: str | None = None,
        **params: Any,
    ) -> None:
        self.key = key
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self) -> tuple[Any, ...]:  # keyword-only arguments: pickle needs help
        return (_refused, (self.key, self.file, self.sheet, self.cell, self.params))

    @property
    def row(self) -> int | None:
        match = self.cell and _REF.fullmatch(self.cell.encode())
        return int(match.group(2)) if match else None

    @property
    def column(self) -> str | None:
        match = self.cell and _REF.fullmatch(self.cell.encode())
        return match.group(1).decode() if match else None

    def fields(self) -> dict[str, Any]:
        """Everything the message needs: to rebuild it in another error type."""
        return {
            **self.params,
            "file": self.file,
            "sheet": self.sheet or "",
            "cell": self.cell or "",
        }

    def message(self, lang: str | None = None) -> str:
        """The problem in ``lang``, naming the file, sheet and cell it concerns."""
        return t(self.key, lang, **self.fields())


def _refused(
    key: str, file: str, sheet: str | None, cell: str | None, params: dict[str, Any]
) -> WorkbookRefused:
    return WorkbookRefused(key, file=file, sheet=sheet, cell=cell, **params)


def cell_ref(row: int, column: int) -> str:
    """(1, 1) → ``A1``."""
    return f"{column_letters(column)}{row}"


def column_letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def inspect(path: Path, limits: Limits, *, name: str | None = None) -> Package:
    """Check the package at ``path`` against ``limits``; raise :class:`WorkbookRefused`."""
    file = name or path.name
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        raise WorkbookRefused("workbook.empty", file=file)
    if size > limits.max_bytes:
        raise WorkbookRefused("workbook.too_large", file=file, size=size, limit=limits.max_bytes)
    if not zipfile.is_zipfile(path):
        raise WorkbookRefused("workbook.not_xlsx", file=file)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, file, limits)
            sheets = _sheet_parts(archive, file)
            for part in archive.namelist():
                if part.endswith((".xml", ".rels", ".vml")) and part not in {
                    s.part for s in sheets
                }:
                    _check_xml_part(archive, part, file)
            for sheet in sheets:
                _scan_sheet(archive, sheet, file, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        raise WorkbookRefused("workbook.damaged", file=file, reason=str(exc)) from exc
    package = Package(tuple(sheets))
    _check_extents(package, file, limits)
    return package


def check_package(path: Path, limits: Limits, *, name: str | None = None) -> None:
    """The checks that hold for any Office Open XML file (docx, pptx, xlsx) that is only
    stored, not read: a zip bomb, duplicate parts, XML entity declarations."""
    file = name or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, file, limits, workbook=False)
            for part in archive.namelist():
                if part.endswith((".xml", ".rels", ".vml")):
                    _check_xml_part(archive, part, file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        raise WorkbookRefused("workbook.damaged", file=file, reason=str(exc)) from exc


def _check_archive(
    archive: zipfile.ZipFile, file: str, limits: Limits, *, workbook: bool = True
) -> None:
    total = 0
    seen: set[str] = set()
    for info in archive.infolist():
        if info.filename in seen:  # two parts of one name: readers disagree on which counts
            raise WorkbookRefused("workbook.damaged", file=file, reason=f"{info.filename} twice")
        seen.add(info.filename)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio and info.file_size > 1024 * 1024:
            raise WorkbookRefused(
                "workbook.zip_bomb", file=file, member=info.filename, ratio=int(ratio)
            )
    if total > limits.max_uncompressed:
        raise WorkbookRefused(
            "workbook.too_large_unpacked", file=file, size=total, limit=limits.max_uncompressed
        )
    if workbook and "xl/workbook.xml" not in seen:
        raise WorkbookRefused("workbook.not_xlsx", file=file)


def _read_meta(archive: zipfile.ZipFile, part: str, file: str) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if archive.getinfo(part).file_size > _MAX_META_PART:
        raise WorkbookRefused("workbook.damaged", file=file, reason=f"{part} is too large")
    data = archive.read(part)
    _check_head(data[:512], part, file)
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise WorkbookRefused("workbook.xml_entities", file=file, part=part) from exc
    except Exception as exc:  # expat's ParseError and friends: a damaged part
        raise WorkbookRefused("workbook.damaged", file=file, reason=f"{part}: {exc}") from exc


def _sheet_parts(archive: zipfile.ZipFile, file: str) -> list[SheetExtent]:
    """Sheet names and their parts, from workbook.xml and its relationships."""
    names = set(archive.namelist())
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _read_meta(archive, "xl/_rels/workbook.xml.rels", file):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = posixpath.normpath(part)
    sheets = []
    for element in _read_meta(archive, "xl/workbook.xml", file).iter():
        if not element.tag.endswith("}sheet") and element.tag != "sheet":
            continue
        part = targets.get(element.get(f"{{{_RELS_NS}}}id", ""), "")
        if part in names:
            sheets.append(SheetExtent(element.get("name", ""), part))
    return sheets


def _check_head(head: bytes, part: str, file: str) -> None:
    """Only UTF-8 XML: in UTF-16 the byte scan would see nothing."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    declared = _ENCODING.match(head)
    if b"\x00" in head or (declared and declared.group(1).lower() not in (b"utf-8", b"utf8")):
        raise WorkbookRefused("workbook.encoding", file=file, part=part)


def _check_xml_part(archive: zipfile.ZipFile, part: str, file: str) -> None:
    with archive.open(part) as stream:
        tail = b""
        first = True
        while chunk := stream.read(_CHUNK):
            if first:
                _check_head(chunk[:512], part, file)
                first = False
            if _DECLARATION.search(tail + chunk):
                raise WorkbookRefused("workbook.xml_entities", file=file, part=part)
            if _illegal_at(tail + chunk) >= 0:
                raise WorkbookRefused("workbook.control_character_part", file=file, part=part)
            tail = chunk[-16:]


def _scan_sheet(archive: zipfile.ZipFile, sheet: SheetExtent, file: str, limits: Limits) -> None:
    with archive.open(sheet.part) as stream:
        if not _fast_scan(stream, sheet, file):
            with archive.open(sheet.part) as again:
                _exact_scan(again, sheet, file)


def _chunks(stream: IO[bytes], sheet: SheetExtent, file: str) -> Any:
    """The part in pieces that each end just before a ``<`` (so no tag is ever cut in two)."""
    tail = b""
    first = True
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        if first:
            _check_head(data[:512], sheet.part, file)
            first = False
            declared = _DIMENSION.search(data[:4096])
            sheet.declared = declared.group(1).decode("ascii", "replace") if declared else ""
        if _DECLARATION.search(data):
            raise WorkbookRefused("workbook.xml_entities", file=file, part=sheet.part)
        cut = data.rfind(b"<")
        if cut <= 0:
            if len(data) > _MAX_TEXT_RUN:
                raise WorkbookRefused(
                    "workbook.damaged", file=file, reason=f"{sheet.part}: text run"
                )
            tail = data
            continue
        yield data[:cut]
        tail = data[cut:]
    if tail:
        yield tail


def _illegal_at(body: bytes) -> int:
    """Where ``body`` holds a character XML forbids (-1: nowhere); cheap when it holds none."""
    if len(body.translate(None, _CONTROL_BYTES)) == len(body) and b"&#" not in body:
        return -1
    found = _ILLEGAL.search(body)
    return found.start() if found else -1


def _refuse_illegal(body: bytes, at: int, sheet: SheetExtent, file: str) -> None:
    start = body.rfind(b'<c r="', 0, at)
    ref = _CELL.match(body, start) if start >= 0 else None
    cell = (ref.group(1) + ref.group(2)).decode() if ref else ""
    raise WorkbookRefused(
        "workbook.control_character", file=file, sheet=sheet.name, cell=cell or "?",
        char=describe(_illegal_char(body, at)),
    )  # fmt: skip


def _illegal_char(body: bytes, at: int) -> str:
    if body[at : at + 2] != b"&#":
        return chr(body[at])
    number = body[at + 2 : body.index(b";", at)].decode("ascii")
    return chr(int(number[1:], 16) if number[:1] in "xX" else int(number))


def _fast_scan(stream: IO[bytes], sheet: SheetExtent, file: str) -> bool:
    """Extent and formulas of a sheet written in the canonical form; False when the sheet
    uses another form (the exact scan then reads it)."""
    for body in _chunks(stream, sheet, file):
        numbers = _CELL_ROW.findall(body)
        rows = _ROW.findall(body)
        if len(numbers) != body.count(b"<c ") or len(rows) != body.count(b"<row "):
            return False
        if _UNUSUAL.search(body) or _PREFIXED.search(body):
            return False
        sheet.cells += len(numbers)
        if numbers:
            letters = max(set(_CELL_COLUMN.findall(body)), key=column_number)
            if column_number(letters) > sheet.max_column:
                found = re.search(b'<c r="' + letters + b'([0-9]{1,7})"', body)
                sheet.reached(int(found.group(1)) if found else 1, column_number(letters))
            top = max(map(int, set(numbers)))
            if top > sheet.max_row:
                found = re.search(b'<c r="([A-Z]{1,3})' + str(top).encode() + b'"', body)
                sheet.reached(top, column_number(found.group(1)) if found else 0)
        if rows:
            sheet.reached(max(map(int, set(rows))), 0)
        if _FORMULA.search(body):
            _formulas_in(body, sheet)
        at = _illegal_at(body)
        if at >= 0:
            _refuse_illegal(body, at, sheet, file)
    return True


def _formulas_in(body: bytes, sheet: SheetExtent) -> None:
    for match in _FORMULA.finditer(body):
        sheet.formula_count += 1
        if len(sheet.formulas) >= MAX_FORMULAS:
            continue
        start = body.rfind(b'<c r="', 0, match.start())
        ref = _CELL.match(body, start) if start >= 0 else None
        cell = (ref.group(1) + ref.group(2)).decode() if ref else "?"
        sheet.formulas.append(Formula(cell, _formula_text(body, match.end() - 1)))


def _formula_text(body: bytes, at: int) -> str:
    if body[at : at + 1] != b">":
        at = body.find(b">", at)
        if at < 0 or body[at - 1 : at] == b"/":
            return "="
    end = body.find(b"<", at + 1, at + 2000)
    text = body[at + 1 : end if end > 0 else at + 200].decode("utf-8", "replace")
    return "=" + unescape(text, {"&quot;": '"', "&apos;": "'"})


def _exact_scan(stream: IO[bytes], sheet: SheetExtent, file: str) -> None:
    """Every row, cell and formula tag in document order, with positions inferred the way the
    format defines them where a reference is missing."""
    row = column = 0
    sheet.max_row = sheet.max_column = sheet.cells = 0
    sheet.far_row_cell = sheet.far_column_cell = ""
    sheet.formulas.clear()
    sheet.formula_count = 0
    for body in _chunks(stream, sheet, file):
        at = _illegal_at(body)
        if at >= 0:
            _refuse_illegal(body, at, sheet, file)
        for match in _TAG.finditer(body):
            kind, attrs = match.group(1), match.group(2)
            ref = _REF_ATTR.search(attrs)
            value = (ref.group(1) if ref.group(1) is not None else ref.group(2)) if ref else None
            if kind == b"row":
                if value is None:
                    row += 1
                elif value.isdigit() and len(value) <= 7:
                    row = int(value)
                else:
                    raise WorkbookRefused(
                        "workbook.bad_reference", file=file, sheet=sheet.name, value=_shown(value)
                    )
                column = 0
                sheet.reached(row, 0)
            elif kind == b"c":
                if value is None:
                    column += 1
                    row = max(row, 1)
                else:
                    parsed = _REF.fullmatch(value)
                    if parsed is None:
                        raise WorkbookRefused(
                            "workbook.bad_reference",
                            file=file,
                            sheet=sheet.name,
                            value=_shown(value),
                        )
                    column, row = column_number(parsed.group(1)), int(parsed.group(2))
                sheet.cells += 1
                sheet.reached(row, column)
            else:
                sheet.formula_count += 1
                if len(sheet.formulas) < MAX_FORMULAS:
                    text = _formula_text(body, match.end() - 1)
                    sheet.formulas.append(Formula(cell_ref(max(row, 1), max(column, 1)), text))


def _shown(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    return text if len(text) <= 40 else text[:37] + "…"


def _check_extents(package: Package, file: str, limits: Limits) -> None:
    total = 0
    for sheet in package.sheets:
        if sheet.max_column > min(limits.max_columns, EXCEL_COLUMNS):
            raise WorkbookRefused(
                "workbook.too_many_columns",
                file=file,
                sheet=sheet.name,
                cell=sheet.far_column_cell,
                limit=limits.max_columns,
                last=column_letters(limits.max_columns),
            )
        if sheet.max_row > min(limits.max_rows, EXCEL_ROWS):
            raise WorkbookRefused(
                "workbook.too_many_rows",
                file=file,
                sheet=sheet.name,
                cell=sheet.far_row_cell,
                limit=limits.max_rows,
            )
        if sheet.area > limits.sparse_floor and sheet.cells * limits.sparse_ratio < sheet.area:
            raise WorkbookRefused(
                "workbook.sparse",
                file=file,
                sheet=sheet.name,
                cell=sheet.far_cell,
                cells=sheet.cells,
                area=sheet.area,
            )
        total += sheet.area
        if total > limits.max_cells:
            raise WorkbookRefused(
                "workbook.too_many_cells",
                file=file,
                sheet=sheet.name,
                cell=sheet.corner,
                limit=limits.max_cells,
            )
        declared = _declared_corner(sheet.declared)
        if declared and (declared[0] > limits.max_rows or declared[1] > limits.max_columns):
            raise WorkbookRefused(
                "workbook.declared_too_large",
                file=file,
                sheet=sheet.name,
                cell=cell_ref(*declared),
                value=sheet.declared[:40],
                rows=limits.max_rows,
                columns=limits.max_columns,
            )


def _declared_corner(declared: str) -> tuple[int, int] | None:
    """(row, column) of the far corner of a ``<dimension ref="A1:XFD20000">``; None if unclear."""
    match = _REF.fullmatch(declared.split(":")[-1].encode("ascii", "replace"))
    return (int(match.group(2)), column_number(match.group(1))) if match else None
