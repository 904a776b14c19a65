"""The Japanese TrueType font the PDF report embeds, made once per machine from an installed one.

ReportLab embeds TrueType (quadratic ``glyf``) outlines only. The Japanese font installed with
econsec, Noto Sans JP from the ``pylopdf-fonts-jp`` wheel (SIL OFL 1.1), is an OpenType font
with PostScript (CFF) outlines, so on first use its outlines are converted to quadratic curves
with fontTools (the recipe of fontTools' ``otf2ttf`` snippet) and the result is kept in the
user's cache directory. ``ECONSEC_PDF_FONT`` names a TrueType file to use instead.

The source file's SHA-256 is checked against the value recorded for the pinned wheel before it
is used: a font that differs (a tampered or substituted package) is refused, not embedded in
board reports (decision 0093).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

import platformdirs

FONT_NAME = "NotoSansJP"
# NotoSansJP-Regular.otf of pylopdf-fonts-jp 0.1.1 (pinned in pyproject.toml and the lock file).
SOURCE_SHA256 = "dff723ba59d57d136764a04b9b2d03205544f7cd785a711442d6d2d085ac5073"
# Cubic-to-quadratic tolerance in font units (1,000 per em): far below a printed pixel.
MAX_ERROR = 1.0


def source_font() -> Path:
    """The installed OpenType font the TrueType one is made from."""
    import pylopdf_fonts_jp

    return Path(pylopdf_fonts_jp.__file__).resolve().parent / "NotoSansJP-Regular.otf"


def cache_dir() -> Path:
    """Where generated fonts are kept (``ECONSEC_CACHE_DIR`` overrides)."""
    configured = os.environ.get("ECONSEC_CACHE_DIR")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("econsec"))


def japanese_font() -> Path:
    """A TrueType file with Japanese glyphs: ``ECONSEC_PDF_FONT``, or the converted Noto Sans JP."""
    configured = os.environ.get("ECONSEC_PDF_FONT")
    return Path(configured) if configured else _converted()


class FontChanged(RuntimeError):
    """The installed source font is not the one econsec was released with."""

    def __init__(self, path: Path, actual: str) -> None:
        self.path = path
        self.actual = actual
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        from econsec.i18n import t

        return t(
            "reports.font.changed", lang, path=str(self.path), expected=SOURCE_SHA256,
            actual=self.actual,
        )  # fmt: skip


def verified_source() -> Path:
    """:func:`source_font`, after checking its SHA-256 against :data:`SOURCE_SHA256`."""
    source = source_font()
    actual = hashlib.sha256(source.read_bytes()).hexdigest()
    if actual != SOURCE_SHA256:
        raise FontChanged(source, actual)
    return source


@cache
def _converted() -> Path:
    source = verified_source()
    digest = SOURCE_SHA256[:12]
    target = cache_dir() / "fonts" / f"{FONT_NAME}-{digest}.ttf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a concurrent process sees the whole file or none.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(handle)
        try:
            to_truetype(source, Path(temporary))
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
    return target


def to_truetype(source: Path, target: Path) -> None:
    """Write ``source`` (OpenType with CFF outlines) as a TrueType font with ``glyf`` outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(source)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # TrueType contours run the other way round from PostScript ones.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(target)
