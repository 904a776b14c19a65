"""Hostile Ministry of Finance workbooks (format ``mof``) and MOFCOM announcements and tables
(format ``cn_mofcom``) through `econsec lists load`: a located error in ja and en within the
budget, no list stored, the process alive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec import tabular
from econsec.cli import app
from econsec.screening.models import ScreeningList
from tests.hostile import files
from tests.hostile.budget import measured

runner = CliRunner()
Build = Callable[[Path, Path], Path]

# The asset-freeze layout: a programme title row, the 告示日付 header, then entries; D4 is the
# second entry's English name.
MOF_ROWS = [
    ["北朝鮮のミサイル又は大量破壊兵器計画に関連する者（個人）"],
    ["告示日付", "日本語表記", "国籍", "英語表記"],
    ["2017年8月25日", "金英哲", "朝鮮民主主義人民共和国", "KIM Yong Chol"],
    ["2016年12月9日", "崔龍海", "朝鮮民主主義人民共和国", "CHOE Ryong Hae"],
]
TABLE_ROWS = [
    ["中文名称", "英文名称", "清单"],
    ["洛克希德·马丁导弹与火控公司", "Lockheed Martin Missiles and Fire Control", "不可靠实体清单"],
    ["雷神导弹与防务公司", "Raytheon Missiles & Defense", "不可靠实体清单"],
]
ANNOUNCEMENT = (
    "不可靠实体清单工作机制公告\n\n一、将以下2家美国实体列入不可靠实体清单：\n\n"
    "1. 洛克希德·马丁导弹与火控公司（Lockheed Martin Missiles and Fire Control）；\n"
    "2. {entry}\n\n2023年2月16日\n"
)


def _book(path: Path, sheet_name: str, rows: list[list[str]]) -> Path:
    book = tabular.new_workbook()
    sheet = tabular.add_sheet(book, sheet_name)
    for row in rows:
        tabular.append(sheet, row)
    tabular.save(book, path)
    return path


@pytest.fixture
def mof_book(tmp_path: Path) -> Path:
    return _book(tmp_path / "mof.xlsx", "DPRK", MOF_ROWS)


@pytest.fixture
def table_book(tmp_path: Path) -> Path:
    return _book(tmp_path / "mofcom.xlsx", "UEL", TABLE_ROWS)


def _workbook_cases(sheet: str, cell: str, row: str) -> dict[str, tuple[Build, list[str]]]:
    return {
        "huge declared dimension": (files.declared_dimension, [sheet, "XFD1048576"]),
        "far-away single cell": (files.far_cell, [sheet, "XFD1048576"]),
        "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
        "xml entities": (files.xml_entities, ["case.xlsx", "sheet1.xml"]),
        "formula": (lambda b, o: files.set_cell(b, o, cell, formula=files.FORMULA), [sheet, cell]),
        "oversized body": (lambda b, o: files.oversized(o, 101 * 1024 * 1024), ["case.xlsx"]),
        "NUL": (lambda b, o: files.set_cell(b, o, cell, text=files.NUL), [sheet, cell]),
        "right-to-left override": (
            lambda b, o: files.set_cell(b, o, cell, text=files.RLO),
            ["case.xlsx", row],
        ),
        "zero-width space": (
            lambda b, o: files.set_cell(b, o, cell, text=files.ZWSP),
            ["case.xlsx", row],
        ),
    }


MOF_CASES = _workbook_cases("DPRK", "D4", "4")
TABLE_CASES = _workbook_cases("UEL", "B3", "3")


def _refused(path: Path, fmt: str, must_name: list[str]) -> None:
    for lang in ("ja", "en"):
        with measured() as spent:
            result = runner.invoke(
                app, ["lists", "load", str(path), "--name", "x", "--format", fmt, "--lang", lang]
            )
        spent.check()
        assert result.exit_code == 1, result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), result.exception
        text = " ".join(result.output.split())
        assert all(part in text for part in must_name), text
    assert not ScreeningList.objects.exists()


@pytest.mark.parametrize("case", sorted(MOF_CASES))
def test_hostile_mof_workbook(case: str, mof_book: Path, db: Any, tmp_path: Path) -> None:
    build, must_name = MOF_CASES[case]
    _refused(build(mof_book, tmp_path / "case.xlsx"), "mof", must_name)


@pytest.mark.parametrize("case", sorted(TABLE_CASES))
def test_hostile_mofcom_workbook(case: str, table_book: Path, db: Any, tmp_path: Path) -> None:
    build, must_name = TABLE_CASES[case]
    _refused(build(table_book, tmp_path / "case.xlsx"), "cn_mofcom", must_name)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


TEXT_CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "oversized body": (lambda p: files.oversized(p, 101 * 1024 * 1024), ["case.txt"]),
    "one endless line": (
        lambda p: _write(p, ANNOUNCEMENT.format(entry="1. " + "甲" * 2_000_000)),
        ["case.txt", "6", "5000"],
    ),
    **{
        name: (
            lambda p, text=text: _write(p, ANNOUNCEMENT.format(entry=f"甲公司（{text}）；")),
            ["case.txt", "6"],
        )
        for name, text in files.CHARACTERS.items()
    },
}
CSV_CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "far-away column": (
        lambda p: _write(p, "中文名称,英文名称\n甲公司,Jia" + "," * 5000 + "x\n"),
        ["case.csv", "2"],
    ),
    "oversized body": (lambda p: files.oversized(p, 101 * 1024 * 1024), ["case.csv"]),
    **{
        name: (
            lambda p, text=text: _write(p, f"中文名称,英文名称\n甲公司,Jia\n乙公司,{text}\n"),
            ["case.csv", "3"],
        )
        for name, text in files.CHARACTERS.items()
    },
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_hostile_mofcom_announcement(case: str, db: Any, tmp_path: Path) -> None:
    build, must_name = TEXT_CASES[case]
    _refused(build(tmp_path / "case.txt"), "cn_mofcom", must_name)


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_hostile_mofcom_table(case: str, db: Any, tmp_path: Path) -> None:
    build, must_name = CSV_CASES[case]
    _refused(build(tmp_path / "case.csv"), "cn_mofcom", must_name)


def test_the_valid_files_load(mof_book: Path, table_book: Path, db: Any, tmp_path: Path) -> None:
    announcement = _write(
        tmp_path / "notice.txt", ANNOUNCEMENT.format(entry="雷神导弹与防务公司（Raytheon）；")
    )
    for path, name in ((mof_book, "jp_mof"), (table_book, "cn_uel"), (announcement, "cn_n")):
        result = runner.invoke(app, ["lists", "load", str(path), "--name", name, "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert ScreeningList.objects.filter(name=name).exists()
