"""Hostile evidence uploads: refused with a message naming the file or field in ja and en,
within the budget, with no evidence row and no stored file. Evidence is kept, never parsed, so
a workbook with far-away cells or formulas is ordinary evidence and is stored cheaply."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec import tabular
from econsec.guideline import evidence
from econsec.guideline.campaigns import create_campaign, store_framework
from econsec.guideline.errors import GuidelineError
from econsec.guideline.frameworks import load_framework
from econsec.guideline.models import Evidence
from tests.hostile import files
from tests.hostile.budget import measured

MINI = Path(__file__).resolve().parents[1] / "guideline" / "fixtures" / "mini.yaml"
PDF = b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n"


class Endless(io.RawIOBase):
    """A stream of ``size`` bytes of a PDF that never sits in memory (an oversized body)."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.head = True

    def read(self, n: int = -1) -> bytes:
        if self.head:
            self.head = False
            return PDF[:9]
        n = min(self.left, 1 << 20 if n < 0 else n)
        self.left -= n
        return b"x" * n


@pytest.fixture
def campaign(db: Any, settings: Any, tmp_path: Path) -> Any:
    settings.DATA_DIR = tmp_path / "data"
    store_framework(load_framework(MINI), "imported")
    return create_campaign("mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato"])


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.xlsx"
    book = tabular.new_workbook()
    tabular.append(tabular.add_sheet(book, "data"), ["a", "b"])
    tabular.save(book, path)
    return path


def _docx_with_entities(tmp_path: Path) -> bytes:
    path = tmp_path / "e.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", files.BILLION_LAUGHS + "<document><t>&lol9;</t></document>"
        )
    return path.read_bytes()


# case → (file name, title, the stream, what the message must name)
Case = tuple[str, str, Callable[[Path, Path], io.RawIOBase | io.BytesIO], list[str]]
CASES: dict[str, Case] = {
    "oversized body": ("big.pdf", "", lambda w, t: Endless(26 * 1024 * 1024), ["big.pdf", "25"]),
    "zip bomb": (
        "bomb.xlsx", "", lambda w, t: io.BytesIO(files.zip_bomb(w, t / "b.xlsx").read_bytes()),
        ["bomb.xlsx", "xl/media/padding.bin"],
    ),
    "xml entities": (
        "lol.docx", "", lambda w, t: io.BytesIO(_docx_with_entities(t)),
        ["lol.docx", "word/document.xml"],
    ),
    "NUL in the content of a text file": (
        "notes.csv", "", lambda w, t: io.BytesIO(b"a,b\n1,\x00\n"), ["notes.csv"]
    ),
    **{
        f"{name} in the file name": (
            f"{text}.pdf", "", lambda w, t: io.BytesIO(PDF), ["file", "U+"]
        )
        for name, text in files.CHARACTERS.items()
    },
    **{
        f"{name} in the title": ("ok.pdf", text, lambda w, t: io.BytesIO(PDF), ["title", "U+"])
        for name, text in files.CHARACTERS.items()
    },
}  # fmt: skip


def _stored(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "data" / "evidence"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_evidence(case: str, campaign: Any, workbook: Path, tmp_path: Path) -> None:
    name, title, stream, must_name = CASES[case]
    with measured() as spent, pytest.raises(GuidelineError) as caught:
        evidence.add_file(campaign, "X-1", name, stream(workbook, tmp_path), actor="t", title=title)  # type: ignore[arg-type]
    spent.check()
    for lang in ("ja", "en"):
        message = caught.value.message(lang)
        assert all(part in message for part in must_name), message
    assert not Evidence.objects.exists() and _stored(tmp_path) == []


@pytest.mark.parametrize("name", sorted(files.CHARACTERS))
def test_hostile_characters_in_a_link(name: str, campaign: Any) -> None:
    url = f"https://example.com/{files.CHARACTERS[name]}"
    with pytest.raises(GuidelineError) as caught:
        evidence.add_link(campaign, "X-1", url)
    assert "url" in caught.value.message("en") and "url" in caught.value.message("ja")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "build",
    [files.declared_dimension, files.far_cell,
     lambda b, o: files.set_cell(b, o, "A1", formula=files.FORMULA)],
)  # fmt: skip
def test_workbooks_as_evidence_are_kept_not_parsed(
    build: Callable[[Path, Path], Path], campaign: Any, workbook: Path, tmp_path: Path
) -> None:
    path = build(workbook, tmp_path / "case.xlsx")
    with measured() as spent:
        row = evidence.add_file(campaign, "X-1", "case.xlsx", io.BytesIO(path.read_bytes()))
    spent.check()
    assert evidence.read_file(row) == path.read_bytes()
