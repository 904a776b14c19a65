"""The Japanese TrueType font made from the installed OpenType one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from econsec.reports.font import MAX_ERROR, japanese_font, source_font


def _bounds(font: TTFont, char: str) -> tuple[float, float, float, float]:
    name = font.getBestCmap()[ord(char)]
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    assert pen.bounds is not None
    return pen.bounds


def test_converted_font_keeps_every_character_and_outline() -> None:
    made, source = TTFont(japanese_font()), TTFont(source_font())
    assert "glyf" in made and "CFF " not in made and "CFF " in source
    assert made.getBestCmap() == source.getBestCmap()
    for char in "経済安全保障ガイドラインあ株A1（":
        for got, want in zip(_bounds(made, char), _bounds(source, char), strict=True):
            # Quadratic curves stay within MAX_ERROR of the cubic ones; TrueType rounds to units.
            assert abs(got - want) <= MAX_ERROR + 1


def test_a_configured_font_is_used_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "house.ttf"
    monkeypatch.setenv("ECONSEC_PDF_FONT", str(chosen))
    assert japanese_font() == chosen


def test_a_changed_source_font_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from econsec.reports import font

    assert font.verified_source() == source_font()  # the installed wheel's font is the known one
    changed = tmp_path / "NotoSansJP-Regular.otf"
    data = bytearray(source_font().read_bytes())
    data[-1] ^= 1
    changed.write_bytes(bytes(data))
    monkeypatch.delenv("ECONSEC_PDF_FONT", raising=False)
    monkeypatch.setenv("ECONSEC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(font, "source_font", lambda: changed)
    font._converted.cache_clear()
    try:
        with pytest.raises(font.FontChanged) as caught:
            font.japanese_font()
        assert "SHA-256" in caught.value.message("en") and "改ざん" in caught.value.message("ja")
        assert not (tmp_path / "cache").exists()  # nothing converted from it
    finally:
        font._converted.cache_clear()
